//! Per-transaction facts read in the per-payee hot loop, laid out densely: for each plan
//! and measure, a bitset of the transactions the measure counts (kind and attribute filter),
//! and each transaction's currency as a small index. A payee's credits visit transactions in
//! date order, far apart in memory; reading these instead of each transaction's strings
//! avoids a cache miss per credit and measure (credits hold their amounts).

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
    /// Each transaction's currency: an index into `currencies`, or `NONE`.
    currency: Vec<u16>,
    currencies: Vec<String>,
}

const NONE: u16 = u16::MAX;

impl Facts {
    /// The facts of `req`'s transactions. (The size-budgeted WebAssembly build, which runs one
    /// payee's calculator at a time, keeps none and reads the transactions.)
    #[cfg(target_arch = "wasm32")]
    pub fn build(_req: &Request) -> Facts {
        Facts::default()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn build(req: &Request) -> Facts {
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
        let mut currencies: Vec<String> = Vec::new();
        let mut currency = Vec::with_capacity(txns.len());
        for t in txns {
            let id = match &t.currency {
                None => NONE,
                Some(c) => match currencies.iter().position(|x| x == c) {
                    Some(i) => i as u16,
                    None if currencies.len() < NONE as usize => {
                        currencies.push(c.to_string());
                        (currencies.len() - 1) as u16
                    }
                    // More distinct currencies than ids: read from the transaction instead.
                    None => NONE - 1,
                },
            };
            currency.push(id);
        }
        Facts {
            counted,
            currency,
            currencies,
        }
    }

    /// Whether measure `mi` of plan `pk` counts transaction `txn`; None for a transaction
    /// the facts do not cover (a what-if deal).
    pub fn counts(&self, pk: usize, mi: usize, txn: u32) -> Option<bool> {
        if txn as usize >= self.currency.len() {
            return None;
        }
        let bits = self.counted.get(pk)?.get(mi)?;
        let word = bits.get(txn as usize / 64)?;
        Some(word >> (txn % 64) & 1 == 1)
    }

    /// The currency of transaction `txn`: `Some(None)` when it gives none; None for a
    /// transaction the facts do not cover.
    pub fn currency(&self, txn: u32) -> Option<Option<&str>> {
        match *self.currency.get(txn as usize)? {
            NONE => Some(None),
            id => self.currencies.get(id as usize).map(|c| Some(c.as_str())),
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
        let facts = Facts::build(&req);
        for (t, txn) in req.inputs.transactions.iter().enumerate() {
            for (mi, m) in req.plans[0].measures.iter().enumerate() {
                assert_eq!(
                    facts.counts(0, mi, t as u32),
                    Some(counts(m, txn)),
                    "{t} {mi}"
                );
            }
            assert_eq!(facts.currency(t as u32), Some(txn.currency.as_deref()));
        }
        // The what-if deal is numbered after the last transaction: not covered.
        assert_eq!(facts.counts(0, 0, 130), None);
        assert_eq!(facts.currency(130), None);
        assert!(facts.counts(0, 0, 3).is_some_and(|b| b) && facts.counts(0, 0, 7) == Some(false));
    }
}
