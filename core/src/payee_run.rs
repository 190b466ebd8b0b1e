//! One payee's year under one assignment: measures, quotas, component lines, then the
//! lifecycle lines (plan cap, clawbacks, holdbacks, true-ups, adjustments, draws).

use crate::calendar::Calendar;
use crate::crediting::Credit;
use crate::date::Date;
use crate::decimal::{add_at, fmt_full, fmt_scaled, mul, round, RoundingMode};
use crate::engine::Ctx;
use crate::error::{Error, Result};
use crate::inputs::{Payee, Text, Transaction};
use crate::items::{Item, ItemsIn};
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
    /// Per assignment, when recorded: what each component line was computed from.
    pub memos: Vec<crate::memo::Memo>,
}

/// Calculate payee `p` (with an optional what-if deal).
pub(crate) fn run_payee(ctx: &Ctx, p: usize, extra: Option<&Extra>) -> Result<PayeeResult> {
    let mut out = PayeeResult::default();
    for &ai in &ctx.assignments[p] {
        let data = PlanData::new(ctx, p, ai)?;
        let run = PlanRun::new(ctx, &data, extra)?;
        lifecycle::build(&run, &mut out, crate::memo::LineMemo::Off)?;
    }
    Ok(out)
}

/// A quota for one measure and period: the amount, how it was found, and the input it came
/// from (the path a zero-quota error names).
#[derive(Debug, Clone)]
pub(crate) struct QuotaCell {
    pub amount: Decimal,
    pub detail: String,
    pub source: QuotaSource,
}

/// Where a quota comes from; its path is written out only for an error.
#[derive(Debug, Clone, Copy)]
pub(crate) enum QuotaSource {
    /// Row `k` of `inputs.quotas`.
    Row(usize),
    /// Field `field` of quota rule `index` of the plan.
    Rule { index: usize, field: &'static str },
}

impl QuotaSource {
    /// The input path of the quota's amount (plan `pk`'s path for a rule).
    pub fn path(self, ctx: &Ctx, pk: usize) -> String {
        match self {
            QuotaSource::Row(k) => ctx.req.inputs.quotas[k].origin.field("amount"),
            QuotaSource::Rule { index, field } => {
                format!("{}.quotas[{index}].{field}", ctx.plan_paths[pk])
            }
        }
    }
}

/// A computed component line for one period.
pub(crate) struct CompLine {
    pub amount: Decimal,
    pub line: Line,
}

/// What one payee's year under one assignment is computed from, built once from the prepared
/// inputs (a what-if engine keeps it and lays the hypothetical deal over it).
pub(crate) struct PlanData {
    pub p: usize,
    pub pk: usize,
    pub emp: Employment,
    /// Whether the payee works in each period.
    pub has: Vec<bool>,
    pub target: Decimal,
    /// Period labels.
    pub labels: Vec<Text>,
    /// Per measure: credits counted, in date order.
    pub items: Vec<Vec<Item>>,
    /// Per measure and fiscal month: the sum.
    pub sums: Vec<[Decimal; 12]>,
    /// Per measure and fiscal month: the number of credits (native builds; the size-budgeted
    /// WebAssembly build counts the items).
    #[cfg(not(target_arch = "wasm32"))]
    pub counts: Vec<[u32; 12]>,
    /// Per measure and period: the quota and how it was found.
    pub quotas: Vec<Vec<Option<QuotaCell>>>,
}

impl PlanData {
    pub fn new(ctx: &Ctx, p: usize, ai: usize) -> Result<PlanData> {
        let assignment = &ctx.req.inputs.assignments[ai];
        let pk = ctx
            .plan_index
            .get(assignment.plan.as_str())
            .copied()
            .unwrap_or(0);
        let plan = &ctx.req.plans[pk];
        let cal = &plan.calendar;
        let payee = &ctx.req.inputs.payees[p];
        let emp = Employment::new(cal, payee, assignment.from, assignment.to);
        let has = (0..cal.periods())
            .map(|k| emp.works_in(cal.months_of(k)))
            .collect();
        let labels: Vec<Text> = (0..cal.periods()).map(|k| cal.label(k)).collect();
        let src = Source {
            ctx,
            pk,
            plan,
            extra: None,
        };
        let items = src.collect_items(ctx.credits[p].iter())?;
        let mut sums = vec![[Decimal::ZERO; 12]; plan.measures.len()];
        src.add_sums(&mut sums, &items)?;
        #[cfg(not(target_arch = "wasm32"))]
        let counts = count_items(&items, vec![[0; 12]; plan.measures.len()]);
        let mut data = PlanData {
            p,
            pk,
            emp,
            has,
            target: assignment.target_incentive.map(|t| t.0).unwrap_or_default(),
            labels,
            items,
            sums,
            #[cfg(not(target_arch = "wasm32"))]
            counts,
            quotas: Vec::new(),
        };
        data.quotas = (0..plan.measures.len())
            .map(|mi| data.period_quotas(ctx, mi))
            .collect::<Result<_>>()?;
        Ok(data)
    }

