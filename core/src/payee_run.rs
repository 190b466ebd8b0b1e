//! One payee's year under one assignment: measures, quotas, component lines, then the
//! lifecycle lines (plan cap, clawbacks, holdbacks, true-ups, adjustments, draws).

use crate::calendar::Calendar;
use crate::crediting::Credit;
use crate::date::Date;
use crate::decimal::{add, fmt_full, fmt_scaled, mul, round, RoundingMode};
use crate::engine::Ctx;
use crate::error::{Error, Result};
use crate::inputs::{Payee, Transaction};
use crate::lifecycle;
use crate::plan::{Aggregate, Component, CreditScope, Cumulative, Measure, PayoutTiming, Plan};
use crate::quota::{rule_quota, Employment};
use crate::statement::{Line, Reconciliation, Statement};
use rust_decimal::Decimal;

/// A hypothetical deal for what-if runs, with its credits per payee.
pub(crate) struct Extra {
    pub txn: Transaction,
    pub credits: Vec<(usize, Credit)>,
}

/// Statements and reconciliation rows of one payee.
#[derive(Default)]
pub(crate) struct PayeeResult {
    pub statements: Vec<Statement>,
    pub reconciliation: Vec<Reconciliation>,
}

/// Calculate payee `p` (with an optional what-if deal).
pub(crate) fn run_payee(ctx: &Ctx, p: usize, extra: Option<&Extra>) -> Result<PayeeResult> {
    let mut out = PayeeResult::default();
    for &ai in &ctx.assignments[p] {
        let run = PlanRun::new(ctx, p, ai, extra)?;
        run.statements(&mut out)?;
    }
    Ok(out)
}

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

/// A quota for one measure and period: the amount, how it was found, and the input it came
/// from (the path a zero-quota error names).
#[derive(Debug, Clone)]
pub(crate) struct QuotaCell {
    pub amount: Decimal,
    pub detail: String,
    pub source: String,
}

/// A computed component line for one period.
pub(crate) struct CompLine {
    pub amount: Decimal,
    pub line: Line,
}

pub(crate) struct PlanRun<'a> {
    pub ctx: &'a Ctx,
    pub extra: Option<&'a Extra>,
    pub p: usize,
    pub payee: &'a Payee,
    pub plan: &'a Plan,
    pub pk: usize,
    pub cal: &'a Calendar,
    pub scale: u32,
    pub mode: RoundingMode,
    pub emp: Employment,
    /// Per measure: credits counted, in date order.
    pub items: Vec<Vec<Item>>,
    /// Per measure and fiscal month: the sum.
    pub sums: Vec<[Decimal; 12]>,
    pub has: Vec<bool>,
    pub target: Decimal,
    /// Period labels.
    pub labels: Vec<String>,
    /// Per measure and period: the quota and how it was found.
    pub quotas: Vec<Vec<Option<QuotaCell>>>,
}

fn scope_ok(scope: CreditScope, depth: u8) -> bool {
    match scope {
        CreditScope::Own => depth == 0,
        CreditScope::DirectReports => depth == 1,
        CreditScope::AllReports => depth >= 1,
        CreditScope::OwnAndReports => true,
    }
}

