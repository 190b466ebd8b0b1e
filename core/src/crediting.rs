//! Crediting: who receives how much credit for a transaction — the owner, or exact splits
//! whose shares sum to 1 (the last split takes the remainder, so credits always sum to the
//! amount). Roll-ups of the credits to managers are in `rollup`.

use crate::date::Date;
use crate::engine::{is_event, txn_position, IdMap, InputCheck};
use crate::error::Problem;
use crate::inputs::Transaction;
use rust_decimal::Decimal;

/// One credit of a transaction to a payee (own share, or a report's share rolled up): 20
/// bytes. It holds its credited amount, so summing a payee's credits never reads the
/// transactions, which lie far apart in memory (a cache miss per credit); the share is worked
/// out again from the transaction's splits where a measure needs it (`share_amount`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Credit {
    /// Transaction index (`Ctx::txns.len()` = the what-if deal).
    pub txn: u32,
    /// The credited amount in the transaction's currency (`credit_shares`' amount), read with
    /// [`Credit::amount`].
    pub amount: Amount,
    /// The transaction's date, packed in date order ([`Credit::date`]; credits are kept in
    /// date order).
    pub day: Day,
    /// `OWNER`, or the position of this credit's split in the transaction's splits.
    pub split: u16,
    /// 0 = own, 1 = a direct report's, 2+ deeper.
    pub depth: u8,
    /// The transaction's currency code (`facts::Numbering`; in the padding byte, so free): read
    /// with the credit instead of from a table indexed by transaction, a cache miss each.
    #[cfg(not(target_arch = "wasm32"))]
    pub currency: u8,
}

/// A credit's amount: natively packed into 8 bytes (a 56-bit mantissa and the scale: every
/// amount of up to 16 digits, 8 bytes less per credit than a `Decimal`), any other amount
/// marked to be worked out again from its transaction; the size-budgeted WebAssembly build
/// keeps the `Decimal`.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount([u32; 2]);
#[cfg(target_arch = "wasm32")]
pub(crate) type Amount = Decimal;

/// The scale byte of an amount that does not fit (worked out again from the transaction).
#[cfg(not(target_arch = "wasm32"))]
const UNPACKED: u8 = u8::MAX;

/// `amount` as an [`Amount`].
pub(crate) fn pack_amount(amount: Decimal) -> Amount {
    #[cfg(not(target_arch = "wasm32"))]
    {
        const LIMIT: i128 = 1 << 55;
        let m = amount.mantissa();
        // A negative zero would come back positive: it is worked out again instead.
        let fits = (-LIMIT..LIMIT).contains(&m) && !(m == 0 && amount.is_sign_negative());
        let scale = if fits { amount.scale() as u8 } else { UNPACKED };
        let bits = ((if fits { m as i64 } else { 0 }) << 8) as u64 | u64::from(scale);
        Amount([bits as u32, (bits >> 32) as u32])
    }
    #[cfg(target_arch = "wasm32")]
    amount
}

/// A credit's date: packed into 32 bits (8 bytes less per credit), or, in the size-budgeted
/// WebAssembly build (one payee's credits), the date itself.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Day = u32;
#[cfg(target_arch = "wasm32")]
pub(crate) type Day = Date;

/// `date` as a [`Day`], ordered as dates are (years 1–9999: `Date::new`).
pub(crate) fn pack(date: crate::date::RowDate) -> Day {
    #[cfg(not(target_arch = "wasm32"))]
    return date.bits();
    #[cfg(target_arch = "wasm32")]
    date
}

/// `Credit::split` of an owner's credit: the whole amount, share 1.
pub(crate) const OWNER: u16 = u16::MAX;

