//! Preparing a run: canonical ordering of inputs, input validation, the manager hierarchy,
//! crediting (owner, exact splits, roll-ups) and indexes the per-payee calculation uses.

use crate::calendar::Calendar;
use crate::crediting::{credit_chunk, Credit, TXN_CHUNK};
use crate::date::Date;
use crate::error::{Error, Problem, Result};
use crate::events::Events;
use crate::inputs::{Request, Transaction};
use crate::ledger;
use crate::plan::{CreditScope, Plan};
use crate::rollup::spread_credits;
use crate::statement::Warning;
use crate::validate::plan_problems;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A map keyed by ids or indexes, with a fast fixed (deterministic) hash; never iterated into output.
pub(crate) type IdMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Rates of one currency pair, ordered by effective date: (effective, rate, row).
pub(crate) type FxTable = Vec<((String, String), Vec<(Date, Decimal, usize)>)>;

/// Everything a payee's calculation reads; built once, then read-only (shared across threads).
pub(crate) struct Ctx {
    pub req: Request,
    pub plan_index: IdMap<String, usize>,
    pub plan_paths: Vec<String>,
    /// Per plan and component: the component's input path (`plan.components[1]`), written once
    /// for the lines' checked arithmetic (native builds; the size-budgeted WebAssembly build
    /// writes it per line).
    #[cfg(not(target_arch = "wasm32"))]
    pub comp_paths: Vec<Vec<String>>,
    /// Per plan: its rounding step's detail (`2 decimals, half away from zero`), written once
    /// for every line (native builds).
    #[cfg(not(target_arch = "wasm32"))]
    pub rounding_details: Vec<String>,
    pub payee_index: IdMap<String, usize>,
    pub parent: Vec<Option<usize>>,
    /// Per payee: assignment indexes, ordered by start.
    pub assignments: Vec<Vec<usize>>,
    pub credits: Vec<Vec<Credit>>,
    pub events: Events,
    /// (from, to) → rates ordered by effective date.
    pub fx: FxTable,
    /// Per payee: its quota rows (a range of `req.inputs.quotas`, sorted by measure and period).
    pub quota_rows: Vec<std::ops::Range<usize>>,
    pub payments: Vec<Vec<usize>>,
    pub adjustments: Vec<Vec<usize>>,
    /// Per plan: the last closed period index.
    pub closed: Vec<Option<usize>>,
    pub warnings: Vec<Warning>,
    pub fingerprint: String,
    pub rollup: bool,
    /// Dense per-transaction facts for the per-payee loop.
    pub facts: crate::facts::Facts,
}

/// Whether a transaction is a follow-up event of another deal rather than a deal itself.
pub(crate) fn is_event(t: &Transaction) -> bool {
    t.reference.is_some()
        && matches!(
            t.kind.as_str(),
            "cancellation" | "churn" | "invoice" | "payment"
        )
}

/// The input path of component `ci` of the plan at `plan_path`.
pub(crate) fn component_path(plan_path: &str, ci: usize) -> String {
    format!("{plan_path}.components[{ci}]")
}

