//! Reconciliation of recalculated periods with what was paid: rows for every over- and
//! under-payment, and `true_up` lines settling closed periods' differences in the first open one.

use crate::decimal::{add, fmt_full, sub};
use crate::error::Result;
use crate::lifecycle::simple_line;
use crate::payee_run::{CompLine, PayeeResult, PlanRun};
use crate::plan::Cumulative;
use crate::statement::{Line, Reconciliation, Step, Text};
use rust_decimal::Decimal;

pub(crate) fn recon(
    run: &PlanRun,
    out: &mut PayeeResult,
    period: &str,
    component: &str,
    calculated: Decimal,
    paid: Decimal,
    fixed_in: Option<String>,
) -> Result<()> {
    let diff = sub(calculated, paid, "reconciliation")?;
    if diff.is_zero() {
        return Ok(());
    }
    out.reconciliation.push(Reconciliation {
        payee: Text::from(run.payee.id.as_str()),
        period: Text::from(period),
        component: Text::from(component),
        calculated: run.money(calculated),
        paid: run.money(paid),
        difference: run.money(diff),
        status: if diff > Decimal::ZERO {
            "under_paid"
        } else {
            "over_paid"
        },
        fixed_in: fixed_in.map(Text::from),
    });
    Ok(())
}

/// Differences between recalculated and paid closed periods, as `true_up` lines.
pub(crate) fn true_ups(
    run: &PlanRun,
    calc: &[Vec<Option<CompLine>>],
    paid: &[Vec<Decimal>],
    closed_k: Option<usize>,
    label: &str,
    lines: &mut Vec<Line>,
    out: &mut PayeeResult,
) -> Result<()> {
    let Some(last) = closed_k else { return Ok(()) };
    for (ci, c) in run.plan.components.iter().enumerate() {
        let mut diff = Decimal::ZERO;
        let mut steps = Vec::new();
        for k in 0..=last.min(run.cal.periods() - 1) {
            let Some(line) = &calc[ci][k] else { continue };
            let d = sub(line.amount, paid[ci][k], "true_up")?;
            recon(
                run,
                out,
                &run.labels[k].clone(),
                &c.id,
                line.amount,
                paid[ci][k],
                Some(label.to_string()),
            )?;
            if d.is_zero() {
                continue;
            }
            diff = add(diff, d, "true_up")?;
            steps.push(Step {
                step: "true_up",
                detail: explain!(
                    "{}: recalculated {} − paid {}",
                    run.labels[k].clone(),
                    fmt_full(line.amount),
                    fmt_full(paid[ci][k])
                ),
                value: fmt_full(d),
            });
            steps.extend(line.line.trace.iter().cloned());
        }
        if diff.is_zero() || c.cumulative != Cumulative::None {
            // To-date components settle differences in their own to-date line.
            continue;
        }
        let name = crate::plan::Plan::component_name(c).to_string();
        lines.push(simple_line(
            "true_up",
            c.id.clone(),
            explain!("{name} true-up"),
            run.money(diff),
            explain!(
                "{name}: recalculating closed periods with corrected data gives {} {} than was paid; settled here.",
                run.money(diff.abs()),
                if diff > Decimal::ZERO { "more" } else { "less" }
            ),
            steps,
        ));
    }
    Ok(())
}