    /// Quota of measure `mi` in each period (rows first, then the plan's rule).
    fn period_quotas(&self, ctx: &Ctx, mi: usize) -> Result<Vec<Option<QuotaCell>>> {
        let plan = &ctx.req.plans[self.pk];
        let cal = &plan.calendar;
        let m = &plan.measures[mi];
        let rule = plan
            .quotas
            .iter()
            .enumerate()
            .find(|(_, q)| q.measure == m.id);
        // The rule and its path (named by its errors), once for every period.
        let rule = rule.map(|(index, rule)| {
            let field = if rule.per_month.is_some() {
                "per_month"
            } else if rule.per_period.is_some() {
                "per_period"
            } else {
                "annual"
            };
            let source = QuotaSource::Rule { index, field };
            (rule, source, source.path(ctx, self.pk))
        });
        let mut out = Vec::with_capacity(self.labels.len());
        for (k, label) in self.labels.iter().enumerate() {
            let row = ctx.quota_row(self.p, &m.id, label);
            out.push(if let Some(qi) = row {
                let q = &ctx.req.inputs.quotas[qi];
                Some(QuotaCell {
                    amount: q.amount.0,
                    detail: explain!("{label}: {} (quota row)", fmt_full(q.amount.0)),
                    source: QuotaSource::Row(qi),
                })
            } else if let Some((rule, source, path)) = &rule {
                let (q, d) = rule_quota(rule, cal, &self.emp, cal.months_of(k), path)?;
                Some(QuotaCell {
                    amount: q,
                    detail: explain!("{label}: {d}"),
                    source: *source,
                })
            } else {
                None
            });
        }
        Ok(out)
    }
}

/// Where credits are read from: the prepared transactions and, in a what-if, the extra deal.
struct Source<'a> {
    ctx: &'a Ctx,
    pk: usize,
    plan: &'a Plan,
    extra: Option<&'a Extra>,
}

