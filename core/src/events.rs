//! Follow-up events of a deal: its first cancellation (or churn), invoice and payment, found
//! by the events' `reference`.

use crate::engine::IdMap;
use crate::inputs::Transaction;

/// Follow-up events referencing a deal.
#[derive(Debug, Default, Clone)]
pub(crate) struct Events {
    /// First cancellation or churn of each deal.
    pub cancellation: EventMap,
    /// First invoice of each deal.
    pub invoice: EventMap,
    /// First payment of each deal.
    pub payment: EventMap,
}

impl Events {
    /// Done adding events: index which of `txns` transactions have one.
    pub fn seal(&mut self, txns: usize) {
        for map in [&mut self.cancellation, &mut self.invoice, &mut self.payment] {
            map.seal(txns);
        }
    }
}

/// The first event of each deal (by the event's date, then its id), with one bit per
/// transaction saying whether it has one: most deals have none, and the bit (a million fit in
/// 125 kB) answers for them without probing the map. The WebAssembly build, held to a size
/// budget and run on small data, probes the map alone; the answers are the same.
#[derive(Debug, Default, Clone)]
pub(crate) struct EventMap {
    first: IdMap<u32, u32>,
    #[cfg(not(target_arch = "wasm32"))]
    has: Vec<u64>,
}

impl EventMap {
    /// The event of deal `deal` (a transaction index).
    #[cfg(target_arch = "wasm32")]
    pub fn get(&self, deal: &u32) -> Option<&u32> {
        self.first.get(deal)
    }

    /// The event of deal `deal` (a transaction index).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn get(&self, deal: &u32) -> Option<&u32> {
        let d = *deal as usize;
        match self.has.get(d / 64) {
            Some(word) if word >> (d % 64) & 1 == 0 => None,
            // Set, or past the sealed transactions: the map answers.
            _ => self.first.get(deal),
        }
    }

    /// Event `event` of deal `deal`, kept if it comes first (by date, then id).
    pub fn offer(&mut self, deal: u32, event: u32, txns: &[Transaction]) {
        let entry = self.first.entry(deal).or_insert(event);
        let (t, cur) = (&txns[event as usize], &txns[*entry as usize]);
        if (t.date, &t.id) < (cur.date, &cur.id) {
            *entry = event;
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn seal(&mut self, _txns: usize) {}

    #[cfg(not(target_arch = "wasm32"))]
    fn seal(&mut self, txns: usize) {
        self.has = vec![0; txns.div_ceil(64)];
        for &d in self.first.keys() {
            let d = d as usize;
            if let Some(word) = self.has.get_mut(d / 64) {
                *word |= 1 << (d % 64);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn the_first_event_is_kept_and_the_bits_agree_with_the_map() {
        let txn = |id: &str, day| Transaction {
            id: id.into(),
            date: Date::new(2027, 3, day).unwrap().into(),
            ..Default::default()
        };
        // 0..130 deals; events 130 (day 9), 131 (day 5), 132 (day 5, a smaller id).
        let mut txns: Vec<Transaction> = (0..130).map(|k| txn(&format!("D{k:03}"), 1)).collect();
        txns.extend([txn("E2", 9), txn("E9", 5), txn("E1", 5)]);
        let mut map = EventMap::default();
        for event in [130, 131, 132] {
            map.offer(127, event, &txns);
        }
        map.offer(3, 130, &txns);
        map.seal(txns.len());
        assert_eq!(map.get(&127), Some(&132));
        assert_eq!(map.get(&3), Some(&130));
        // Every other deal, the what-if deal (133) and past the bits (200): none.
        for d in (0..134)
            .chain([200, u32::MAX])
            .filter(|d| ![3, 127].contains(d))
        {
            assert_eq!(map.get(&d), None, "deal {d}");
        }
    }
}
