//! Per-transaction facts read in the per-payee hot loop, laid out densely: for each plan
//! and measure, a bitset of the transactions the measure counts (kind and attribute filter),
//! and the currencies the transactions give, numbered (each credit carries its transaction's
//! number, `Credit::currency`: [`Numbering`]). A payee's credits visit transactions in date
//! order, far apart in memory; reading these instead of each transaction's strings avoids a
//! cache miss per credit and measure (credits hold their amounts).

#[cfg(not(target_arch = "wasm32"))]
use crate::crediting::Credit;
use crate::inputs::{Request, Transaction};
use crate::plan::Measure;

/// Whether measure `m` counts transaction `t` (by kind and attribute filter; not by scope).
pub(crate) fn counts(m: &Measure, t: &Transaction) -> bool {
    m.kinds.iter().any(|k| k == t.kind.as_str())
        && m.filter
            .iter()
            .all(|(k, want)| t.attributes.get(k).is_some_and(|v| want.accepts(&v.0)))
}

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// `[plan][measure]`: bit `t` is set when the measure counts transaction `t`.
    counted: Vec<Vec<Vec<u64>>>,
    /// The number of transactions the facts cover.
    covered: usize,
    /// The currencies the credits' codes number ([`Numbering`]).
    #[cfg(not(target_arch = "wasm32"))]
    currencies: Vec<String>,
}

/// A credit's currency code for no currency given (other codes are [`Numbering`]'s numbers,
/// or [`CODE_READ`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const CODE_NONE: u8 = 254;
/// Read the currency from the transaction (past 254 currencies, and the what-if deal).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const CODE_READ: u8 = 255;

/// Numbers the currencies credits carry: a name's number is its code (`Credit::currency`), or
/// [`CODE_READ`] once 254 names are numbered (the credit's transaction is read instead).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    pub names: Vec<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Numbering {
    /// `name`'s number, numbering it if new.
    pub fn number(&mut self, name: &str) -> u8 {
        match self.names.iter().position(|x| x == name) {
            Some(i) => i as u8,
            None if self.names.len() < CODE_NONE as usize => {
                self.names.push(name.to_string());
                (self.names.len() - 1) as u8
            }
            None => CODE_READ,
        }
    }

    /// Number the names of `chunk` (the numbering of one chunk of credits) here, and give its
    /// `credits` their codes here (a code past the chunk's names, none given or read the
    /// transaction, stays).
    pub fn take_in(&mut self, chunk: &Numbering, credits: &mut [(u32, Credit)]) {
        let codes: Vec<u8> = chunk.names.iter().map(|n| self.number(n)).collect();
        for (_, c) in credits {
            if let Some(&code) = codes.get(c.currency as usize) {
                c.currency = code;
            }
        }
    }
}

impl Facts {
    /// The facts of `req`'s transactions. (The size-budgeted WebAssembly build, which runs one
    /// payee's calculator at a time, keeps none and reads the transactions.)
    #[cfg(target_arch = "wasm32")]
    pub fn build(_req: &Request) -> Facts {
        Facts::default()
    }

