//! Deterministic benchmark data: the same `Spec` gives the same bytes on every machine,
//! every run (SplitMix64 with a fixed seed, integer arithmetic only, no hash-map order).
//!
//! Shape of the data (fiscal year 2027, calendar months):
//! - payees in a hierarchy: directors `D001…`, managers `M0001…` (manager `i` reports to
//!   director `i % directors`), reps `R000001…` (rep `i` reports to manager `i % managers`);
//!   all paid in EUR, employed all year, all on the reference plan `ref-2027`;
//! - bookings (95 %) with an amount of 500.00–100,000.00 in EUR (70 %) or USD (30 %), a
//!   `product` attribute (`cloud` 40 %, `onprem`), owned by a rep (97 %) or a manager (3 %);
//!   about 10 % are split 50/50 between two reps; rep `R000001` (the "whale") owns exactly
//!   2,000 bookings (when there are at least 4,000 bookings);
//! - cancellations (5 %), each referencing an earlier booking (never the whale's), 1–120
//!   days later, carrying the booking's amount, currency, credit and product;
//! - monthly quotas per payee for the measures `bookings` and `cloud`;
//! - a USD→EUR rate effective on the first of every month.

/// The seed every published figure uses.
pub const DEFAULT_SEED: u64 = 0x5EED_2027_0000_0001;

/// The reference plan (`benches/plan/reference-plan.json`).
pub const REFERENCE_PLAN: &str = include_str!("../plan/reference-plan.json");

/// Plan id of the reference plan.
pub const PLAN_ID: &str = "ref-2027";

/// SplitMix64 (Steele, Lea, Flood 2014): `state += 0x9E3779B97F4A7C15`, then the
/// finaliser below. Numbers in `0..n` are `(x * n) >> 64` on 128 bits.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub transactions: usize,
    pub payees: usize,
    pub seed: u64,
}

impl Spec {
    /// The standard sizes: one payee per 100 transactions, at least 100 payees
    /// (10k → 100, 100k → 1,000, 1M → 10,000, 10M → 100,000).
    pub fn for_transactions(transactions: usize) -> Spec {
        Spec {
            transactions,
            payees: (transactions / 100).max(100),
            seed: DEFAULT_SEED,
        }
    }

    /// `10k`, `100k`, `1m`, `10m` or a plain number of transactions.
    pub fn parse_size(s: &str) -> Option<Spec> {
        let s = s.trim().to_ascii_lowercase();
        let n = if let Some(k) = s.strip_suffix('k') {
            k.parse::<usize>().ok()? * 1_000
        } else if let Some(m) = s.strip_suffix('m') {
            m.parse::<usize>().ok()? * 1_000_000
        } else {
            s.parse::<usize>().ok()?
        };
        Some(Spec::for_transactions(n))
    }

