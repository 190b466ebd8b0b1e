//! Calendar dates (`YYYY-MM-DD`), without clocks or time zones.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A proleptic Gregorian calendar date.
///
/// ```
/// use payplan_core::date::Date;
/// let d: Date = "2027-02-15".parse().unwrap();
/// assert_eq!(d.days_in_month(), 28);
/// assert_eq!(d.add_days(14).to_string(), "2027-03-01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// 0001-01-01, the earliest date [`Date::new`] accepts (the date of a blank row).
impl Default for Date {
    fn default() -> Date {
        Date {
            year: 1,
            month: 1,
            day: 1,
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days in this date's month.
    pub fn days_in_month(&self) -> u32 {
        days_in_month(self.year, self.month)
    }

    /// Days since 0000-03-01 (a day number for differences).
    pub fn day_number(&self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (self.year as i64 - 1, self.month as i64 + 9)
        } else {
            (self.year as i64, self.month as i64 - 3)
        };
        let era_days = 365 * y + y / 4 - y / 100 + y / 400;
        era_days + (153 * m + 2) / 5 + self.day as i64 - 1
    }

    /// The date from a day number (inverse of [`Date::day_number`]).
    pub fn from_day_number(n: i64) -> Date {
        // Civil-from-days over the 0000-03-01 epoch.
        let era = n.div_euclid(146_097);
        let doe = n.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (era * 400 + yoe + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// This date plus `n` days.
    pub fn add_days(&self, n: i64) -> Date {
        Date::from_day_number(self.day_number() + n)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(&self, other: &Date) -> i64 {
        other.day_number() - self.day_number()
    }

    /// First day of this date's month.
    pub fn month_start(&self) -> Date {
        Date { day: 1, ..*self }
    }

    /// Last day of this date's month.
    pub fn month_end(&self) -> Date {
        Date {
            day: self.days_in_month(),
            ..*self
        }
    }

    /// The date itself (as [`PackedDate::get`], for a [`RowDate`]).
    pub fn get(self) -> Date {
        self
    }

    /// Months from (year, month) `a` to this date's month.
    pub fn months_since(&self, year: i32, month: u32) -> i64 {
        (self.year as i64 - year as i64) * 12 + self.month as i64 - month as i64
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("invalid_date: expected a date YYYY-MM-DD, found {s:?}");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        Date::new(y as i32, m, d).ok_or_else(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A transaction row's date: natively a [`PackedDate`] (4 bytes), in the size-budgeted
/// WebAssembly build the [`Date`] itself; both give the date with `get()`.
#[cfg(not(target_arch = "wasm32"))]
pub type RowDate = PackedDate;
/// A transaction row's date (the WebAssembly build: the [`Date`] itself).
#[cfg(target_arch = "wasm32")]
pub type RowDate = Date;

/// A [`Date`] in 4 bytes (a transaction row's date, a third of a `Date`'s 12): ordered as
/// dates are, read and written as `YYYY-MM-DD`.
///
/// ```
/// use payplan_core::date::{Date, PackedDate};
/// let d: Date = "2027-02-15".parse().unwrap();
/// assert_eq!(PackedDate::from(d).get(), d);
/// assert!(PackedDate::from(d) < PackedDate::from(d.add_days(1)));
/// assert_eq!(PackedDate::from(d).to_string(), "2027-02-15");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackedDate(u32);

impl PackedDate {
    /// The date.
    pub fn get(self) -> Date {
        Date {
            year: (self.0 >> 9) as i32,
            month: self.0 >> 5 & 15,
            day: self.0 & 31,
        }
    }

    /// The packed number: year × 512 + month × 32 + day (dates' order).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn bits(self) -> u32 {
        self.0
    }

    /// The date of a packed number ([`PackedDate::bits`]).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn from_bits(bits: u32) -> PackedDate {
        PackedDate(bits)
    }
}

/// Years 1–9999, as [`Date::new`] gives them (a year outside is kept modulo 2^23).
impl From<Date> for PackedDate {
    fn from(d: Date) -> PackedDate {
        PackedDate((d.year as u32) << 9 | (d.month & 15) << 5 | (d.day & 31))
    }
}

impl Default for PackedDate {
    fn default() -> PackedDate {
        Date::default().into()
    }
}

impl fmt::Display for PackedDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for PackedDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for PackedDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PackedDate, D::Error> {
        Date::deserialize(d).map(PackedDate::from)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let d: Date = "2027-02-28".parse().unwrap();
        assert_eq!(d.to_string(), "2027-02-28");
        assert!("2027-02-29".parse::<Date>().is_err());
        assert!("2028-02-29".parse::<Date>().is_ok());
        assert!("2027-13-01".parse::<Date>().is_err());
        assert!("27-01-01".parse::<Date>().is_err());
        assert!("2027-1-01x".parse::<Date>().is_err());
        assert!("2027/01/01".parse::<Date>().is_err());
    }

    #[test]
    fn day_arithmetic() {
        let a: Date = "2027-01-10".parse().unwrap();
        let b: Date = "2027-05-01".parse().unwrap();
        assert_eq!(a.days_until(&b), 111); // CASES.md case 11
        let c: Date = "2027-03-05".parse().unwrap();
        assert_eq!(a.days_until(&c), 54);
        for n in [0i64, 1, 59, 60, 365, 366, 1000, 740_000] {
            let d = Date::from_day_number(n);
            assert_eq!(d.day_number(), n);
        }
        assert_eq!(a.add_days(-10).to_string(), "2026-12-31");
    }

    /// A packed date is the date, in the dates' order, for every day of years 1–9999's
    /// extremes and a few years between.
    #[test]
    fn packed_dates_keep_date_and_order() {
        let mut last = None;
        for start in ["0001-01-01", "2027-01-01", "2028-12-01", "9999-11-01"] {
            let start: Date = start.parse().unwrap();
            for k in 0..60 {
                let d = start.add_days(k);
                let p = PackedDate::from(d);
                assert_eq!(p.get(), d);
                assert_eq!(p.to_string(), d.to_string());
                if let Some((q, e)) = last {
                    assert_eq!(p.cmp(&q), d.cmp(&e), "{d} against {e}");
                }
                last = Some((p, d));
            }
        }
        assert_eq!(PackedDate::default().get(), Date::default());
        let json = serde_json::to_string(&PackedDate::from(Date::default())).unwrap();
        assert_eq!(json, "\"0001-01-01\"");
        assert_eq!(
            serde_json::from_str::<PackedDate>(&json).unwrap().get(),
            Date::default()
        );
        assert!(serde_json::from_str::<PackedDate>("\"2027-02-29\"").is_err());
    }
}
