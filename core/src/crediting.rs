//! Crediting: who receives how much credit for a transaction — the owner, or exact splits
//! whose shares sum to 1 (the last split takes the remainder, so credits always sum to the
//! amount) — and roll-ups of every credit to the payee's managers.

use crate::date::Date;
use crate::engine::{is_event, txn_position, IdMap, InputCheck};
use crate::error::Problem;
use crate::inputs::Transaction;
use rust_decimal::Decimal;

/// One credit of a transaction to a payee (own share, or a report's share rolled up): 28
/// bytes. It holds its credited amount, so summing a payee's credits never reads the
/// transactions, which lie far apart in memory (a cache miss per credit); the share is worked
/// out again from the transaction's splits where a measure needs it (`share_amount`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Credit {
    /// Transaction index (`Ctx::txns.len()` = the what-if deal).
    pub txn: u32,
    /// The credited amount in the transaction's currency (`credit_shares`' amount).
    pub amount: Decimal,
    /// The transaction's date, packed in date order ([`Credit::date`]; credits are kept in
    /// date order).
    pub day: Day,
    /// `OWNER`, or the position of this credit's split in the transaction's splits.
    pub split: u16,
    /// 0 = own, 1 = a direct report's, 2+ deeper.
    pub depth: u8,
}

/// A credit's date: packed into 32 bits (8 bytes less per credit), or, in the size-budgeted
/// WebAssembly build (one payee's credits), the date itself.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Day = u32;
#[cfg(target_arch = "wasm32")]
pub(crate) type Day = Date;