impl Credit {
    /// The own credit of transaction `t` (number `txn`): split number `j` of `credit_shares`,
    /// crediting `amount`.
    pub fn new(txn: u32, t: &Transaction, j: usize, amount: Decimal) -> Credit {
        Credit {
            txn,
            amount: pack_amount(amount),
            day: pack(t.date),
            split: if t.splits.is_empty() {
                OWNER
            } else {
                // Below OWNER: `credit_shares` refuses more splits.
                j as u16
            },
            depth: 0,
            #[cfg(not(target_arch = "wasm32"))]
            currency: crate::facts::CODE_READ,
        }
    }

    /// The credited amount (`credit_shares`' amount, in the transaction's currency); `t` is
    /// the credit's transaction, read only for an amount that did not fit in 8 bytes.
    pub fn amount(&self, t: &Transaction) -> Decimal {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let [lo, hi] = self.amount.0;
            let bits = u64::from(hi) << 32 | u64::from(lo);
            let scale = bits as u8;
            let mantissa = (bits as i64) >> 8;
            match scale {
                UNPACKED => self.share_amount(t).1,
                _ => Decimal::try_from_i128_with_scale(mantissa.into(), scale.into())
                    .unwrap_or_else(|_| self.share_amount(t).1),
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = t;
            self.amount
        }
    }

    /// The transaction's date.
    pub fn date(&self) -> Date {
        #[cfg(not(target_arch = "wasm32"))]
        return crate::date::PackedDate::from_bits(self.day).get();
        #[cfg(target_arch = "wasm32")]
        self.day
    }

    /// (share, credited amount in the transaction's currency): what `credit_shares` gave this
    /// credit, worked out again from `t` (every split but the last is amount × share, the last
    /// takes the remainder; the checks were made when the credits were).
    pub fn share_amount(&self, t: &Transaction) -> (Decimal, Decimal) {
        let j = self.split as usize;
        let Some(s) = t.splits.get(j).filter(|_| self.split != OWNER) else {
            return (Decimal::ONE, t.amount.0);
        };
        // Through the shared checked helpers (never failing here): one copy of the arithmetic.
        use crate::decimal::{add, mul, sub};
        let part = |share: Decimal| mul(t.amount.0, share, "").unwrap_or_default();
        if j + 1 < t.splits.len() {
            return (s.share.0, part(s.share.0));
        }
        let given = t.splits[..j].iter().fold(Decimal::ZERO, |acc, x| {
            add(acc, part(x.share.0), "").unwrap_or_default()
        });
        (s.share.0, sub(t.amount.0, given, "").unwrap_or_default())
    }
}

/// The (payee, share, credited amount) of a deal. Split credits are exact and the last split
/// takes the remainder, so the credits always sum to the amount.
pub(crate) fn credit_shares_checked(
    t: &Transaction,
    payee_index: &IdMap<String, usize>,
) -> std::result::Result<Vec<(usize, Decimal, Decimal)>, Problem> {
    let mut v = InputCheck::default();
    let mut out = Vec::new();
    if credit_shares(t, payee_index, &mut v, &mut out) {
        Ok(out)
    } else {
        Err(v
            .problems
            .into_iter()
            .next()
            .unwrap_or_else(|| Problem::new("invalid_value", t.origin.row(), "bad transaction")))
    }
}

/// Push the (payee, share, credited amount) of deal `t` onto `out` (empty on entry); false, with
/// the problems in `v`, when the deal cannot be credited.
pub(crate) fn credit_shares(
    t: &Transaction,
    payee_index: &IdMap<String, usize>,
    v: &mut InputCheck,
    out: &mut Vec<(usize, Decimal, Decimal)>,
) -> bool {
    match shares(t, payee_index, v, out) {
        Some(()) => true,
        None => {
            out.clear();
            false
        }
    }
}