impl<'a> Source<'a> {
    fn txn(&self, i: u32) -> &'a Transaction {
        let txns = &self.ctx.req.inputs.transactions;
        match txns.get(i as usize) {
            Some(t) => t,
            None => match self.extra {
                Some(e) => &e.txn,
                None => &txns[0],
            },
        }
    }

    fn earned_date(&self, c: &Credit) -> Option<Date> {
        let ev = &self.ctx.events;
        let pick = |m: &crate::events::EventMap| m.get(&c.txn).map(|&e| self.txn(e).date.get());
        match self.plan.payout_timing {
            PayoutTiming::Booking => Some(c.date()),
            PayoutTiming::Invoice => pick(&ev.invoice),
            PayoutTiming::Cash => pick(&ev.payment),
        }
    }

    fn measure_value(&self, m: &Measure, c: &Credit, t: &Transaction) -> Result<Decimal> {
        if m.aggregate == Aggregate::Count {
            return Ok(Decimal::ONE);
        }
        // The credit holds its amount: the transaction is read only for other fields (the
        // share of a quantity or an attribute).
        let share = || c.share_amount(t).0;
        match m.field.as_str() {
            "amount" => self
                .ctx
                .convert_credit(c.amount(t), c, t, &self.plan.currency),
            "quantity" => {
                let share = share();
                let q = t.quantity.map(|q| q.0).unwrap_or_default();
                q.checked_mul(share)
                    .ok_or_else(|| Error::overflow(t.origin.field("quantity"), "quantity × share"))
            }
            attr => {
                let path = t.origin.field(&format!("attributes.{attr}"));
                let Some(text) = t.attributes.get(attr) else {
                    return Ok(Decimal::ZERO);
                };
                let x = crate::decimal::parse_decimal(&text.0)
                    .map_err(|m| crate::request::shape_error(path.clone(), &m))?;
                let x = mul(x, share(), &path)?;
                self.ctx.convert(x, t, &self.plan.currency)
            }
        }
    }

    /// The items of `credits` per measure, in (date, transaction, reversal) order.
    fn collect_items<'c>(
        &self,
        credits: impl Iterator<Item = &'c Credit>,
    ) -> Result<Vec<Vec<Item>>> {
        let plan = self.plan;
        let cal = &plan.calendar;
        let clawback = plan.clawback.as_ref();
        let mut items = vec![Vec::new(); plan.measures.len()];
        let mut reversals: Vec<Vec<Item>> = vec![Vec::new(); plan.measures.len()];
        for c in credits {
            let t = self.txn(c.txn);
            let Some(date) = self.earned_date(c) else {
                continue;
            };
            let cancel = match clawback {
                Some(cb) if cb.reduces_attainment => self
                    .ctx
                    .events
                    .cancellation
                    .get(&c.txn)
                    .map(|&e| self.txn(e))
                    .filter(|e| c.date().days_until(&e.date.get()) <= cb.window_days as i64),
                _ => None,
            };
            // Every summed measure of `amount` takes the same converted amount: it is
            // converted once per credit.
            let mut amount = None;
            for (mi, m) in plan.measures.iter().enumerate() {
                if !scope_ok(m.credit, c.depth) {
                    continue;
                }
                let counted = match self.ctx.facts.counts(self.pk, mi, c.txn) {
                    Some(yes) => yes,
                    None => crate::facts::counts(m, t),
                };
                if !counted {
                    continue;
                }
                // (Native builds: the size-budgeted WebAssembly build converts per measure.)
                let value = if cfg!(not(target_arch = "wasm32"))
                    && m.aggregate == Aggregate::Sum
                    && m.field == "amount"
                {
                    match amount {
                        Some(v) => v,
                        None => *amount.insert(self.measure_value(m, c, t)?),
                    }
                } else {
                    self.measure_value(m, c, t)?
                };
                if let Some(month) = cal.month_of(&date) {
                    items[mi].push(Item {
                        month,
                        date,
                        txn: c.txn,
                        value,
                        reversal: false,
                    });
                }
                if let Some(e) = cancel {
                    if let Some(month) = cal.month_of(&e.date.get()) {
                        reversals[mi].push(Item {
                            month,
                            date: e.date.get(),
                            txn: c.txn,
                            value: -value,
                            reversal: true,
                        });
                    }
                }
            }
        }
        // A payee's credits come in date order, so a measure's own items usually are sorted
        // already; the (later) reversals go after them, and the stable sort merges the two
        // runs instead of sorting their mix. The order is the same: an item and a reversal
        // never share a key, and each keeps its own order.
        for (list, rev) in items.iter_mut().zip(reversals) {
            list.extend(rev);
            list.sort_by_key(Item::key);
        }
        Ok(items)
    }

    /// Add every item's value into its measure's monthly sums.
    fn add_sums(&self, sums: &mut [[Decimal; 12]], items: &[Vec<Item>]) -> Result<()> {
        for (mi, list) in items.iter().enumerate() {
            for it in list {
                let s = &mut sums[mi][it.month];
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
    pub has: &'a [bool],
    pub target: Decimal,
    pub labels: &'a [Text],
    pub quotas: &'a [Vec<Option<QuotaCell>>],
    /// Per measure: the prepared credits, and the what-if deal's.
    base_items: &'a [Vec<Item>],
    extra_items: Vec<Vec<Item>>,
    /// Per measure and fiscal month: the sum (with the what-if deal).
    pub sums: Vec<[Decimal; 12]>,
    /// Per measure and fiscal month: the number of credits (with the what-if deal's).
    #[cfg(not(target_arch = "wasm32"))]
    counts: Vec<[u32; 12]>,
}

/// `counts` plus the number of `items` of each measure in each fiscal month.
#[cfg(not(target_arch = "wasm32"))]
fn count_items(items: &[Vec<Item>], mut counts: Vec<[u32; 12]>) -> Vec<[u32; 12]> {
    for (count, list) in counts.iter_mut().zip(items) {
        for it in list {
            count[it.month] += 1;
        }
    }
    counts
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
        self.source().txn(i)
    }

    fn source(&self) -> Source<'a> {
        Source {
            ctx: self.ctx,
            pk: self.pk,
            plan: self.plan,
            extra: self.extra,
        }
    }

    /// The run of `data`'s payee and assignment, with the what-if deal's credits laid over it.
    pub fn new(ctx: &'a Ctx, data: &'a PlanData, extra: Option<&'a Extra>) -> Result<PlanRun<'a>> {
        let plan = &ctx.req.plans[data.pk];
        let mut run = PlanRun {
            ctx,
            extra,
            p: data.p,
            payee: &ctx.req.inputs.payees[data.p],
            plan,
            pk: data.pk,
            cal: &plan.calendar,
            scale: plan.rounding.scale,
            mode: plan.rounding.mode,
            has: &data.has,
            target: data.target,
            labels: &data.labels,
            quotas: &data.quotas,
            base_items: &data.items,
            extra_items: Vec::new(),
            sums: data.sums.clone(),
            #[cfg(not(target_arch = "wasm32"))]
            counts: data.counts.clone(),
        };
        if let Some(e) = extra {
            let p = data.p;
            let src = run.source();
            let mine = e.credits.iter().filter(|(q, _)| *q == p).map(|(_, c)| c);
            let items = src.collect_items(mine)?;
            src.add_sums(&mut run.sums, &items)?;
            #[cfg(not(target_arch = "wasm32"))]
            {
                run.counts = count_items(&items, std::mem::take(&mut run.counts));
            }
            run.extra_items = items;
        }
        Ok(run)
    }

    pub fn money(&self, d: Decimal) -> Text {
        fmt_scaled(round(d, self.scale, self.mode), self.scale)
    }

    pub fn round(&self, d: Decimal) -> Decimal {
        round(d, self.scale, self.mode)
    }

    pub fn comp_path(&self, ci: usize) -> std::borrow::Cow<'_, str> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let paths = self.ctx.comp_paths.get(self.pk);
            paths
                .and_then(|p| p.get(ci))
                .map_or("".into(), |p| p.as_str().into())
        }
        #[cfg(target_arch = "wasm32")]
        crate::engine::component_path(&self.ctx.plan_paths[self.pk], ci).into()
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

    /// The first period the what-if deal counts in (the number of periods when it counts in
    /// none, or there is no deal).
    pub fn first_changed_period(&self) -> usize {
        self.extra_items
            .iter()
            .flatten()
            .map(|i| self.cal.period_of_month(i.month))
            .min()
            .unwrap_or(self.cal.periods())
    }

    /// Credits of measure `mi` in `months` (items are in date order, so months are contiguous).
    pub fn items_in(&self, mi: usize, months: std::ops::Range<usize>) -> ItemsIn<'_> {
        let base: &[Item] = &self.base_items[mi];
        let extra: &[Item] = self.extra_items.get(mi).map(Vec::as_slice).unwrap_or(&[]);
        ItemsIn::new(base, extra, &months)
    }

    /// The number of credits of measure `mi` in `months`: `items_in(mi, months).len()`,
    /// from the monthly counts.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn credits_over(&self, mi: usize, months: std::ops::Range<usize>) -> usize {
        let counts = self.counts.get(mi).and_then(|c| c.get(months));
        counts.map_or(0, |c| c.iter().map(|&n| n as usize).sum())
    }

    /// The number of credits of measure `mi` in `months`.
    #[cfg(target_arch = "wasm32")]
    pub fn credits_over(&self, mi: usize, months: std::ops::Range<usize>) -> usize {
        self.items_in(mi, months).len()
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
        for it in self.items_in(mi, months).iter() {
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
            total = add_at(total, q.amount, &|| q.source.path(self.ctx, self.pk))?;
            source = Some(q.source);
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
            explain!(
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
            period: self.labels[k].to_string(),
        }
    }
}

pub(crate) fn mode_word(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::HalfAwayFromZero => "half away from zero",
        RoundingMode::HalfEven => "half even",
    }
}
