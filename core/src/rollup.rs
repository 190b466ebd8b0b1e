//! Roll-up: the manager hierarchy (checked for unknown managers and cycles), and every payee's
//! list of credits — its own and, under a manager override, a copy of each credit of everyone
//! under it, at its depth below — in (date, transaction, depth) order.

use crate::crediting::Credit;

/// The managers of payee `p`, nearest first (at most 254 levels: a credit's depth is a `u8`).
pub(crate) fn managers(parent: &[Option<usize>], p: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(parent[p], move |&m| parent[m]).take(u8::MAX as usize - 1)
}

/// Each payee's manager (a payee index), checking that every manager is a payee and that no
/// chain of managers comes back to where it started (`manager_cycle`).
pub(crate) fn parents(
    payees: &[crate::inputs::Payee],
    index: &crate::engine::IdMap<String, usize>,
    v: &mut crate::engine::InputCheck,
) -> Vec<Option<usize>> {
    let mut parent = vec![None; payees.len()];
    for (k, p) in payees.iter().enumerate() {
        if let Some(m) = &p.manager {
            match index.get(m.as_str()) {
                Some(&mi) if mi != k => parent[k] = Some(mi),
                Some(_) => v.push(
                    "manager_cycle",
                    p.origin.field("manager"),
                    format!("payee {:?} manages themself", p.id),
                ),
                None => v.push(
                    "unknown_reference",
                    p.origin.field("manager"),
                    format!("unknown manager {m:?}"),
                ),
            }
        }
    }
    for (k, p) in payees.iter().enumerate() {
        let mut seen = 0usize;
        let mut cur = parent[k];
        while let Some(c) = cur {
            seen += 1;
            if c == k || seen > parent.len() {
                v.push(
                    "manager_cycle",
                    p.origin.field("manager"),
                    format!("the managers of {:?} form a cycle", p.id),
                );
                break;
            }
            cur = parent[c];
        }
    }
    parent
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

/// Push a copy of own credit `c` to each of `managers` (nearest first), at its depth below.
fn push_up(credits: &mut [Vec<Credit>], c: Credit, managers: impl Iterator<Item = usize>) {
    for (depth, m) in managers.enumerate() {
        credits[m].push(Credit {
            depth: depth as u8 + 1,
            ..c
        });
    }
}

/// Push every credit to its payee and managers, taking the credits in (date, transaction,
/// payee) order: every list is built in (date, transaction) order, so only a list holding one
/// deal at two depths is sorted after.
///
/// The credits are taken from the back, a block at a time, and each block is freed once
/// pushed (the own credits and the lists they fill are not held whole together); each list,
/// filled back to front, is reversed at the end — a list gets each credit once, so reversing
/// restores the front-to-back order.
#[cfg(feature = "parallel")]
fn push_credits<I: Iterator<Item = usize>>(
    mut own: Vec<(u32, Credit)>,
    credits: &mut [Vec<Credit>],
    up: impl Fn(usize) -> I,
) {
    const BLOCK: usize = 1 << 16;
    while !own.is_empty() {
        let start = own.len().saturating_sub(BLOCK);
        for &(p, c) in own[start..].iter().rev() {
            credits[p as usize].push(c);
            push_up(credits, c, up(p as usize));
        }
        own.truncate(start);
        own.shrink_to_fit();
    }
    crate::run::for_each_mut(credits, |list| list.reverse());
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
            push_up(credits, c, up(p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crediting::{pack, OWNER};
    use crate::date::Date;
    #[cfg(feature = "parallel")]
    use proptest::prelude::*;
    use rust_decimal::Decimal;

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
                    own.push((p, Credit { txn: txn as u32, amount: crate::crediting::pack_amount(Decimal::ONE), day: pack(date.into()), split: split as u16, depth: 0, currency: crate::facts::CODE_READ }));
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

    #[test]
    fn parents_name_unknown_managers_and_cycles() {
        let payee = |id: &str, manager: Option<&str>| crate::inputs::Payee {
            id: id.into(),
            manager: manager.map(Into::into),
            origin: crate::inputs::Origin::Json {
                table: "payees".into(),
                index: 0,
            },
            ..Default::default()
        };
        // A ← B ← C; D manages itself; E has an unknown manager; F and G manage each other.
        let payees = [
            payee("A", None),
            payee("B", Some("A")),
            payee("C", Some("B")),
            payee("D", Some("D")),
            payee("E", Some("nobody")),
            payee("F", Some("G")),
            payee("G", Some("F")),
        ];
        let index: crate::engine::IdMap<String, usize> = (payees.iter().enumerate())
            .map(|(k, p)| (p.id.clone(), k))
            .collect();
        let mut v = crate::engine::InputCheck::default();
        let parent = parents(&payees, &index, &mut v);
        assert_eq!(
            parent,
            [None, Some(0), Some(1), None, None, Some(6), Some(5)]
        );
        let codes: Vec<(&str, &str)> = (v.problems.iter())
            .map(|p| (p.code, p.message.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("manager_cycle", "payee \"D\" manages themself"),
                ("unknown_reference", "unknown manager \"nobody\""),
                ("manager_cycle", "the managers of \"F\" form a cycle"),
                ("manager_cycle", "the managers of \"G\" form a cycle"),
            ]
        );
        assert_eq!(managers(&parent, 2).collect::<Vec<_>>(), [1, 0]);
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
            amount: crate::crediting::pack_amount(Decimal::ONE),
            day: pack(d(day).into()),
            split,
            depth: 0,
            currency: crate::facts::CODE_READ,
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