fn shares(
    t: &Transaction,
    payee_index: &IdMap<String, usize>,
    v: &mut InputCheck,
    out: &mut Vec<(usize, Decimal, Decimal)>,
) -> Option<()> {
    match (&t.owner, t.splits.is_empty()) {
        (Some(_), false) => {
            v.push(
                "invalid_value",
                t.origin.field("splits"),
                format!(
                    "transaction {:?} has both an owner and splits; give one",
                    t.id
                ),
            );
            None
        }
        (None, true) => {
            v.push(
                "missing_field",
                t.origin.field("owner"),
                format!("transaction {:?} needs an owner or splits", t.id),
            );
            None
        }
        (Some(owner), true) => match payee_index.get(owner.as_str()) {
            Some(&pi) => {
                out.push((pi, Decimal::ONE, t.amount.0));
                Some(())
            }
            None => {
                v.push(
                    "unknown_reference",
                    t.origin.field("owner"),
                    format!("unknown payee {owner:?}"),
                );
                None
            }
        },
        // A credit numbers its split in 16 bits (`Credit::split`, `OWNER` excluded).
        (None, false) if t.splits.len() >= OWNER as usize => {
            v.push(
                "invalid_value",
                t.origin.field("splits"),
                format!(
                    "transaction {:?} has more than the 65534 splits allowed",
                    t.id
                ),
            );
            None
        }
        (None, false) => {
            let mut sum = Decimal::ZERO;
            let mut ok = true;
            // This deal's payees so far are `out[start..]` (a deal has few splits).
            let start = out.len();
            for (j, s) in t.splits.iter().enumerate() {
                let path = |f: &str| split_path(t, j, f);
                match payee_index.get(s.payee.as_str()) {
                    Some(&pi) => {
                        if out[start..].iter().any(|x| x.0 == pi) {
                            v.push(
                                "duplicate_id",
                                path("payee"),
                                format!("payee {:?} appears twice in the splits", s.payee),
                            );
                            ok = false;
                        }
                        out.push((pi, s.share.0, Decimal::ZERO));
                    }
                    None => {
                        v.push(
                            "unknown_reference",
                            path("payee"),
                            format!("unknown payee {:?}", s.payee),
                        );
                        ok = false;
                    }
                }
                if s.share.0 <= Decimal::ZERO {
                    v.push(
                        "split_shares",
                        path("share"),
                        format!("expected a share above 0, found {}", s.share.0),
                    );
                    ok = false;
                }
                match sum.checked_add(s.share.0) {
                    Some(x) => sum = x,
                    None => ok = false,
                }
            }
            if sum != Decimal::ONE {
                v.push(
                    "split_shares",
                    t.origin.field("splits"),
                    format!(
                        "split shares of transaction {:?} sum to {sum}; expected exactly 1",
                        t.id
                    ),
                );
                return None;
            }
            if !ok {
                return None;
            }
            // Exact credits; the last takes the remainder so the sum is the amount exactly.
            let mut given = Decimal::ZERO;
            let n = out.len();
            for (j, item) in out.iter_mut().enumerate() {
                let credit = if j + 1 == n {
                    t.amount.0.checked_sub(given)
                } else {
                    t.amount.0.checked_mul(item.1)
                };
                let Some(credit) = credit else {
                    v.push(
                        "overflow",
                        t.origin.field("amount"),
                        format!("{} × share overflows", t.amount.0),
                    );
                    return None;
                };
                given = given.checked_add(credit)?;
                item.2 = credit;
            }
            Some(())
        }
    }
}

/// Transactions checked and credited per parallel chunk.
pub(crate) const TXN_CHUNK: usize = 16 * 1024;

/// What a chunk of transactions gives: own credits, follow-up events
/// (0 cancellation, 1 invoice, 2 payment; the deal; the event) and problems, in row order.
#[derive(Default)]
pub(crate) struct CreditChunk {
    pub own: Vec<(u32, Credit)>,
    pub events: Vec<(u8, u32, u32)>,
    pub problems: InputCheck,
    /// The currencies the own credits' codes number.
    #[cfg(not(target_arch = "wasm32"))]
    pub currencies: crate::facts::Numbering,
}

