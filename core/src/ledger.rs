//! Checks of the lifecycle's inputs: prior payments (known payee, a period of the payee's plan,
//! no reopened closed period, known component) and adjustments (reason, approver, an open period).

use crate::engine::{plan_ids_of, InputCheck, PayeeIndex};
use crate::inputs::Request;

/// A required text field that is missing or blank.
fn blank(value: &Option<String>) -> bool {
    value
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .is_empty()
}

/// Check payments and adjustments; returns each payee's payment and adjustment rows.
pub(crate) fn check(
    req: &Request,
    index: &PayeeIndex,
    closed: &[Option<usize>],
    v: &mut InputCheck,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut payments = vec![Vec::new(); req.inputs.payees.len()];
    for (k, pay) in req.inputs.payments.iter().enumerate() {
        let Some(&pi) = index.payees.get(pay.payee.as_str()) else {
            v.push(
                "unknown_reference",
                pay.origin.field("payee"),
                format!("payment for unknown payee {:?}", pay.payee),
            );
            continue;
        };
        let plans = plan_ids_of(&index.assignments[pi], &req.inputs, index.plans);
        let found = plans
            .iter()
            .find(|&&pk| req.plans[pk].calendar.period_index(&pay.period).is_some());
        match found {
            None => v.push(
                "unknown_period",
                pay.origin.field("period"),
                format!(
                    "{:?} is not a period of payee {:?}'s plan",
                    pay.period, pay.payee
                ),
            ),
            Some(&pk) => {
                let idx = req.plans[pk].calendar.period_index(&pay.period);
                if pay.closed && (closed[pk].is_none() || idx > closed[pk]) {
                    v.push(
                        "closed_period",
                        "options.closed_through".into(),
                        format!(
                            "{} was closed ({}) and cannot be reopened",
                            pay.period,
                            pay.origin.row()
                        ),
                    );
                }
                if let Some(c) = &pay.component {
                    let known = req.plans[pk].components.iter().any(|x| &x.id == c)
                        || matches!(
                            c.as_str(),
                            "draw"
                                | "draw_recovery"
                                | "clawback"
                                | "holdback"
                                | "holdback_release"
                                | "adjustment"
                                | "true_up"
                                | "plan_cap"
                        );
                    if !known {
                        v.push(
                            "unknown_reference",
                            pay.origin.field("component"),
                            format!("unknown component {c:?}"),
                        );
                    }
                }
            }
        }
        payments[pi].push(k);
    }
    let mut adjustments = vec![Vec::new(); req.inputs.payees.len()];
    for (k, adj) in req.inputs.adjustments.iter().enumerate() {
        if blank(&adj.reason) {
            v.push(
                "adjustment_unapproved",
                adj.origin.field("reason"),
                "an adjustment needs a reason".into(),
            );
        }
        if blank(&adj.approver) {
            v.push(
                "adjustment_unapproved",
                adj.origin.field("approver"),
                "an adjustment needs an approver".into(),
            );
        }
        let Some(&pi) = index.payees.get(adj.payee.as_str()) else {
            v.push(
                "unknown_reference",
                adj.origin.field("payee"),
                format!("adjustment for unknown payee {:?}", adj.payee),
            );
            continue;
        };
        let plans = plan_ids_of(&index.assignments[pi], &req.inputs, index.plans);
        match plans
            .iter()
            .find(|&&pk| req.plans[pk].calendar.period_index(&adj.period).is_some())
        {
            None => v.push(
                "unknown_period",
                adj.origin.field("period"),
                format!(
                    "{:?} is not a period of payee {:?}'s plan",
                    adj.period, adj.payee
                ),
            ),
            Some(&pk) => {
                let idx = req.plans[pk].calendar.period_index(&adj.period);
                if closed[pk].is_some() && idx <= closed[pk] {
                    v.push(
                        "closed_period",
                        adj.origin.field("period"),
                        format!(
                            "{} is closed; put the adjustment in an open period",
                            adj.period
                        ),
                    );
                }
            }
        }
        adjustments[pi].push(k);
    }
    (payments, adjustments)
}