    /// Folder name of a size: `10k`, `1m`, or the number.
    pub fn label(&self) -> String {
        let n = self.transactions;
        if n % 1_000_000 == 0 {
            format!("{}m", n / 1_000_000)
        } else if n % 1_000 == 0 {
            format!("{}k", n / 1_000)
        } else {
            n.to_string()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Director,
    Manager,
    Rep,
}

#[derive(Debug, Clone)]
pub struct Payee {
    pub id: String,
    pub role: Role,
    pub manager: Option<usize>,
    /// Annual target incentive in whole EUR (a multiple of 12).
    pub target_incentive: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Booking,
    Cancellation,
}

#[derive(Debug, Clone)]
pub struct Txn {
    pub kind: Kind,
    /// Sequence number within its kind (the id is `T{seq:08}` or `C{seq:08}`).
    pub seq: u32,
    /// Day of the year 2027, 0-based (0 = 2027-01-01).
    pub day: u16,
    /// Amount in cents of `currency`.
    pub cents: i64,
    pub usd: bool,
    pub cloud: bool,
    /// Owner, or first split partner when `partner` is set (50/50).
    pub owner: usize,
    pub partner: Option<usize>,
    /// For a cancellation: the `seq` of the booking it cancels.
    pub reference: Option<u32>,
}

impl Txn {
    pub fn id(&self) -> String {
        match self.kind {
            Kind::Booking => format!("T{:08}", self.seq),
            Kind::Cancellation => format!("C{:08}", self.seq),
        }
    }
}

/// Measures that carry quotas.
pub const QUOTA_MEASURES: [&str; 2] = ["bookings", "cloud"];

#[derive(Debug, Clone)]
pub struct Dataset {
    pub spec: Spec,
    pub payees: Vec<Payee>,
    /// Sorted by (date, kind, id).
    pub transactions: Vec<Txn>,
    /// `quotas[payee][measure]` = monthly quota in whole EUR (the same every month).
    pub quotas: Vec<[u64; 2]>,
    /// USD→EUR rate in force from the first of each month, in 1/10,000.
    pub fx_usd_eur: [u32; 12],
    /// Index of the rep with 2,000 bookings.
    pub whale: usize,
    pub whale_deals: usize,
}

const MONTH_DAYS: [u16; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// `2027-MM-DD` of a 0-based day of 2027.
pub fn date_of_day(day: u16) -> String {
    let (m, d) = month_day(day);
    format!("2027-{:02}-{:02}", m, d)
}

/// (month 1..12, day 1..31) of a 0-based day of 2027.
pub fn month_day(mut day: u16) -> (u16, u16) {
    for (i, &len) in MONTH_DAYS.iter().enumerate() {
        if day < len {
            return (i as u16 + 1, day + 1);
        }
        day -= len;
    }
    (12, 31)
}

/// `12345.67` from cents.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{}{}.{:02}", sign, c / 100, c % 100)
}

pub(crate) fn rate4(r: u32) -> String {
    format!("{}.{:04}", r / 10_000, r % 10_000)
}

/// Mean credited EUR per booking used to size quotas (500–100,000 uniform, 30 % at ~0.925).
const MEAN_BOOKING_EUR: u64 = 49_000;

pub fn generate(spec: Spec) -> Dataset {
    let mut rng = SplitMix64::new(spec.seed);
    let n_payees = spec.payees.max(4);
    let n_mgr = (n_payees / 40).max(2);
    let n_dir = (n_mgr / 10).max(1);
    let n_rep = n_payees - n_mgr - n_dir;

    // Hierarchy: directors, then managers, then reps.
    let mut payees = Vec::with_capacity(n_payees);
    for i in 0..n_dir {
        payees.push(Payee {
            id: format!("D{:03}", i + 1),
            role: Role::Director,
            manager: None,
            target_incentive: 96_000,
        });
    }
    for i in 0..n_mgr {
        payees.push(Payee {
            id: format!("M{:04}", i + 1),
            role: Role::Manager,
            manager: Some(i % n_dir),
            target_incentive: 60_000,
        });
    }
    const REP_TI: [u64; 5] = [24_000, 30_000, 36_000, 42_000, 48_000];
    for i in 0..n_rep {
        let ti = REP_TI[rng.below(5) as usize];
        payees.push(Payee {
            id: format!("R{:06}", i + 1),
            role: Role::Rep,
            manager: Some(n_dir + i % n_mgr),
            target_incentive: ti,
        });
    }
    let first_rep = n_dir + n_mgr;
    let first_mgr = n_dir;
    let whale = first_rep;

    // Bookings.
    let n_total = spec.transactions;
    let n_cancel = n_total / 20;
    let n_book = n_total - n_cancel;
    let whale_deals = if n_book >= 4_000 { 2_000 } else { n_book / 5 };
    let mut bookings: Vec<Txn> = Vec::with_capacity(n_book);
    let mut mgr_deals = 0u64;
    for i in 0..n_book {
        let day = rng.below(365) as u16;
        let cents = 50_000 + rng.below(9_950_001) as i64;
        let usd = rng.chance(300);
        let cloud = rng.chance(400);
        let (owner, partner) = if i < whale_deals {
            (whale, None)
        } else {
            let owner = if rng.chance(30) {
                mgr_deals += 1;
                first_mgr + rng.below(n_mgr as u64) as usize
            } else {
                first_rep + 1 + rng.below(n_rep as u64 - 1) as usize
            };
            let partner = if rng.chance(100) {
                let mut p = first_rep + 1 + rng.below(n_rep as u64 - 1) as usize;
                if p == owner {
                    p = if p + 1 < n_payees {
                        p + 1
                    } else {
                        first_rep + 1
                    };
                }
                Some(p)
            } else {
                None
            };
            (owner, partner)
        };
        bookings.push(Txn {
            kind: Kind::Booking,
            seq: i as u32 + 1,
            day,
            cents,
            usd,
            cloud,
            owner,
            partner,
            reference: None,
        });
    }

    // Cancellations of distinct, non-whale bookings.
    let mut cancelled = vec![false; n_book];
    let mut cancellations = Vec::with_capacity(n_cancel);
    let pool = (n_book - whale_deals) as u64;
    for j in 0..n_cancel.min(pool as usize) {
        let mut b = whale_deals + rng.below(pool) as usize;
        while cancelled[b] {
            b = if b + 1 < n_book { b + 1 } else { whale_deals };
        }
        cancelled[b] = true;
        let src = &bookings[b];
        let day = (src.day + 1 + rng.below(120) as u16).min(364);
        cancellations.push(Txn {
            kind: Kind::Cancellation,
            seq: j as u32 + 1,
            day,
            cents: src.cents,
            usd: src.usd,
            cloud: src.cloud,
            owner: src.owner,
            partner: src.partner,
            reference: Some(src.seq),
        });
    }

    let mut transactions = bookings;
    transactions.extend(cancellations);
    transactions.sort_by_key(|t| (t.day, t.kind, t.seq));

    // Monthly quotas in whole EUR, rounded to 100.
    let rep_deals = (n_book - whale_deals) as u64 - mgr_deals;
    let per_rep_annual = rep_deals * MEAN_BOOKING_EUR / (n_rep as u64 - 1).max(1);
    let per_mgr_annual = (mgr_deals * MEAN_BOOKING_EUR / n_mgr as u64).max(12_000);
    let mut quotas = Vec::with_capacity(n_payees);
    for (i, p) in payees.iter().enumerate() {
        let annual = match p.role {
            Role::Director => 1_200_000,
            Role::Manager => per_mgr_annual,
            Role::Rep if i == whale => whale_deals as u64 * MEAN_BOOKING_EUR,
            Role::Rep => per_rep_annual,
        };
        let factor = 800 + rng.below(451); // 0.800 … 1.250
        let monthly = (annual * factor / 1_000 / 12 / 100).max(10) * 100;
        let cloud = (monthly * 4 / 10 / 100).max(4) * 100;
        quotas.push([monthly, cloud]);
    }

    let mut fx_usd_eur = [0u32; 12];
    for r in fx_usd_eur.iter_mut() {
        *r = 9_000 + rng.below(600) as u32;
    }

    Dataset {
        spec,
        payees,
        transactions,
        quotas,
        fx_usd_eur,
        whale,
        whale_deals,
    }
}

pub use crate::tables::{json_string, write_dataset, Tables};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // First outputs of SplitMix64 seeded with 0 (the published reference sequence).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn same_spec_same_bytes() {
        let s = Spec::for_transactions(2_000);
        let a = generate(s);
        let b = generate(s);
        assert_eq!(
            a.request_csv_json(&a.tables()),
            b.request_csv_json(&b.tables())
        );
        assert_eq!(a.request_objects_json(), b.request_objects_json());
    }