/// The credits, events and problems of `txns[range]`; native builds give each credit its
/// transaction's currency code, numbered in the chunk (`CreditChunk::currencies`).
pub(crate) fn credit_chunk(
    txns: &[Transaction],
    range: std::ops::Range<usize>,
    payee_index: &IdMap<String, usize>,
) -> CreditChunk {
    let mut out = CreditChunk::default();
    let v = &mut out.problems;
    let mut shares = Vec::new();
    for k in range {
        let t = &txns[k];
        if is_event(t) {
            let r = t.reference.as_deref().unwrap_or_default();
            match txn_position(txns, r) {
                Some(d) if !is_event(&txns[d as usize]) => {
                    let slot = match t.kind.as_str() {
                        "cancellation" | "churn" => 0,
                        "invoice" => 1,
                        _ => 2,
                    };
                    out.events.push((slot, d, k as u32));
                    if t.date < txns[d as usize].date {
                        v.push(
                            "invalid_value",
                            t.origin.field("date"),
                            format!("{} {:?} is dated before the deal {r:?}", t.kind, t.id),
                        );
                    }
                }
                _ => v.push(
                    "unknown_reference",
                    t.origin.field("reference"),
                    format!("{} {:?} references unknown transaction {r:?}", t.kind, t.id),
                ),
            }
            continue;
        }
        shares.clear();
        if credit_shares(t, payee_index, v, &mut shares) {
            for (j, &(pi, _, amount)) in shares.iter().enumerate() {
                #[cfg_attr(target_arch = "wasm32", allow(unused_mut))]
                let mut c = Credit::new(k as u32, t, j, amount);
                #[cfg(not(target_arch = "wasm32"))]
                {
                    c.currency = match t.currency.as_deref() {
                        None => crate::facts::CODE_NONE,
                        Some(name) => out.currencies.number(name),
                    };
                }
                out.own.push((pi as u32, c));
            }
        }
    }
    out
}