impl Ctx {
    /// Validate and index a parsed request.
    pub fn prepare(mut req: Request) -> Result<Ctx> {
        // Plans first: every problem of every plan.
        let single = req.single_plan_key;
        let plan_paths: Vec<String> = (0..req.plans.len())
            .map(|k| {
                if single {
                    "plan".to_string()
                } else {
                    format!("plans[{k}]")
                }
            })
            .collect();
        let mut problems = Vec::new();
        let mut plan_index = IdMap::default();
        for (k, p) in req.plans.iter().enumerate() {
            problems.extend(plan_problems(p, &plan_paths[k]));
            if plan_index.insert(p.id.clone(), k).is_some() {
                problems.push(Problem::new(
                    "duplicate_id",
                    format!("{}.id", plan_paths[k]),
                    format!("plan {:?} is given twice", p.id),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::InvalidPlan { problems });
        }
        crate::order::sort_request(&mut req);
        // The fingerprint (a hash of the whole canonical request) runs beside the indexing.
        let (fingerprint, indexed) = crate::run::join(
            || crate::fingerprint::fingerprint(&req),
            || Indexed::build(&req, &plan_index),
        );
        let ix = indexed?;
        #[cfg(not(target_arch = "wasm32"))]
        let comp_paths = req
            .plans
            .iter()
            .zip(&plan_paths)
            .map(|(p, at)| {
                (0..p.components.len())
                    .map(|ci| component_path(at, ci))
                    .collect()
            })
            .collect();
        #[cfg(not(target_arch = "wasm32"))]
        let rounding_details = (req.plans.iter())
            .map(|p| crate::component::rounding_detail(p.rounding.scale, p.rounding.mode))
            .collect();
        Ok(Ctx {
            req,
            plan_index,
            plan_paths,
            #[cfg(not(target_arch = "wasm32"))]
            comp_paths,
            #[cfg(not(target_arch = "wasm32"))]
            rounding_details,
            payee_index: ix.payee_index,
            parent: ix.parent,
            assignments: ix.assignments,
            credits: ix.credits,
            events: ix.events,
            fx: ix.fx,
            quota_rows: ix.quota_rows,
            payments: ix.payments,
            adjustments: ix.adjustments,
            closed: ix.closed,
            warnings: ix.warnings,
            fingerprint,
            rollup: ix.rollup,
            facts: ix.facts,
        })
    }

    /// Position of transaction `id` (transactions are sorted by id).
    pub fn txn_position(&self, id: &str) -> Option<u32> {
        txn_position(&self.req.inputs.transactions, id)
    }

    /// The quota row of payee `p` for `measure` in period `label`.
    pub fn quota_row(&self, p: usize, measure: &str, label: &str) -> Option<usize> {
        let range = self.quota_rows.get(p)?.clone();
        let rows = &self.req.inputs.quotas[range.clone()];
        rows.binary_search_by(|q| (q.measure.as_str(), q.period.as_str()).cmp(&(measure, label)))
            .ok()
            .map(|j| range.start + j)
    }
}

impl Plan {
    /// Whether `label` names a period of this plan's calendar.
    pub fn calendar_has(&self, label: &str) -> bool {
        let cal: &Calendar = &self.calendar;
        cal.period_index(label).is_some()
    }
}

/// The indexes `Ctx::prepare` builds from a sorted request.
struct Indexed {
    payee_index: IdMap<String, usize>,
    parent: Vec<Option<usize>>,
    assignments: Vec<Vec<usize>>,
    credits: Vec<Vec<Credit>>,
    events: Events,
    fx: FxTable,
    quota_rows: Vec<std::ops::Range<usize>>,
    payments: Vec<Vec<usize>>,
    adjustments: Vec<Vec<usize>>,
    closed: Vec<Option<usize>>,
    warnings: Vec<Warning>,
    rollup: bool,
    facts: crate::facts::Facts,
}

impl Indexed {
    /// Check the inputs (every problem at once) and index them.
    fn build(req: &Request, plan_index: &IdMap<String, usize>) -> Result<Indexed> {
        let mut v = InputCheck::default();
        let inputs = &req.inputs;

        // Payees and the hierarchy.
        let mut payee_index = IdMap::default();
        payee_index.reserve(inputs.payees.len());
        for (k, p) in inputs.payees.iter().enumerate() {
            if p.id.is_empty() {
                v.push(
                    "invalid_value",
                    p.origin.field("id"),
                    "expected a non-empty payee id".into(),
                );
            }
            if payee_index.insert(p.id.clone(), k).is_some() {
                v.push(
                    "duplicate_id",
                    p.origin.field("id"),
                    format!("payee {:?} appears twice", p.id),
                );
            }
            if let (Some(h), Some(t)) = (p.hire_date, p.termination_date) {
                if t < h {
                    v.push(
                        "invalid_value",
                        p.origin.field("termination_date"),
                        format!("termination {t} is before hire {h}"),
                    );
                }
            }
        }
        let parent = crate::rollup::parents(&inputs.payees, &payee_index, &mut v);

        // Assignments.
        let mut assignments = vec![Vec::new(); inputs.payees.len()];
        for (k, a) in inputs.assignments.iter().enumerate() {
            let pi = payee_index.get(a.payee.as_str()).copied();
            if pi.is_none() {
                v.push(
                    "unknown_reference",
                    a.origin.field("payee"),
                    format!("unknown payee {:?}", a.payee),
                );
            }
            if !plan_index.contains_key(a.plan.as_str()) {
                let ids: Vec<&str> = req.plans.iter().map(|p| p.id.as_str()).collect();
                v.push(
                    "unknown_reference",
                    a.origin.field("plan"),
                    format!(
                        "unknown plan {:?}; the request has [{}]",
                        a.plan,
                        ids.join(", ")
                    ),
                );
            }
            if let (Some(f), Some(t)) = (a.from, a.to) {
                if t < f {
                    v.push(
                        "invalid_value",
                        a.origin.field("to"),
                        format!("assignment ends ({t}) before it starts ({f})"),
                    );
                }
            }
            if let Some(ti) = a.target_incentive {
                if ti.0 < Decimal::ZERO {
                    v.push(
                        "invalid_value",
                        a.origin.field("target_incentive"),
                        "expected a target ≥ 0".into(),
                    );
                }
            }
            if let Some(pi) = pi {
                assignments[pi].push(k);
            }
        }
        for list in &assignments {
            for w in list.windows(2) {
                let (a, b) = (&inputs.assignments[w[0]], &inputs.assignments[w[1]]);
                let a_end = a.to.unwrap_or(Date {
                    year: 9999,
                    month: 12,
                    day: 31,
                });
                let b_start = b.from.unwrap_or(Date {
                    year: 1,
                    month: 1,
                    day: 1,
                });
                if b_start <= a_end {
                    v.push(
                        "assignment_overlap",
                        b.origin.field("from"),
                        format!(
                            "payee {:?} has two assignments in force on {b_start}",
                            b.payee
                        ),
                    );
                }
            }
        }
        // Transactions are sorted by id: a duplicate is next to its twin. Checked, then
        // credited, in parallel chunks; problems and events are taken in row order.
        let txns = &inputs.transactions;
        let chunks = txns.len().div_ceil(TXN_CHUNK);
        let parts = crate::run::map_payees(0..chunks, |c| {
            let mut problems = InputCheck::default();
            for k in (c * TXN_CHUNK).max(1)..((c + 1) * TXN_CHUNK).min(txns.len()) {
                if txns[k - 1].id == txns[k].id {
                    let t = &txns[k];
                    problems.push(
                        "duplicate_id",
                        t.origin.field("id"),
                        format!("transaction {:?} appears twice", t.id),
                    );
                }
            }
            problems.problems
        });
        for p in parts {
            v.problems.extend(p);
        }
        let parts = crate::run::map_payees(0..chunks, |c| {
            credit_chunk(
                txns,
                c * TXN_CHUNK..((c + 1) * TXN_CHUNK).min(txns.len()),
                &payee_index,
            )
        });
        // Own credits in transaction order, then spread per payee (and up to the managers).
        let mut own: Vec<(u32, Credit)> =
            Vec::with_capacity(parts.iter().map(|p| p.own.len()).sum());
        let mut events = Events::default();
        // The currencies of all chunks: each chunk's codes renumbered into one list.
        #[cfg(not(target_arch = "wasm32"))]
        let mut currencies = crate::facts::Numbering::default();
        for mut part in parts {
            #[cfg(not(target_arch = "wasm32"))]
            currencies.take_in(&part.currencies, &mut part.own);
            own.append(&mut part.own);
            v.problems.extend(part.problems.problems);
            for (slot, d, k) in part.events {
                let map = match slot {
                    0 => &mut events.cancellation,
                    1 => &mut events.invoice,
                    _ => &mut events.payment,
                };
                map.offer(d, k, txns);
            }
        }
        events.seal(txns.len());
        let rollup = req
            .plans
            .iter()
            .any(|p| p.measures.iter().any(|m| m.credit != CreditScope::Own));
        // Credits in date order, so each payee's measures are built already sorted. The
        // spread runs on one thread: the facts of the transactions are found beside it.
        let (credits, facts) = crate::run::join(
            || spread_credits(own, &parent, inputs.payees.len(), rollup),
            || {
                #[cfg(not(target_arch = "wasm32"))]
                return crate::facts::Facts::build(req, currencies.names);
                #[cfg(target_arch = "wasm32")]
                crate::facts::Facts::build(req)
            },
        );
        let mut fx: FxTable = Vec::new();
        for (k, r) in inputs.fx_rates.iter().enumerate() {
            if r.rate.0 <= Decimal::ZERO {
                v.push(
                    "invalid_value",
                    r.origin.field("rate"),
                    format!("expected a rate above 0, found {}", r.rate.0),
                );
            }
            let pair = match fx.iter().position(|(k, _)| k.0 == r.from && k.1 == r.to) {
                Some(j) => j,
                None => {
                    fx.push(((r.from.clone(), r.to.clone()), Vec::new()));
                    fx.len() - 1
                }
            };
            let list = &mut fx[pair].1;
            if list.last().map(|l| l.0) == Some(r.effective) {
                v.push(
                    "duplicate_id",
                    r.origin.field("effective"),
                    format!(
                        "two {}->{} rates take effect on {}",
                        r.from, r.to, r.effective
                    ),
                );
            }
            list.push((r.effective, r.rate.0, k));
        }

        // Quota rows.
        let mut quota_rows = vec![0..0; inputs.payees.len()];
        let payee_plans: Vec<Vec<&Plan>> = assignments
            .iter()
            .map(|list| plans_of(list, inputs, plan_index, &req.plans))
            .collect();
        for (k, q) in inputs.quotas.iter().enumerate() {
            let Some(&pi) = payee_index.get(q.payee.as_str()) else {
                v.push(
                    "unknown_reference",
                    q.origin.field("payee"),
                    format!("unknown payee {:?}", q.payee),
                );
                continue;
            };
            let plans = &payee_plans[pi];
            if !plans.iter().any(|p| p.measure_index(&q.measure).is_some()) {
                v.push(
                    "unknown_reference",
                    q.origin.field("measure"),
                    format!("unknown measure {:?} for payee {:?}", q.measure, q.payee),
                );
            }
            if !plans.is_empty() && !plans.iter().any(|p| p.calendar_has(&q.period)) {
                v.push(
                    "unknown_period",
                    q.origin.field("period"),
                    format!(
                        "{:?} is not a period of payee {:?}'s plan",
                        q.period, q.payee
                    ),
                );
            }
            if q.amount.0 < Decimal::ZERO {
                v.push(
                    "invalid_value",
                    q.origin.field("amount"),
                    "expected a quota ≥ 0".into(),
                );
            }
            // Quotas are sorted by payee, measure and period: each payee's rows are one range,
            // and a duplicate is next to its twin.
            let range = &mut quota_rows[pi];
            if range.start == range.end {
                *range = k..k + 1;
            } else {
                range.end = k + 1;
            }
            let prev = k.checked_sub(1).map(|j| &inputs.quotas[j]);
            if prev.is_some_and(|p| {
                (&p.payee, &p.measure, &p.period) == (&q.payee, &q.measure, &q.period)
            }) {
                v.push(
                    "duplicate_id",
                    q.origin.row(),
                    format!(
                        "two quotas for {:?}, {:?}, {}",
                        q.payee, q.measure, q.period
                    ),
                );
            }
        }
        let mut closed = vec![None; req.plans.len()];
        if let Some(label) = &req.options.closed_through {
            let mut any = false;
            for (k, p) in req.plans.iter().enumerate() {
                if let Some(idx) = p.calendar.period_index(label) {
                    closed[k] = Some(idx);
                    any = true;
                }
            }
            if !any {
                v.push(
                    "unknown_period",
                    "options.closed_through".into(),
                    format!("{label:?} is not a period of any plan"),
                );
            }
        }

        // Payments and adjustments.
        let index = PayeeIndex {
            payees: &payee_index,
            assignments: &assignments,
            plans: plan_index,
        };
        let (payments, adjustments) = ledger::check(req, &index, &closed, &mut v);
        if !v.problems.is_empty() {
            return Err(Error::InvalidInput {
                problems: v.problems,
            });
        }

        let mut warnings = Vec::new();
        for (k, p) in req.inputs.payees.iter().enumerate() {
            if assignments[k].is_empty() {
                warnings.push(Warning {
                    code: "unassigned_payee",
                    path: p.origin.row(),
                    message: format!("payee {:?} has no plan assignment; no statement", p.id),
                });
            }
        }
        for (k, a) in req.inputs.assignments.iter().enumerate() {
            let _ = k;
            if let (Some(&pi), Some(&pk)) = (
                payee_index.get(a.payee.as_str()),
                plan_index.get(a.plan.as_str()),
            ) {
                let cur = req.inputs.payees[pi].currency.as_deref();
                if let Some(c) = cur {
                    if c != req.plans[pk].currency {
                        warnings.push(Warning {
                            code: "payee_currency",
                            path: req.inputs.payees[pi].origin.field("currency"),
                            message: format!("payee {:?} is paid in {c} but plan {:?} computes in {}; amounts are in {}", a.payee, a.plan, req.plans[pk].currency, req.plans[pk].currency),
                        });
                    }
                }
            }
        }
        Ok(Indexed {
            payee_index,
            parent,
            assignments,
            credits,
            events,
            fx,
            quota_rows,
            payments,
            adjustments,
            closed,
            warnings,
            rollup,
            facts,
        })
    }
}

/// Position of transaction `id` in `txns` (sorted by id).
pub(crate) fn txn_position(txns: &[Transaction], id: &str) -> Option<u32> {
    txns.binary_search_by(|t| t.id.as_str().cmp(id))
        .ok()
        .map(|k| k as u32)
}

pub(crate) fn plan_ids_of(
    list: &[usize],
    inputs: &crate::inputs::Inputs,
    index: &IdMap<String, usize>,
) -> Vec<usize> {
    let set: BTreeSet<usize> = list
        .iter()
        .filter_map(|&a| index.get(inputs.assignments[a].plan.as_str()).copied())
        .collect();
    set.into_iter().collect()
}

fn plans_of<'a>(
    list: &[usize],
    inputs: &crate::inputs::Inputs,
    index: &IdMap<String, usize>,
    plans: &'a [Plan],
) -> Vec<&'a Plan> {
    plan_ids_of(list, inputs, index)
        .into_iter()
        .map(|k| &plans[k])
        .collect()
}

/// Lookups of payees, their assignments and plans.
pub(crate) struct PayeeIndex<'a> {
    pub payees: &'a IdMap<String, usize>,
    pub assignments: &'a [Vec<usize>],
    pub plans: &'a IdMap<String, usize>,
}

/// Problems found in the inputs, all reported together.
#[derive(Default)]
pub(crate) struct InputCheck {
    pub problems: Vec<Problem>,
}

impl InputCheck {
    pub fn push(&mut self, code: &'static str, path: String, message: String) {
        self.problems.push(Problem::new(code, path, message));
    }
}