    #[test]
    fn sizes_and_shape() {
        let ds = generate(Spec::for_transactions(10_000));
        assert_eq!(ds.transactions.len(), 10_000);
        assert_eq!(ds.payees.len(), 100);
        let whale = ds
            .transactions
            .iter()
            .filter(|t| t.kind == Kind::Booking && t.owner == ds.whale)
            .count();
        assert_eq!(whale, 2_000);
        let splits = ds
            .transactions
            .iter()
            .filter(|t| t.kind == Kind::Booking && t.partner.is_some())
            .count();
        assert!(splits > 500 && splits < 1_000, "{splits}");
        // every cancellation references an earlier (or same-day) booking
        let mut day_of = std::collections::HashMap::new();
        for t in &ds.transactions {
            if t.kind == Kind::Booking {
                day_of.insert(t.seq, t.day);
            }
        }
        for t in ds
            .transactions
            .iter()
            .filter(|t| t.kind == Kind::Cancellation)
        {
            assert!(day_of[&t.reference.unwrap()] <= t.day);
        }
        assert_eq!(date_of_day(0), "2027-01-01");
        assert_eq!(date_of_day(364), "2027-12-31");
        assert_eq!(date_of_day(59), "2027-03-01");
        assert_eq!(money(50_000), "500.00");
        assert_eq!(Spec::parse_size("1m").unwrap().payees, 10_000);
    }
}
