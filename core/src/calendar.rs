//! The fiscal calendar: a year of twelve fiscal months grouped into payout periods.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// Length of a payout period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    #[default]
    Month,
    Quarter,
    Half,
    Year,
}

impl PeriodKind {
    /// Fiscal months in one period.
    pub fn months(self) -> usize {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Half => 6,
            PeriodKind::Year => 12,
        }
    }
}

/// A plan's fiscal calendar.
///
/// ```
/// use payplan_core::calendar::{Calendar, PeriodKind};
/// let cal = Calendar { year: 2027, start_month: 4, period: PeriodKind::Quarter };
/// assert_eq!(cal.label(0), "2027-Q1");
/// assert_eq!(cal.period_start(0).to_string(), "2027-04-01");
/// assert_eq!(cal.period_end(3).to_string(), "2028-03-31");
/// assert_eq!(cal.month_of(&"2028-01-15".parse().unwrap()), Some(9));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Fiscal year, labelled by the calendar year it starts in.
    pub year: i32,
    /// First calendar month of the fiscal year, 1..=12.
    #[serde(default = "one")]
    pub start_month: u32,
    /// Payout period.
    #[serde(default)]
    pub period: PeriodKind,
}

fn one() -> u32 {
    1
}

impl Calendar {
    /// Calendar (year, month) of fiscal month `i` (0-based).
    pub fn month_ym(&self, i: usize) -> (i32, u32) {
        let zero_based = self.start_month as i64 - 1 + i as i64;
        (
            self.year + (zero_based / 12) as i32,
            (zero_based % 12) as u32 + 1,
        )
    }

    /// First day of fiscal month `i`.
    pub fn month_start(&self, i: usize) -> Date {
        let (y, m) = self.month_ym(i);
        Date {
            year: y,
            month: m,
            day: 1,
        }
    }

    /// Last day of fiscal month `i`.
    pub fn month_end(&self, i: usize) -> Date {
        self.month_start(i).month_end()
    }

    /// Fiscal month index of a date, if inside the fiscal year.
    pub fn month_of(&self, d: &Date) -> Option<usize> {
        let i = d.months_since(self.year, self.start_month);
        (0..12).contains(&i).then_some(i as usize)
    }

    /// Months per period.
    pub fn months_per_period(&self) -> usize {
        self.period.months()
    }

    /// Number of periods in the year.
    pub fn periods(&self) -> usize {
        12 / self.period.months()
    }

    /// Period index of fiscal month `i`.
    pub fn period_of_month(&self, i: usize) -> usize {
        i / self.period.months()
    }

    /// Fiscal months of period `k`.
    pub fn months_of(&self, k: usize) -> std::ops::Range<usize> {
        let n = self.period.months();
        k * n..(k + 1) * n
    }

    /// Label of period `k`: `2027-01`, `2027-Q1`, `2027-H1` or `2027`.
    pub fn label(&self, k: usize) -> crate::inputs::Text {
        match self.period {
            PeriodKind::Month => {
                let (y, m) = self.month_ym(k);
                format_text!("{y:04}-{m:02}")
            }
            PeriodKind::Quarter => format_text!("{}-Q{}", self.year, k + 1),
            PeriodKind::Half => format_text!("{}-H{}", self.year, k + 1),
            PeriodKind::Year => format_text!("{}", self.year),
        }
    }

    /// Period index of a label (the inverse of [`Calendar::label`], without formatting one).
    pub fn period_index(&self, label: &str) -> Option<usize> {
        let number = |t: &str, digits: usize| -> Option<u32> {
            (t.len() == digits && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        let (year, rest) = match label.split_once('-') {
            Some((y, r)) => (number(y, 4)?, Some(r)),
            None => (number(label, 4)?, None),
        };
        let k = match (self.period, rest) {
            (PeriodKind::Month, Some(m)) => {
                let m = number(m, 2)?;
                (0..12).find(|&k| self.month_ym(k) == (year as i32, m))?
            }
            (PeriodKind::Quarter, Some(q)) => {
                (number(q.strip_prefix('Q')?, 1)? as usize).checked_sub(1)?
            }
            (PeriodKind::Half, Some(h)) => {
                (number(h.strip_prefix('H')?, 1)? as usize).checked_sub(1)?
            }
            (PeriodKind::Year, None) => 0,
            _ => return None,
        };
        // A month's year was matched with its month; the other kinds name the fiscal year.
        let year_ok = self.period == PeriodKind::Month || i32::try_from(year) == Ok(self.year);
        (k < self.periods() && year_ok).then_some(k)
    }

    /// First day of period `k`.
    pub fn period_start(&self, k: usize) -> Date {
        self.month_start(self.months_of(k).start)
    }

    /// Last day of period `k`.
    pub fn period_end(&self, k: usize) -> Date {
        self.month_end(self.months_of(k).end - 1)
    }

    /// First and last day of the fiscal year.
    pub fn year_bounds(&self) -> (Date, Date) {
        (self.month_start(0), self.month_end(11))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_index_inverts_label_and_rejects_the_rest() {
        let kinds = [
            PeriodKind::Month,
            PeriodKind::Quarter,
            PeriodKind::Half,
            PeriodKind::Year,
        ];
        for period in kinds {
            for start_month in 1..=12 {
                let cal = Calendar {
                    year: 2027,
                    start_month,
                    period,
                };
                for k in 0..cal.periods() {
                    assert_eq!(cal.period_index(&cal.label(k)), Some(k));
                }
                for bad in [
                    "", "2027-", "2027-00", "2027-13", "2026-01", "2029-01", "27-01", "2027-1",
                    "2027-Q0", "2027-Q5", "2027-H0", "2027-H3", "2027-Q1 ", "2028", "x027",
                    "2027-+1", "2027-Q+", "2027--1", "2027-012",
                ] {
                    let slow = (0..cal.periods()).find(|&k| cal.label(k) == bad);
                    assert_eq!(
                        cal.period_index(bad),
                        slow,
                        "{bad:?} {period:?} {start_month}"
                    );
                }
            }
        }
    }

    #[test]
    fn labels() {
        let m = Calendar {
            year: 2027,
            start_month: 1,
            period: PeriodKind::Month,
        };
        assert_eq!(m.label(0), "2027-01");
        assert_eq!(m.label(11), "2027-12");
        assert_eq!(m.period_index("2027-03"), Some(2));
        let h = Calendar {
            year: 2027,
            start_month: 7,
            period: PeriodKind::Half,
        };
        assert_eq!(h.label(1), "2027-H2");
        assert_eq!(h.period_start(1).to_string(), "2028-01-01");
        let y = Calendar {
            year: 2027,
            start_month: 1,
            period: PeriodKind::Year,
        };
        assert_eq!(y.periods(), 1);
        assert_eq!(y.label(0), "2027");
        assert_eq!(y.month_of(&"2026-12-31".parse().unwrap()), None);
    }
}