impl<'a> PlanRun<'a> {
    pub fn txn(&self, i: u32) -> &'a Transaction {
        let txns = &self.ctx.req.inputs.transactions;
        match txns.get(i as usize) {
            Some(t) => t,
            None => match self.extra {
                Some(e) => &e.txn,
                None => &txns[0],
            },
        }
    }

    fn new(ctx: &'a Ctx, p: usize, ai: usize, extra: Option<&'a Extra>) -> Result<PlanRun<'a>> {
        let assignment = &ctx.req.inputs.assignments[ai];
        let pk = ctx.plan_index.get(&assignment.plan).copied().unwrap_or(0);
        let plan = &ctx.req.plans[pk];
        let cal = &plan.calendar;
        let payee = &ctx.req.inputs.payees[p];
        let emp = Employment::new(cal, payee, assignment.from, assignment.to);
        let has = (0..cal.periods())
            .map(|k| emp.works_in(cal.months_of(k)))
            .collect();
        let mut run = PlanRun {
            ctx,
            extra,
            p,
            payee,
            plan,
            pk,
            cal,
            scale: plan.rounding.scale,
            mode: plan.rounding.mode,
            emp,
            items: vec![Vec::new(); plan.measures.len()],
            sums: vec![[Decimal::ZERO; 12]; plan.measures.len()],
            has,
            target: assignment.target_incentive.map(|t| t.0).unwrap_or_default(),
            labels: (0..cal.periods()).map(|k| cal.label(k)).collect(),
            quotas: Vec::new(),
        };
        run.collect_items()?;
        run.quotas = (0..plan.measures.len())
            .map(|mi| run.period_quotas(mi))
            .collect::<Result<_>>()?;
        Ok(run)
    }

    fn credits(&self) -> impl Iterator<Item = &'a Credit> + 'a {
        let own = self.ctx.credits[self.p].iter();
        let p = self.p;
        let extra = self.extra.map(|e| e.credits.as_slice()).unwrap_or(&[]);
        own.chain(extra.iter().filter(move |(q, _)| *q == p).map(|(_, c)| c))
    }

    fn earned_date(&self, c: &Credit, t: &Transaction) -> Option<Date> {
        let ev = &self.ctx.events;
        let pick = |m: &crate::engine::IdMap<u32, u32>| m.get(&c.txn).map(|&e| self.txn(e).date);
        match self.plan.payout_timing {
            PayoutTiming::Booking => Some(t.date),
            PayoutTiming::Invoice => pick(&ev.invoice),
            PayoutTiming::Cash => pick(&ev.payment),
        }
    }

    fn measure_value(&self, m: &Measure, c: &Credit, t: &Transaction) -> Result<Decimal> {
        if m.aggregate == Aggregate::Count {
            return Ok(Decimal::ONE);
        }
        match m.field.as_str() {
            "amount" => self.ctx.convert(c.amount, t, &self.plan.currency),
            "quantity" => {
                let q = t.quantity.map(|q| q.0).unwrap_or_default();
                q.checked_mul(c.share)
                    .ok_or_else(|| Error::overflow(t.origin.field("quantity"), "quantity × share"))
            }
            attr => {
                let path = t.origin.field(&format!("attributes.{attr}"));
                let Some(text) = t.attributes.get(attr) else {
                    return Ok(Decimal::ZERO);
                };
                let x = crate::decimal::parse_decimal(&text.0)
                    .map_err(|m| crate::request::shape_error(path.clone(), &m))?;
                let x = mul(x, c.share, &path)?;
                self.ctx.convert(x, t, &self.plan.currency)
            }
        }
    }

    fn collect_items(&mut self) -> Result<()> {
        let clawback = self.plan.clawback.as_ref();
        let credits: Vec<&Credit> = self.credits().collect();
        for c in credits {
            let t = self.txn(c.txn);
            let Some(date) = self.earned_date(c, t) else {
                continue;
            };
            let cancel = match clawback {
                Some(cb) if cb.reduces_attainment => self
                    .ctx
                    .events
                    .cancellation
                    .get(&c.txn)
                    .map(|&e| self.txn(e))
                    .filter(|e| t.date.days_until(&e.date) <= cb.window_days as i64),
                _ => None,
            };
            for (mi, m) in self.plan.measures.iter().enumerate() {
                if !scope_ok(m.credit, c.depth) || !m.kinds.iter().any(|k| k == &t.kind) {
                    continue;
                }
                if !m
                    .filter
                    .iter()
                    .all(|(k, want)| t.attributes.get(k).is_some_and(|v| want.accepts(&v.0)))
                {
                    continue;
                }
                let value = self.measure_value(m, c, t)?;
                if let Some(month) = self.cal.month_of(&date) {
                    self.items[mi].push(Item {
                        month,
                        date,
                        txn: c.txn,
                        value,
                        reversal: false,
                    });
                }
                if let Some(e) = cancel {
                    if let Some(month) = self.cal.month_of(&e.date) {
                        self.items[mi].push(Item {
                            month,
                            date: e.date,
                            txn: c.txn,
                            value: -value,
                            reversal: true,
                        });
                    }
                }
            }
        }
        for items in self.items.iter_mut() {
            items.sort_by_key(|a| (a.date, a.txn, a.reversal));
        }
        for mi in 0..self.items.len() {
            for k in 0..self.items[mi].len() {
                let it = self.items[mi][k];
                let s = &mut self.sums[mi][it.month];
                match s.checked_add(it.value) {
                    Some(x) => *s = x,
                    None => {
                        let path = self.txn(it.txn).origin.field("amount");
                        let what = format!("the sum of measure {}", self.plan.measures[mi].id);
                        return Err(Error::overflow(path, what));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn money(&self, d: Decimal) -> String {
        fmt_scaled(round(d, self.scale, self.mode), self.scale)
    }

    pub fn round(&self, d: Decimal) -> Decimal {
        round(d, self.scale, self.mode)
    }

    pub fn comp_path(&self, ci: usize) -> String {
        format!("{}.components[{ci}]", self.ctx.plan_paths[self.pk])
    }

    /// Fiscal months a component looks at in period `k`.
    pub fn scope(&self, c: &Component, k: usize) -> std::ops::Range<usize> {
        let months = self.cal.months_of(k);
        match c.cumulative {
            Cumulative::None => months,
            Cumulative::Year => 0..months.end,
            Cumulative::Quarter => (months.start / 3) * 3..months.end,
        }
    }

    /// Credits of measure `mi` in `months` (items are in date order, so months are contiguous).
    pub fn items_in(&self, mi: usize, months: std::ops::Range<usize>) -> &[Item] {
        let items = &self.items[mi];
        let lo = items.partition_point(|i| i.month < months.start);
        let hi = items.partition_point(|i| i.month < months.end);
        &items[lo..hi]
    }

    pub fn value_over(&self, mi: usize, months: std::ops::Range<usize>) -> Result<Decimal> {
        let mut total = Decimal::ZERO;
        for s in &self.sums[mi][months.clone()] {
            match total.checked_add(*s) {
                Some(x) => total = x,
                None => return Err(self.sum_overflow(mi, months)),
            }
        }
        Ok(total)
    }

    /// The overflow error of a measure's sum, naming the credit that tipped it over.
    pub fn sum_overflow(&self, mi: usize, months: std::ops::Range<usize>) -> Error {
        let mut total = Decimal::ZERO;
        let mut culprit = "deal.amount".to_string();
        for it in self.items[mi].iter().filter(|i| months.contains(&i.month)) {
            culprit = self.txn(it.txn).origin.field("amount");
            match total.checked_add(it.value) {
                Some(x) => total = x,
                None => break,
            }
        }
        Error::overflow(
            culprit,
            format!("the sum of measure {}", self.plan.measures[mi].id),
        )
    }

    /// Quota of measure `mi` in each period (rows first, then the plan's rule).
    fn period_quotas(&self, mi: usize) -> Result<Vec<Option<QuotaCell>>> {
        let m = &self.plan.measures[mi];
        let plan_path = &self.ctx.plan_paths[self.pk];
        let rule = self
            .plan
            .quotas
            .iter()
            .enumerate()
            .find(|(_, q)| q.measure == m.id);
        let mut out = Vec::with_capacity(self.labels.len());
        for (k, label) in self.labels.iter().enumerate() {
            let row = self.ctx.quota_row(self.p, &m.id, label);
            out.push(if let Some(qi) = row {
                let q = &self.ctx.req.inputs.quotas[qi];
                Some(QuotaCell {
                    amount: q.amount.0,
                    detail: format!("{label}: {} (quota row)", fmt_full(q.amount.0)),
                    source: q.origin.field("amount"),
                })
            } else if let Some((j, rule)) = rule {
                let field = if rule.per_month.is_some() {
                    "per_month"
                } else if rule.per_period.is_some() {
                    "per_period"
                } else {
                    "annual"
                };
                let source = format!("{plan_path}.quotas[{j}].{field}");
                let (q, d) = rule_quota(rule, self.cal, &self.emp, self.cal.months_of(k), &source)?;
                Some(QuotaCell {
                    amount: q,
                    detail: format!("{label}: {d}"),
                    source,
                })
            } else {
                None
            });
        }
        Ok(out)
    }

    /// Quota of measure `mi` over the periods covering `months` (None: no quota at all).
    pub fn quota_over(
        &self,
        mi: usize,
        months: std::ops::Range<usize>,
    ) -> Result<Option<QuotaCell>> {
        let first = self.cal.period_of_month(months.start);
        let last = self.cal.period_of_month(months.end - 1);
        let per = &self.quotas[mi];
        let mut total = Decimal::ZERO;
        let mut source = None;
        for q in per[first..=last].iter().flatten() {
            total = add(total, q.amount, &q.source)?;
            source = Some(q.source.clone());
        }
        let Some(source) = source else {
            return Ok(None);
        };
        let current = per[last]
            .as_ref()
            .map(|q| q.detail.as_str())
            .unwrap_or("no quota");
        let detail = if first == last {
            current.to_string()
        } else {
            format!(
                "{} periods to date ({} to {}); {current}",
                last - first + 1,
                self.labels[first],
                self.labels[last]
            )
        };
        Ok(Some(QuotaCell {
            amount: total,
            detail,
            source,
        }))
    }

    pub fn zero_quota(&self, path: String, mi: usize, k: usize) -> Error {
        Error::ZeroQuota {
            path,
            payee: self.payee.id.clone(),
            measure: self.plan.measures[mi].id.clone(),
            period: self.labels[k].clone(),
        }
    }

    fn statements(&self, out: &mut PayeeResult) -> Result<()> {
        lifecycle::build(self, out)
    }
}

pub(crate) fn mode_word(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::HalfAwayFromZero => "half away from zero",
        RoundingMode::HalfEven => "half even",
    }
}