/// Path of field `f` of split `j` of `t` (built only for a problem).
#[inline(never)]
fn split_path(t: &Transaction, j: usize, f: &str) -> String {
    format!("{}[{j}].{f}", t.origin.field("splits"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn txn(amount: &str, splits: &[(usize, Decimal)]) -> Transaction {
        let splits: Vec<serde_json::Value> = splits
            .iter()
            .map(|(p, s)| serde_json::json!({"payee": format!("P{p}"), "share": s.to_string()}))
            .collect();
        let mut t = serde_json::json!({"id": "T1", "date": "2027-03-04", "amount": amount});
        if splits.is_empty() {
            t["owner"] = "P0".into();
        } else {
            t["splits"] = splits.into();
        }
        serde_json::from_value(t).unwrap()
    }

    fn index(n: usize) -> IdMap<String, usize> {
        (0..n).map(|p| (format!("P{p}"), p)).collect()
    }

    proptest! {
        /// A packed credit date reads back as the date and orders as dates do.
        #[test]
        fn packed_dates_keep_the_date_and_its_order(a in 0i64..3_652_059, b in 0i64..3_652_059) {
            // Day numbers of 0001-01-01 ..= 9999-12-31.
            let first = Date::new(1, 1, 1).unwrap().day_number();
            let (da, db) = (Date::from_day_number(first + a), Date::from_day_number(first + b));
            let t = txn("1", &[]);
            let c = Credit { day: pack(da.into()), ..Credit::new(0, &t, 0, Decimal::ONE) };
            prop_assert_eq!(c.date(), da);
            prop_assert_eq!(pack(da.into()).cmp(&pack(db.into())), da.cmp(&db));
        }

        /// A credit's amount reads back bit for bit (the same digits and scale, a negative zero
        /// too): packed where it fits, worked out again from the transaction where not.
        #[test]
        fn credit_amounts_read_back_exactly(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
                                            wide in 0u32..4, negative in any::<bool>(), scale in 0u32..=28) {
            // Mantissas of every width: up to 32, 64 or 96 bits, and 55–57 bits (the edge).
            let (mid, hi) = match wide {
                0 => (0, 0),
                1 => (mid, 0),
                2 => (mid & 0x01ff_ffff, 0),
                _ => (mid, hi),
            };
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let mut t = txn("1", &[]);
            t.amount = crate::decimal::Dec(d);
            let c = Credit::new(0, &t, 0, d);
            prop_assert_eq!(c.amount(&t).serialize(), d.serialize());
        }

        /// A credit's (share, amount), worked out again from the transaction, is what
        /// `credit_shares` gave it; split credits sum to the deal exactly.
        #[test]
        fn share_amount_is_what_crediting_gave(cents in -10_000_000_000i64..10_000_000_000,
                                               parts in proptest::collection::vec(1u32..1000, 0..6)) {
            let amount = Decimal::new(cents, 2).to_string();
            let total: u32 = parts.iter().sum();
            // Shares k/total with 6 decimals, the last taking the rest: exactly 1 in all.
            let mut shares: Vec<(usize, Decimal)> = Vec::new();
            let mut given = Decimal::ZERO;
            for (p, k) in parts.iter().enumerate() {
                let s = if p + 1 == parts.len() {
                    Decimal::ONE - given
                } else {
                    (Decimal::from(*k) / Decimal::from(total)).round_dp(6)
                };
                given += s;
                shares.push((p, s));
            }
            prop_assume!(shares.iter().all(|(_, s)| *s > Decimal::ZERO));
            let t = txn(&amount, &shares);
            let got = credit_shares_checked(&t, &index(8)).unwrap();
            let mut sum = Decimal::ZERO;
            for (j, (_, share, credited)) in got.iter().enumerate() {
                let c = Credit::new(7, &t, j, *credited);
                prop_assert_eq!(c.share_amount(&t), (*share, *credited));
                prop_assert_eq!(c.amount(&t).serialize(), credited.serialize());
                sum += *credited;
            }
            prop_assert_eq!(sum, t.amount.0);
        }
    }

    /// The edges of a packed amount: −2^55 ..= 2^55 − 1 fit, one more either way and a negative
    /// zero are read from the transaction; a credit is 20 bytes natively.
    #[test]
    fn packed_amount_edges() {
        let edge = (1i64 << 55) - 1;
        for (m, scale, packed) in [
            (edge, 0, true),
            (-edge, 28, true),
            (-edge - 1, 5, true),
            (edge + 1, 2, false),
            (-edge - 2, 2, false),
            (0, 3, true),
        ] {
            let d = Decimal::from_i128_with_scale(m.into(), scale);
            assert_eq!(pack_amount(d).0[0] as u8 != UNPACKED, packed, "{d}");
            let mut t = txn("1", &[]);
            t.amount = crate::decimal::Dec(d);
            assert_eq!(
                Credit::new(0, &t, 0, d).amount(&t).serialize(),
                d.serialize()
            );
        }
        // A negative zero (`-0.00` parses to one) keeps its sign.
        let negative_zero: Decimal = "-0.00".parse().unwrap();
        let mut t = txn("1", &[]);
        t.amount = crate::decimal::Dec(negative_zero);
        let c = Credit::new(0, &t, 0, negative_zero);
        assert_eq!(c.amount(&t).serialize(), negative_zero.serialize());
        assert_eq!(std::mem::size_of::<Credit>(), 20);
        assert_eq!(std::mem::size_of::<(u32, Credit)>(), 24);
    }

    #[test]
    fn more_splits_than_a_credit_can_number_are_rejected() {
        let many: Vec<(usize, Decimal)> = (0..OWNER as usize).map(|p| (p, Decimal::ONE)).collect();
        let t = txn("100", &many);
        let p = credit_shares_checked(&t, &index(OWNER as usize)).unwrap_err();
        assert_eq!(p.code, "invalid_value");
        assert!(p.message.contains("65534 splits allowed"), "{}", p.message);
    }
}
