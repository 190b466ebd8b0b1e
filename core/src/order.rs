//! Canonical row order: every input table sorted by its key (transactions and payees by id), so
//! the output never depends on the order rows were given in. Sorting moves each (large) row once.

use crate::inputs::Request;
use std::cmp::Ordering;

#[cfg(not(target_arch = "wasm32"))]
/// Stable sort of `rows` by `cmp`, moving each row once: already-sorted input costs one pass,
/// otherwise a permutation of indexes is sorted and applied in place (rows are large).
fn sort_rows<T>(rows: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if rows.is_sorted_by(|a, b| cmp(a, b) != Ordering::Greater) {
        return;
    }
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    order.sort_by(|&a, &b| cmp(&rows[a as usize], &rows[b as usize]));
    apply_order(rows, order);
}

#[cfg(not(target_arch = "wasm32"))]
/// The first 16 bytes of `id`, big-endian, zero-padded: ordering these agrees with ordering the
/// ids wherever they differ (ties are settled on the whole id).
pub(crate) fn id_prefix(id: &str) -> u128 {
    let mut buf = [0u8; 16];
    let n = id.len().min(16);
    buf[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(buf)
}

#[cfg(not(target_arch = "wasm32"))]
/// Stable sort of rows by their id: sorts compact (prefix, index) keys, so comparing rarely
/// touches the rows themselves, then applies the order in place.
fn sort_by_id<T: Sync>(rows: &mut [T], id: impl Fn(&T) -> &str + Sync) {
    if rows.is_sorted_by(|a, b| id(a) <= id(b)) {
        return;
    }
    let mut keys: Vec<(u128, u32)> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| (id_prefix(id(r)), k as u32))
        .collect();
    let cmp = |a: &(u128, u32), b: &(u128, u32)| {
        a.0.cmp(&b.0)
            .then_with(|| id(&rows[a.1 as usize]).cmp(id(&rows[b.1 as usize])))
            .then(a.1.cmp(&b.1))
    };
    // Keys are unique (the index breaks ties), so an unstable sort gives the one order.
    #[cfg(feature = "parallel")]
    {
        use rayon::slice::ParallelSliceMut;
        keys.par_sort_unstable_by(cmp);
    }
    #[cfg(not(feature = "parallel"))]
    keys.sort_unstable_by(cmp);
    let order: Vec<u32> = keys.into_iter().map(|(_, k)| k).collect();
    apply_order(rows, order);
}

#[cfg(not(target_arch = "wasm32"))]
/// Reorder `rows` so that position k holds the row that was at `order[k]`, moving each row once.
fn apply_order<T>(rows: &mut [T], mut order: Vec<u32>) {
    for start in 0..order.len() {
        let mut k = start;
        while order[k] as usize != start && order[k] as usize != k {
            let src = order[k] as usize;
            rows.swap(k, src);
            order[k] = k as u32;
            k = src;
        }
        order[k] = k as u32;
    }
}

/// The size-budgeted WebAssembly build sorts the rows themselves (the same stable order).
#[cfg(target_arch = "wasm32")]
fn sort_rows<T>(rows: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    rows.sort_by(cmp);
}

#[cfg(target_arch = "wasm32")]
fn sort_by_id<T>(rows: &mut [T], id: impl Fn(&T) -> &str) {
    rows.sort_by(|a, b| id(a).cmp(id(b)));
}

pub(crate) fn sort_request(req: &mut Request) {
    let i = &mut req.inputs;
    sort_by_id(&mut i.payees, |p| &p.id);
    sort_by_id(&mut i.transactions, |t| &t.id);
    i.assignments
        .sort_by(|a, b| (&a.payee, a.from, &a.plan, a.to).cmp(&(&b.payee, b.from, &b.plan, b.to)));
    sort_rows(&mut i.quotas, |a, b| {
        (&a.payee, &a.measure, &a.period, a.amount)
            .cmp(&(&b.payee, &b.measure, &b.period, b.amount))
    });
    i.fx_rates.sort_by(|a, b| {
        (&a.from, &a.to, a.effective, a.rate).cmp(&(&b.from, &b.to, b.effective, b.rate))
    });
    i.payments.sort_by(|a, b| {
        (&a.payee, &a.period, &a.component, a.amount, a.closed).cmp(&(
            &b.payee,
            &b.period,
            &b.component,
            b.amount,
            b.closed,
        ))
    });
    i.adjustments.sort_by(|a, b| {
        (&a.payee, &a.period, &a.id, a.amount, &a.reason, &a.approver).cmp(&(
            &b.payee,
            &b.period,
            &b.id,
            b.amount,
            &b.reason,
            &b.approver,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_id_is_a_stable_sort_on_whole_ids() {
        // Ids sharing their first 16 bytes, duplicates (kept in input order) and short ids.
        let ids = [
            "same-prefix-0000-b",
            "b",
            "same-prefix-0000-a",
            "a",
            "b",
            "same-prefix-0000",
            "",
            "a",
        ];
        let mut rows: Vec<(String, usize)> = ids
            .iter()
            .enumerate()
            .map(|(k, s)| (s.to_string(), k))
            .collect();
        let mut want = rows.clone();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        sort_by_id(&mut rows, |r| &r.0);
        assert_eq!(rows, want);
        assert_eq!(rows[1], ("a".to_string(), 3));
        assert_eq!(rows[2], ("a".to_string(), 7));
    }

    #[test]
    fn apply_order_moves_every_row_to_its_place() {
        let mut rows = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles and a fixed point.
        apply_order(&mut rows, vec![2, 0, 1, 3, 5, 4]);
        assert_eq!(rows, vec!['c', 'a', 'b', 'd', 'f', 'e']);
    }
}