    /// The facts of `req`'s transactions, with the currencies the credits' codes number.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn build(req: &Request, currencies: Vec<String>) -> Facts {
        let txns = &req.inputs.transactions;
        let words = txns.len().div_ceil(64);
        let counted = req
            .plans
            .iter()
            .map(|plan| {
                plan.measures
                    .iter()
                    .map(|m| {
                        let word = |w: usize| {
                            let end = ((w + 1) * 64).min(txns.len());
                            (w * 64..end)
                                .filter(|&t| counts(m, &txns[t]))
                                .fold(0u64, |acc, t| acc | 1 << (t % 64))
                        };
                        map_words(words, word)
                    })
                    .collect()
            })
            .collect();
        Facts {
            counted,
            covered: txns.len(),
            currencies,
        }
    }

    /// Whether measure `mi` of plan `pk` counts transaction `txn`; None for a transaction
    /// the facts do not cover (a what-if deal).
    pub fn counts(&self, pk: usize, mi: usize, txn: u32) -> Option<bool> {
        if txn as usize >= self.covered {
            return None;
        }
        let bits = self.counted.get(pk)?.get(mi)?;
        let word = bits.get(txn as usize / 64)?;
        Some(word >> (txn % 64) & 1 == 1)
    }

    /// The currency of a credit with currency `code`: `Some(None)` when its transaction gives
    /// none; None where it is read from the transaction.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn currency(&self, code: u8) -> Option<Option<&str>> {
        match code {
            CODE_NONE => Some(None),
            CODE_READ => None,
            code => self.currencies.get(code as usize).map(|c| Some(c.as_str())),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// `word(w)` for every `w < words`, in order (in parallel where the feature is on).
fn map_words(words: usize, word: impl Fn(usize) -> u64 + Send + Sync) -> Vec<u64> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..words).into_par_iter().map(word).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..words).map(word).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitsets_agree_with_the_measures_and_stop_at_the_last_transaction() {
        let txns: Vec<serde_json::Value> = (0..130)
            .map(|i| {
                serde_json::json!({"id": format!("T{i:03}"), "date": "2027-01-05", "amount": "1",
                    "owner": "A", "kind": if i % 7 == 0 { "invoice" } else { "booking" },
                    "currency": if i % 3 == 0 { "USD" } else { "EUR" },
                    "attributes": {"product": if i % 2 == 0 { "cloud" } else { "onprem" }}})
            })
            .collect();
        let req = serde_json::json!({"plan": {"payplan": 1, "id": "p", "currency": "EUR",
            "calendar": {"year": 2027, "period": "month"},
            "measures": [{"id": "b"}, {"id": "c", "filter": {"product": "cloud"}}],
            "components": [{"id": "x", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
            "inputs": {"transactions": txns}});
        let req = crate::request::parse_request(&req.to_string()).unwrap();
        let facts = Facts::build(&req, vec!["EUR".into()]);
        for (t, txn) in req.inputs.transactions.iter().enumerate() {
            for (mi, m) in req.plans[0].measures.iter().enumerate() {
                assert_eq!(
                    facts.counts(0, mi, t as u32),
                    Some(counts(m, txn)),
                    "{t} {mi}"
                );
            }
        }
        assert_eq!(facts.currency(0), Some(Some("EUR")));
        assert_eq!(facts.currency(1), None);
        assert_eq!(facts.currency(CODE_NONE), Some(None));
        // The what-if deal is numbered after the last transaction: not covered.
        assert_eq!(facts.counts(0, 0, 130), None);
        assert_eq!(facts.currency(CODE_READ), None);
        assert!(facts.counts(0, 0, 3).is_some_and(|b| b) && facts.counts(0, 0, 7) == Some(false));
    }

    #[test]
    fn numbers_stop_at_254_names() {
        let mut n = Numbering::default();
        assert_eq!(n.number("EUR"), 0);
        assert_eq!(n.number("USD"), 1);
        assert_eq!(n.number("EUR"), 0);
        // Names that differ only in a trailing zero byte or one character.
        assert_eq!(n.number("EUR\0"), 2);
        assert_eq!(n.number("a currency name past 15 bytes"), 3);
        assert_eq!(n.number("a currency name past 15 bytes!"), 4);
        assert_eq!(n.number("a currency name past 15 bytes"), 3);
        assert_eq!(n.number("EUR\0"), 2);
        for k in 5..254 {
            assert_eq!(n.number(&format!("X{k}")), k as u8);
        }
        assert_eq!(n.number("GBP"), CODE_READ);
        assert_eq!(n.number("X253"), 253);
        assert_eq!(n.names.len(), 254);
        assert_eq!(n.names[2], "EUR\0");
    }

    #[test]
    fn every_credit_carries_its_transactions_currency_across_chunks() {
        use crate::crediting::TXN_CHUNK;
        // Three chunks numbering their currencies apart: none and EUR in the first, USD and
        // GBP in the second, GBP, JPY and EUR in the third.
        let cur = |i: usize| match i / TXN_CHUNK {
            0 => (i % 2 == 1).then_some("EUR"),
            1 => Some(if i.is_multiple_of(3) { "USD" } else { "GBP" }),
            _ => Some(["GBP", "JPY", "EUR"][i % 3]),
        };
        let n = 2 * TXN_CHUNK + 600;
        let txns: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let mut t = serde_json::json!({"id": format!("T{i:06}"), "date": "2027-01-05",
                    "amount": "1", "owner": if i % 2 == 0 { "A" } else { "B" }});
                if let Some(c) = cur(i) {
                    t["currency"] = c.into();
                }
                t
            })
            .collect();
        let rate = |from: &str| serde_json::json!({"from": from, "to": "EUR", "rate": "2", "effective": "2027-01-01"});
        let req = serde_json::json!({"plan": {"payplan": 1, "id": "p", "currency": "EUR",
            "calendar": {"year": 2027, "period": "month"}, "measures": [{"id": "b"}],
            "components": [{"id": "x", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
            "inputs": {"payees": [{"id": "A"}, {"id": "B", "manager": "A"}],
                "assignments": [{"payee": "A", "plan": "p"}, {"payee": "B", "plan": "p"}],
                "fx_rates": [rate("USD"), rate("GBP"), rate("JPY")],
                "transactions": txns}});
        let req = crate::request::parse_request(&req.to_string()).unwrap();
        let ctx = crate::engine::Ctx::prepare(req).unwrap();
        let mut seen = 0;
        for list in &ctx.credits {
            for c in list {
                let t = &ctx.req.inputs.transactions[c.txn as usize];
                assert_eq!(ctx.facts.currency(c.currency), Some(t.currency.as_deref()));
                seen += 1;
            }
        }
        assert_eq!(seen, n);
        // Row 16,384 (GBP) opens the second chunk.
        assert_eq!(ctx.facts.currencies, ["EUR", "GBP", "USD", "JPY"]);
    }
}
