//! One component line: measure and quota in scope, attainment, gates, the mechanism,
//! weight, caps and floors, rounding, and the to-date true-up of cumulative components.

use crate::decimal::{div, fmt_full, fmt_scaled, mul, round, sub};
use crate::error::Result;
use crate::mechanism::{evaluate, pct, MechInput};
use crate::payee_run::{mode_word, CompLine, PlanRun};
use crate::plan::{Aggregate, Cumulative, OverPayment, Plan, RoundAt};
use crate::statement::{Line, Step, Text};
use rust_decimal::Decimal;

impl PlanRun<'_> {
    /// Compute component `ci` in period `k`, given what was paid in earlier periods.
    pub fn component(&self, ci: usize, k: usize, paid: &[Vec<Decimal>]) -> Result<CompLine> {
        self.component_line(ci, k, paid, true)
    }

    /// The amount of component `ci` in period `k` only: no trace, no explanation (the same
    /// amount as [`PlanRun::component`], with the same errors).
    pub fn component_amount(&self, ci: usize, k: usize, paid: &[Vec<Decimal>]) -> Result<Decimal> {
        Ok(self.component_line(ci, k, paid, false)?.amount)
    }

    fn component_line(
        &self,
        ci: usize,
        k: usize,
        paid: &[Vec<Decimal>],
        explain: bool,
    ) -> Result<CompLine> {
        let c = &self.plan.components[ci];
        let path = self.comp_path(ci);
        let path = &*path;
        let mi = self.plan.measure_index(&c.measure).unwrap_or(0);
        let m = &self.plan.measures[mi];
        let months = self.scope(c, k);
        let value = self.value_over(mi, months.clone())?;
        let quota = self.quota_over(mi, months.clone())?;
        // Room for the usual steps: measure, quota, attainment, a gate, the mechanism's,
        // rounding and to-date.
        let mut steps = Vec::with_capacity(if explain { 8 } else { 0 });
        let to_date = c.cumulative != Cumulative::None;
        let scope_word = if to_date { " to date" } else { "" };
        let in_scope = self.items_in(mi, months.clone());
        let n_items = in_scope.len();
        if explain {
            #[cfg(not(target_arch = "wasm32"))]
            let kinds = Kinds(&m.kinds);
            // The size-budgeted WebAssembly build joins them.
            #[cfg(target_arch = "wasm32")]
            let kinds = m.kinds.join(", ");
            steps.push(Step {
                step: "measure",
                detail: explain!(
                    "{} of {} over {n_items} credits ({}){scope_word}",
                    match m.aggregate {
                        Aggregate::Sum => "sum",
                        Aggregate::Count => "count",
                    },
                    m.field,
                    kinds
                ),
                value: fmt_full(value),
            });
        }
        if let Some(q) = &quota {
            if explain {
                steps.push(Step {
                    step: "quota",
                    detail: q.detail.clone(),
                    value: fmt_full(q.amount),
                });
            }
        }
        if c.mechanism.needs_quota() {
            match &quota {
                None => return Err(self.zero_quota(format!("{path}.measure"), mi, k)),
                Some(q) if q.amount.is_zero() => {
                    return Err(self.zero_quota(q.source.path(self.ctx, self.pk), mi, k))
                }
                _ => {}
            }
        }
        let attainment = match quota.as_ref().map(|q| &q.amount) {
            Some(q) if !q.is_zero() => {
                let a = div(value, *q, path)?;
                if explain {
                    steps.push(Step {
                        step: "attainment",
                        detail: explain!("{} ÷ {}", fmt_full(value), fmt_full(*q)),
                        value: fmt_full(a),
                    });
                }
                Some(a)
            }
            _ => None,
        };
        // Gates.
        let mut gate_failed = None;
        for (g, gate) in c.gates.iter().enumerate() {
            let gmi = self.plan.measure_index(&gate.measure).unwrap_or(0);
            let gv = self.value_over(gmi, months.clone())?;
            let (ok, what) = if let Some(min) = gate.min_attainment {
                let gq = self.quota_over(gmi, months.clone())?;
                let gq = match gq {
                    Some(q) if !q.amount.is_zero() => q.amount,
                    Some(q) => {
                        return Err(self.zero_quota(q.source.path(self.ctx, self.pk), gmi, k))
                    }
                    None => {
                        return Err(self.zero_quota(format!("{path}.gates[{g}].measure"), gmi, k))
                    }
                };
                let ga = div(gv, gq, path)?;
                (
                    ga >= min.0,
                    text(explain, || {
                        explain!(
                            "{} attainment {} (needs at least {})",
                            gate.measure,
                            pct(ga),
                            pct(min.0)
                        )
                    }),
                )
            } else {
                let min = gate.min_value.map(|x| x.0).unwrap_or_default();
                (
                    gv >= min,
                    text(explain, || {
                        explain!(
                            "{} {} (needs at least {})",
                            gate.measure,
                            self.money(gv),
                            self.money(min)
                        )
                    }),
                )
            };
            if explain {
                steps.push(Step {
                    step: "gate",
                    detail: explain!("{what}: {}", if ok { "open" } else { "closed" }),
                    value: if ok { "1".into() } else { "0".into() },
                });
            }
            if !ok && gate_failed.is_none() {
                gate_failed = Some(what);
            }
        }
        let per_transaction = c.mechanism.per == Some(crate::plan::Per::Transaction)
            || c.rounding.unwrap_or(self.plan.rounding.at) == RoundAt::Transaction;
        let items: Vec<Decimal> = if per_transaction {
            in_scope.iter().map(|i| i.value).collect()
        } else {
            Vec::new()
        };
        let months_n = Decimal::from(months.len() as u64);
        let target = div(
            mul(self.target, months_n, path)?,
            Decimal::from(12u64),
            path,
        )?;
        let round_at = c.rounding.unwrap_or(self.plan.rounding.at);
        let input = MechInput {
            value,
            quota: quota.as_ref().map(|q| q.amount),
            target,
            items: &items,
            boundary: self.plan.tier_boundary,
            round_tx: (round_at == RoundAt::Transaction).then_some((self.scale, self.mode)),
            scale: self.scale,
            mode: self.mode,
            path,
            weight: c.weight.map(|w| w.0).unwrap_or(Decimal::ONE),
            explain,
        };
        let name = Plan::component_name(c);
        let (mut amount, mut sentence) = if let Some(what) = &gate_failed {
            if explain {
                steps.push(Step {
                    step: "gated",
                    detail: "a gate is closed: nothing is paid".into(),
                    value: "0".into(),
                });
            }
            (
                Decimal::ZERO,
                text(explain, || explain!("not paid, because {what}")),
            )
        } else {
            let out = evaluate(&c.mechanism, &input)?;
            steps.extend(out.steps);
            (out.amount, out.sentence)
        };
        if let Some(w) = c.weight {
            if gate_failed.is_none() {
                // The mechanism already applied the weight (before its last division).
                if explain {
                    steps.push(Step {
                        step: "weight",
                        detail: explain!("× weight {}", pct(w.0)),
                        value: fmt_full(amount),
                    });
                }
                sentence = text(explain, || explain!("{sentence}, × weight {}", pct(w.0)));
            }
        }
        if let Some(cap) = c.cap {
            if amount > cap.0 {
                amount = cap.0;
                if explain {
                    steps.push(Step {
                        step: "cap",
                        detail: explain!("capped at {}", fmt_full(cap.0)),
                        value: fmt_full(amount),
                    });
                }
                sentence = text(explain, || {
                    explain!("{sentence}, capped at {}", self.money(cap.0))
                });
            }
        }
        if let Some(floor) = c.floor {
            if amount < floor.0 {
                amount = floor.0;
                if explain {
                    steps.push(Step {
                        step: "floor",
                        detail: explain!("raised to the floor {}", fmt_full(floor.0)),
                        value: fmt_full(amount),
                    });
                }
                sentence = text(explain, || {
                    explain!("{sentence}, raised to the floor {}", self.money(floor.0))
                });
            }
        }
        let rounded = self.round(amount);
        if explain {
            steps.push(Step {
                step: "rounding",
                #[cfg(not(target_arch = "wasm32"))]
                detail: match self.ctx.rounding_details.get(self.pk) {
                    Some(d) => d.clone(),
                    None => rounding_detail(self.scale, self.mode),
                },
                #[cfg(target_arch = "wasm32")]
                detail: rounding_detail(self.scale, self.mode),
                value: fmt_full(rounded),
            });
        }
        let explanation;
        let payout = if to_date {
            let first_k = self.cal.period_of_month(months.start);
            let paid_td = crate::decimal::sum((first_k..k).map(|kk| paid[ci][kk]), path)?;
            let mut due = sub(rounded, paid_td, path)?;
            let mut note = String::new();
            if due < Decimal::ZERO && c.over_payment == OverPayment::Carry {
                note = text(explain, || {
                    explain!(
                        "; the over-payment of {} is carried to later periods",
                        self.money(-due)
                    )
                });
                due = Decimal::ZERO;
            }
            if explain {
                steps.push(Step {
                    step: "to_date",
                    detail: explain!(
                        "earned to date {} − paid to date {}{note}",
                        fmt_full(rounded),
                        fmt_full(paid_td)
                    ),
                    value: fmt_full(due),
                });
            }
            explanation = text(explain, || {
                explain!(
                "{name}: to date, {sentence} = {}; minus {} already paid, this period pays {}{note}.",
                self.money(rounded),
                self.money(paid_td),
                self.money(due)
            )
            });
            due
        } else {
            explanation = text(explain, || {
                explain!("{name}: {sentence} = {}.", self.money(rounded))
            });
            rounded
        };
        if !explain {
            // `component_amount` reads the amount alone: its text is not written.
            return Ok(self.kept_line(ci, (payout, Text::default())));
        }
        let measure_scale = if m.aggregate == Aggregate::Count {
            0
        } else {
            self.scale
        };
        let line = Line {
            kind: "component",
            id: Text::from(c.id.as_str()),
            name: name.into(),
            measure: Some(fmt_scaled(
                round(value, measure_scale, self.mode),
                measure_scale,
            )),
            quota: quota.as_ref().map(|q| self.money(q.amount)),
            attainment: attainment.map(|a| fmt_scaled(round(a, 4, self.mode), 4)),
            amount: self.money(payout),
            explanation,
            trace: steps,
        };
        Ok(CompLine {
            amount: payout,
            line,
        })
    }
}

/// A measure's kinds as `booking, renewal`, written without joining them into a string.
#[cfg(not(target_arch = "wasm32"))]
struct Kinds<'a>(&'a [String]);

#[cfg(not(target_arch = "wasm32"))]
impl std::fmt::Display for Kinds<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, kind) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(kind)?;
        }
        Ok(())
    }
}

/// `make()` when explaining, else nothing (the text is never built).
fn text(explain: bool, make: impl FnOnce() -> String) -> String {
    if explain {
        make()
    } else {
        String::new()
    }
}

/// The detail of a line's rounding step: `2 decimals, half away from zero`.
pub(crate) fn rounding_detail(scale: u32, mode: crate::decimal::RoundingMode) -> String {
    explain!("{scale} decimals, {}", mode_word(mode))
}
