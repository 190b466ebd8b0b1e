//! A payee's measure items: each credit a measure counts (and each cancellation that reverses
//! one), in (date, transaction, reversal) order, and the items of some months.

use crate::date::Date;
use rust_decimal::Decimal;

/// One measure-counted credit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub month: usize,
    pub date: Date,
    pub txn: u32,
    pub value: Decimal,
    /// A cancellation reducing attainment (not a deal's own credit).
    pub reversal: bool,
}

impl Item {
    pub fn key(&self) -> (Date, u32, bool) {
        (self.date, self.txn, self.reversal)
    }
}

/// Credits of one measure over some months: the prepared ones and a what-if deal's, read in
/// (date, transaction, reversal) order.
#[derive(Clone, Copy)]
pub(crate) struct ItemsIn<'a> {
    base: &'a [Item],
    extra: &'a [Item],
}

impl<'a> ItemsIn<'a> {
    /// The items of `months` in `base` and `extra` (each in key order, hence month order).
    pub fn new(base: &'a [Item], extra: &'a [Item], months: &std::ops::Range<usize>) -> Self {
        ItemsIn {
            base: &base[months_slice(base, months)],
            extra: &extra[months_slice(extra, months)],
        }
    }

    pub fn len(&self) -> usize {
        self.base.len() + self.extra.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a Item> + 'a {
        let mut b = self.base.iter().peekable();
        let mut e = self.extra.iter().peekable();
        std::iter::from_fn(move || match (b.peek(), e.peek()) {
            (Some(x), Some(y)) if y.key() < x.key() => e.next(),
            (Some(_), _) => b.next(),
            (None, _) => e.next(),
        })
    }
}

fn months_slice(items: &[Item], months: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let lo = items.partition_point(|i| i.month < months.start);
    let hi = items.partition_point(|i| i.month < months.end);
    lo..hi
}
