//! Quotas: per-payee rows, or the plan's rule with ramps by month of tenure and proration by
//! calendar days worked (hire, termination, leave, assignment dates).

use crate::calendar::Calendar;
use crate::date::Date;
use crate::decimal::{add, div, fmt_full, mul, Dec};
use crate::error::Result;
use crate::inputs::Payee;
use crate::plan::QuotaRule;
use rust_decimal::Decimal;

/// Days a payee works in each fiscal month of an assignment.
#[derive(Debug, Clone)]
pub struct Employment {
    /// Active days per fiscal month.
    pub active: [u32; 12],
    /// Days in each fiscal month.
    pub days: [u32; 12],
    /// Month of tenure (1 = hire month) per fiscal month; `None` without a hire date.
    pub tenure: [Option<i64>; 12],
}

fn overlap(a: (Date, Date), b: (Date, Date)) -> u32 {
    let start = a.0.max(b.0);
    let end = a.1.min(b.1);
    if start > end {
        0
    } else {
        (start.days_until(&end) + 1) as u32
    }
}

impl Employment {
    /// Employment of `payee` under an assignment from `from` to `to`.
    pub fn new(cal: &Calendar, payee: &Payee, from: Option<Date>, to: Option<Date>) -> Employment {
        let mut e = Employment {
            active: [0; 12],
            days: [0; 12],
            tenure: [None; 12],
        };
        let lo = Date {
            year: 1,
            month: 1,
            day: 1,
        };
        let hi = Date {
            year: 9999,
            month: 12,
            day: 31,
        };
        let start = payee.hire_date.unwrap_or(lo).max(from.unwrap_or(lo));
        let end = payee.termination_date.unwrap_or(hi).min(to.unwrap_or(hi));
        for i in 0..12 {
            let ms = cal.month_start(i);
            let me = cal.month_end(i);
            e.days[i] = ms.days_in_month();
            let mut active = overlap((ms, me), (start, end));
            if active > 0 {
                for l in &payee.leaves {
                    let within = (l.from.max(start), l.to.min(end));
                    active = active.saturating_sub(overlap((ms, me), within));
                }
            }
            e.active[i] = active;
            e.tenure[i] = payee
                .hire_date
                .map(|h| ms.months_since(h.year, h.month) + 1);
        }
        e
    }

    /// Whether the payee works at least one day in `months`.
    pub fn works_in(&self, months: std::ops::Range<usize>) -> bool {
        months.into_iter().any(|i| self.active[i] > 0)
    }
}

/// The quota of a rule over `months`, with a trace detail.
///
/// ```
/// use payplan_core::calendar::{Calendar, PeriodKind};
/// use payplan_core::inputs::Payee;
/// use payplan_core::quota::{rule_quota, Employment};
/// let cal = Calendar { year: 2027, start_month: 1, period: PeriodKind::Quarter };
/// let payee: Payee = serde_json::from_str(r#"{"id": "A", "hire_date": "2027-02-15"}"#).unwrap();
/// let rule = serde_json::from_str(r#"{"measure": "b", "per_month": 30000, "ramp": [0.25, 0.5, 0.75]}"#).unwrap();
/// let emp = Employment::new(&cal, &payee, None, None);
/// let (q, _) = rule_quota(&rule, &cal, &emp, 0..3, "q").unwrap();
/// assert_eq!(q.normalize().to_string(), "18750"); // CASES.md case 9
/// ```
pub fn rule_quota(
    rule: &QuotaRule,
    cal: &Calendar,
    emp: &Employment,
    months: std::ops::Range<usize>,
    path: &str,
) -> Result<(Decimal, String)> {
    let mpp = Decimal::from(cal.months_per_period() as u64);
    let twelve = Decimal::from(12u64);
    // Base per month expressed as (numerator, months it covers) so we multiply before dividing.
    let (base, per_months, what) = match (rule.per_month, rule.per_period, rule.annual) {
        (Some(Dec(m)), _, _) => (m, Decimal::ONE, explain!("{} per month", fmt_full(m))),
        (_, Some(Dec(p)), _) => (p, mpp, explain!("{} per period", fmt_full(p))),
        (_, _, Some(Dec(a))) => (a, twelve, explain!("{} a year", fmt_full(a))),
        _ => (Decimal::ZERO, Decimal::ONE, "no amount".to_string()),
    };
    let mut total = Decimal::ZERO;
    let mut parts = Vec::new();
    let mut full = true;
    for i in months.clone() {
        let ramp = match emp.tenure[i] {
            Some(t) if t >= 1 && (t as usize) <= rule.ramp.len() => rule.ramp[t as usize - 1].0,
            Some(t) if t < 1 => Decimal::ZERO,
            _ => Decimal::ONE,
        };
        let (num, den) = if rule.prorate {
            (emp.active[i], emp.days[i])
        } else if emp.active[i] > 0 {
            (1, 1)
        } else {
            (0, 1)
        };
        if ramp != Decimal::ONE || num != den {
            full = false;
        }
        let x = mul(mul(base, ramp, path)?, Decimal::from(num), path)?;
        let x = div(x, mul(per_months, Decimal::from(den), path)?, path)?;
        if ramp != Decimal::ONE || num != den {
            let (y, m) = cal.month_ym(i);
            parts.push(explain!(
                "{y:04}-{m:02}: ramp {} × {num}/{den} days",
                fmt_full(ramp)
            ));
        }
        total = add(total, x, path)?;
    }
    if full {
        // Every month counts in full: the exact period amount, whatever the division did.
        let n = Decimal::from(months.len() as u64);
        total = div(mul(base, n, path)?, per_months, path)?;
        return Ok((total, what));
    }
    Ok((total, explain!("{what}; {}", parts.join(", "))))
}

#[cfg(test)]
mod tests {
    /// Every problem of the quota rows, in row order, next to the payee and quota problems of
    /// other tables: an unknown payee, an unknown measure, a period outside the plan, a
    /// negative amount and a duplicate row.
    #[test]
    fn quota_rows_name_every_problem_in_row_order() {
        let req = serde_json::json!({
            "plan": crate::test_plan("m"),
            "inputs": {
                "payees": [{"id": "A"}, {"id": "B"}],
                "assignments": [{"payee": "A", "plan": "p"}, {"payee": "B", "plan": "p"}],
                "quotas": {"csv": "payee,measure,period,amount\nA,m,2027-01,10\nA,m,2027-01,12\n\
                                   A,m,2028-01,1\nA,x,2027-02,1\nB,m,2027-03,-1\nZ,m,2027-01,1\n"}}
        });
        let err = crate::Engine::from_json(&req.to_string()).err().unwrap();
        let got: Vec<(&str, String)> = err
            .problems()
            .iter()
            .map(|p| (p.code, p.path.clone()))
            .collect();
        let want = [
            ("duplicate_id", "quotas.csv row 3"),
            ("unknown_period", "quotas.csv row 4, column period"),
            ("unknown_reference", "quotas.csv row 5, column measure"),
            ("invalid_value", "quotas.csv row 6, column amount"),
            ("unknown_reference", "quotas.csv row 7, column payee"),
        ];
        let want: Vec<(&str, String)> = want.iter().map(|(c, p)| (*c, p.to_string())).collect();
        assert_eq!(got, want);
    }
}