/// `date` as a [`Day`], ordered as dates are (years 1–9999: `Date::new`).
pub(crate) fn pack(date: Date) -> Day {
    #[cfg(not(target_arch = "wasm32"))]
    return (date.year as u32) << 9 | date.month << 5 | date.day;
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
            amount,
            day: pack(t.date),
            split: if t.splits.is_empty() {
                OWNER
            } else {
                // Below OWNER: `credit_shares` refuses more splits.
                j as u16
            },
            depth: 0,
        }
    }

    /// The transaction's date.
    pub fn date(&self) -> Date {
        #[cfg(not(target_arch = "wasm32"))]
        return Date {
            year: (self.day >> 9) as i32,
            month: self.day >> 5 & 15,
            day: self.day & 31,
        };
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

/// The managers of payee `p`, nearest first (at most 254 levels: a credit's depth is a `u8`).
pub(crate) fn managers(parent: &[Option<usize>], p: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(parent[p], move |&m| parent[m]).take(u8::MAX as usize - 1)
}

/// Each payee's credits in (date, transaction, depth) order, equal keys in the order of the
/// payee they come from: its own (`own`, as (payee, credit), in transaction order) and, with
/// `rollup`, a copy of every credit of everyone under it at its depth below. Lists are sized
/// exactly first.
pub(crate) fn spread_credits(
    own: Vec<(u32, Credit)>,
    parent: &[Option<usize>],
    payees: usize,
    rollup: bool,
) -> Vec<Vec<Credit>> {
    // Each payee's managers, nearest first (at most 254 levels are rolled up).
    let up = |p: usize| managers(parent, p).take(if rollup { usize::MAX } else { 0 });
    // In (date, transaction, payee) order before the lists are made (the sort's copy and the
    // lists are never held together).
    #[cfg(feature = "parallel")]
    let own = by_day(own);
    let mut counts = vec![0usize; payees];
    for (p, _) in &own {
        counts[*p as usize] += 1;
        for m in up(*p as usize) {
            counts[m] += 1;
        }
    }
    let mut credits: Vec<Vec<Credit>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    push_credits(own, &mut credits, up);
    // Sorted by (date, transaction, depth); a stable sort keeps equal keys in payee order.
    crate::run::for_each_mut(&mut credits, |list| {
        let key = |c: &Credit| (c.day, c.txn, c.depth);
        #[cfg(feature = "parallel")]
        if list.is_sorted_by_key(key) {
            return;
        }
        list.sort_by_key(key);
    });
    credits
}

/// `own` in (date, transaction, payee) order — (transaction, payee) is unique: a payee appears
/// once in a deal's splits. The credits come in transaction order, so a counting sort on the
/// packed day keeps each day's credits in that order; then a deal's credits (in split order)
/// are put in payee order, and a day still out of order (credits given in another order) is
/// sorted. Days spanning more than 65,536 packed values are sorted by comparison instead.
#[cfg(feature = "parallel")]
fn by_day(mut own: Vec<(u32, Credit)>) -> Vec<(u32, Credit)> {
    use rayon::slice::ParallelSliceMut;
    let key = |x: &(u32, Credit)| (x.1.day, x.1.txn, x.0);
    let (Some(lo), Some(hi), Some(&first)) = (
        own.iter().map(|x| x.1.day).min(),
        own.iter().map(|x| x.1.day).max(),
        own.first(),
    ) else {
        return own;
    };
    let span = (hi - lo) as usize + 1;
    if span > 1 << 16 {
        own.par_sort_unstable_by_key(key);
        return own;
    }
    // Where each day's credits start, then where its next credit goes.
    let mut starts = vec![0usize; span + 1];
    for x in &own {
        starts[(x.1.day - lo) as usize + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![first; own.len()];
    for x in &own {
        let b = (x.1.day - lo) as usize;
        out[next[b]] = *x;
        next[b] += 1;
    }
    drop(own);
    for w in starts.windows(2) {
        let day = &mut out[w[0]..w[1]];
        for deal in day.chunk_by_mut(|a, b| a.1.txn == b.1.txn) {
            if deal.len() > 1 {
                deal.sort_unstable_by_key(|x| x.0);
            }
        }
        if !day.is_sorted_by_key(key) {
            day.sort_unstable_by_key(key);
        }
    }
    out
}

/// Push every credit to its payee and managers, taking the credits in (date, transaction,
/// payee) order: every list is built in (date, transaction) order, so only a list holding one
/// deal at two depths is sorted after.
#[cfg(feature = "parallel")]
fn push_credits<I: Iterator<Item = usize>>(
    own: Vec<(u32, Credit)>,
    credits: &mut [Vec<Credit>],
    up: impl Fn(usize) -> I,
) {
    for &(p, c) in &own {
        credits[p as usize].push(c);
        for (depth, m) in up(p as usize).enumerate() {
            credits[m].push(Credit {
                depth: depth as u8 + 1,
                ..c
            });
        }
    }
}

/// Push every payee's own credits, then roll them up payee by payee (the order equal sort keys
/// keep): the same lists after sorting, in less code for the single-threaded build.
#[cfg(not(feature = "parallel"))]
fn push_credits<I: Iterator<Item = usize>>(
    own: Vec<(u32, Credit)>,
    credits: &mut [Vec<Credit>],
    up: impl Fn(usize) -> I,
) {
    for &(p, c) in &own {
        credits[p as usize].push(c);
    }
    let own_counts: Vec<usize> = credits.iter().map(Vec::len).collect();
    for (p, &n) in own_counts.iter().enumerate() {
        for j in 0..n {
            let c = credits[p][j];
            for (depth, m) in up(p).enumerate() {
                credits[m].push(Credit {
                    depth: depth as u8 + 1,
                    ..c
                });
            }
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
}

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
                out.own
                    .push((pi as u32, Credit::new(k as u32, t, j, amount)));
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

    #[cfg(feature = "parallel")]
    proptest! {
        /// Own credits come out in (date, transaction, payee) order, whether they are given
        /// in transaction order (deals' credits in split order) or in any order, and however
        /// far apart their days are (the counting sort, or the comparison sort past 65,536).
        #[test]
        fn own_credits_come_in_date_transaction_payee_order(
            deals in proptest::collection::vec((0i64..40, proptest::sample::subsequence(vec![4u32, 0, 3, 1, 2], 1..4)), 0..60),
            shuffle in proptest::collection::vec(any::<proptest::sample::Index>(), 0..40),
            wide in any::<bool>(),
        ) {
            let start = if wide { 0 } else { 739_000 };
            let mut own = Vec::new();
            for (txn, (days, payees)) in deals.iter().enumerate() {
                // A wide range of days: year 1 to about 9999.
                let day = start + if wide { days * 90_000 } else { *days };
                let date = Date::from_day_number(day);
                for (split, &p) in payees.iter().enumerate() {
                    own.push((p, Credit { txn: txn as u32, amount: Decimal::ONE, day: pack(date), split: split as u16, depth: 0 }));
                }
            }
            let key = |x: &(u32, Credit)| (x.1.day, x.1.txn, x.0, x.1.split);
            let mut want: Vec<_> = own.iter().map(key).collect();
            want.sort_unstable();
            let got: Vec<_> = by_day(own.clone()).iter().map(key).collect();
            prop_assert_eq!(&got, &want);
            for (k, i) in shuffle.iter().enumerate() {
                let n = own.len();
                if n > 0 {
                    own.swap(k % n, i.index(n));
                }
            }
            let got: Vec<_> = by_day(own).iter().map(key).collect();
            prop_assert_eq!(&got, &want);
        }
    }

    proptest! {
        /// A packed credit date reads back as the date and orders as dates do.
        #[test]
        fn packed_dates_keep_the_date_and_its_order(a in 0i64..3_652_059, b in 0i64..3_652_059) {
            // Day numbers of 0001-01-01 ..= 9999-12-31.
            let first = Date::new(1, 1, 1).unwrap().day_number();
            let (da, db) = (Date::from_day_number(first + a), Date::from_day_number(first + b));
            let t = txn("1", &[]);
            let c = Credit { day: pack(da), ..Credit::new(0, &t, 0, Decimal::ONE) };
            prop_assert_eq!(c.date(), da);
            prop_assert_eq!(pack(da).cmp(&pack(db)), da.cmp(&db));
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
                sum += *credited;
            }
            prop_assert_eq!(sum, t.amount.0);
        }
    }

    #[test]
    fn more_splits_than_a_credit_can_number_are_rejected() {
        let many: Vec<(usize, Decimal)> = (0..OWNER as usize).map(|p| (p, Decimal::ONE)).collect();
        let t = txn("100", &many);
        let p = credit_shares_checked(&t, &index(OWNER as usize)).unwrap_err();
        assert_eq!(p.code, "invalid_value");
        assert!(p.message.contains("65534 splits allowed"), "{}", p.message);
    }

    /// Every payee's credits in (date, transaction, depth) order and, for equal keys, in the
    /// order of the payee each came from — whatever order the credits are given in.
    #[test]
    fn spread_credits_order_is_date_transaction_depth_then_source_payee() {
        // 0 ← 1 ← {2, 3}: payee 1 manages 2 and 3, payee 0 manages 1.
        let parent = vec![None, Some(0), Some(1), Some(1)];
        let d = |day: u32| Date::new(2027, 1, day).unwrap();
        let credit = |txn: u32, day: u32, split: u16| Credit {
            txn,
            amount: Decimal::ONE,
            day: pack(d(day)),
            split,
            depth: 0,
        };
        // Deal 5 split between 3 and 2 (split 0 to payee 3), deal 4 between 1 and 2.
        let own = vec![
            (3, credit(5, 2, 0)),
            (2, credit(5, 2, 1)),
            (1, credit(4, 2, 0)),
            (2, credit(4, 2, 1)),
            (3, credit(1, 9, OWNER)),
            (0, credit(9, 1, OWNER)),
        ];
        let mut reversed = own.clone();
        reversed.reverse();
        for given in [own, reversed] {
            let lists = spread_credits(given, &parent, 4, true);
            let keys = |p: usize| -> Vec<(u32, u32, u8, u16)> {
                lists[p]
                    .iter()
                    .map(|c| (c.date().day, c.txn, c.depth, c.split))
                    .collect()
            };
            let o = OWNER;
            assert_eq!(keys(3), vec![(2, 5, 0, 0), (9, 1, 0, o)]);
            assert_eq!(keys(2), vec![(2, 4, 0, 1), (2, 5, 0, 1)]);
            // Deal 5 reaches payee 1 from payees 2 (split 1) and 3 (split 0): payee order.
            assert_eq!(
                keys(1),
                vec![
                    (2, 4, 0, 0),
                    (2, 4, 1, 1),
                    (2, 5, 1, 1),
                    (2, 5, 1, 0),
                    (9, 1, 1, o)
                ]
            );
            assert_eq!(
                keys(0),
                vec![
                    (1, 9, 0, o),
                    (2, 4, 1, 0),
                    (2, 4, 2, 1),
                    (2, 5, 2, 1),
                    (2, 5, 2, 0),
                    (9, 1, 2, o)
                ]
            );
        }
        // Rolled up nothing without `rollup`.
        let lists = spread_credits(vec![(2, credit(5, 2, OWNER))], &parent, 4, false);
        assert_eq!(
            lists.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![0, 0, 1, 0]
        );
    }
}
