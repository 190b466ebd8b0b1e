//! The payout lifecycle of one payee's year: closed periods and prior payments, to-date
//! true-ups, plan caps, clawbacks, holdbacks, adjustments and draws — each its own line.

use crate::decimal::{add, div, fmt_full, mul, sub};
use crate::error::Result;
use crate::memo::{LineMemo, Memo};
use crate::payee_run::{CompLine, PayeeResult, PlanRun};
use crate::plan::{DrawKind, Recovery, Release};
use crate::statement::{Line, Statement, Step, Text};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(crate) fn simple_line(
    kind: &'static str,
    id: String,
    name: String,
    amount: Text,
    explanation: String,
    trace: Vec<Step>,
) -> Line {
    Line {
        kind,
        id: id.into(),
        name: name.into(),
        measure: None,
        quota: None,
        attainment: None,
        amount,
        explanation,
        trace,
    }
}

/// A deal's share of the component lines of the period it was earned in.
struct DealShare {
    period: usize,
    /// Commission attributed to the deal (full precision, as paid).
    commission: Decimal,
}

/// Build every statement of `run` into `out`.
pub(crate) fn build(run: &PlanRun, out: &mut PayeeResult, memo: LineMemo) -> Result<()> {
    let cal = run.cal;
    let plan = run.plan;
    let n = cal.periods();
    let nc = plan.components.len();
    let closed_k = run.ctx.closed[run.pk];
    let is_closed = |k: usize| closed_k.is_some_and(|c| k <= c);
    let payments: Vec<&crate::inputs::Payment> = run.ctx.payments[run.p]
        .iter()
        .map(|&i| &run.ctx.req.inputs.payments[i])
        .filter(|p| cal.period_index(&p.period).is_some())
        .collect();
    let paid_row = |k: usize, id: &str| -> Decimal {
        let label = run.labels[k].clone();
        payments
            .iter()
            .filter(|p| p.period == label && p.component.as_deref() == Some(id))
            .fold(Decimal::ZERO, |acc, p| {
                acc.checked_add(p.amount.0).unwrap_or(acc)
            })
    };

    // Pass 1: component lines in period order (to-date components read what was paid before).
    // A what-if deal changes nothing before its own period: earlier lines keep their amounts
    // and, unless a draw carries a balance through the year, earlier statements are left out.
    let first_changed = match memo {
        LineMemo::Reuse(_) => run.first_changed_period(),
        _ => 0,
    };
    let skip_before = if plan.draw.is_none() {
        first_changed
    } else {
        0
    };
    // Without draws, holdbacks or clawbacks of what was paid, a period whose component lines
    // are all kept is the same statement as without the deal: it is left out too.
    let independent = plan.draw.is_none()
        && plan.holdback.is_none()
        && plan.clawback.as_ref().is_none_or(|c| c.reduces_attainment);
    let mut recomputed = vec![!matches!(memo, LineMemo::Reuse(_)) || !independent; n];
    let mut record = matches!(memo, LineMemo::Record).then(|| Memo::new(nc, n));
    let mut paid = vec![vec![Decimal::ZERO; n]; nc];
    let mut calc: Vec<Vec<Option<CompLine>>> =
        (0..nc).map(|_| (0..n).map(|_| None).collect()).collect();
    for k in 0..n {
        if !run.has[k] {
            continue;
        }
        for ci in 0..nc {
            let kept = match memo {
                LineMemo::Reuse(m) if !is_closed(k) && k < first_changed => m.amount(ci, k),
                LineMemo::Reuse(m) if !is_closed(k) => {
                    match m.unchanged(ci, k, &run.line_inputs(ci, k, &paid)?) {
                        Some(kept) => Some(kept),
                        // Inputs changed: the amount first, the trace only if it changed too.
                        None => {
                            let amount = run.component_amount(ci, k, &paid)?;
                            m.amount(ci, k).filter(|(was, _)| *was == amount)
                        }
                    }
                }
                _ => None,
            };
            let line = match kept {
                Some(kept) => run.kept_line(ci, kept.clone()),
                None => {
                    recomputed[k] = true;
                    run.component(ci, k, &paid)?
                }
            };
            if let Some(r) = record.as_mut() {
                r.set(ci, k, run.line_inputs(ci, k, &paid)?, &line);
            }
            paid[ci][k] = if is_closed(k) {
                paid_row(k, &plan.components[ci].id)
            } else {
                line.amount
            };
            calc[ci][k] = Some(line);
        }
    }

    if let Some(r) = record {
        out.memos.push(r);
    }

    // Deals' shares of what was paid, for holdbacks and clawbacks.
    let mut deals: BTreeMap<u32, DealShare> = BTreeMap::new();
    let attribute = plan.holdback.is_some()
        || plan
            .clawback
            .as_ref()
            .is_some_and(|c| !c.reduces_attainment);
    for (ci, c) in plan.components.iter().enumerate().filter(|_| attribute) {
        let path = run.comp_path(ci);
        let path = &*path;
        let mi = plan.measure_index(&c.measure).unwrap_or(0);
        for (k, &paid_k) in paid[ci].iter().enumerate() {
            if !run.has[k] || paid_k.is_zero() {
                continue;
            }
            let months = cal.months_of(k);
            let period_value =
                crate::decimal::sum(run.sums[mi][months.clone()].iter().copied(), "measure")
                    .map_err(|_| run.sum_overflow(mi, months.clone()))?;
            if period_value.is_zero() {
                continue;
            }
            for it in run
                .items_in(mi, months.clone())
                .iter()
                .filter(|i| !i.reversal)
            {
                let share = mul(paid[ci][k], div(it.value, period_value, path)?, path)?;
                let e = deals.entry(it.txn).or_insert(DealShare {
                    period: k,
                    commission: Decimal::ZERO,
                });
                e.commission = add(e.commission, share, path)?;
            }
        }
    }

    // Holdbacks: per deal, held in the deal's period and released by payment or time.
    let mut held = vec![Decimal::ZERO; n];
    let mut released = vec![Decimal::ZERO; n];
    let mut held_deals: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut released_deals: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut held_at: BTreeMap<u32, (Decimal, Option<crate::date::Date>)> = BTreeMap::new();
    if let Some(h) = &plan.holdback {
        for (&txn, d) in &deals {
            if d.commission <= Decimal::ZERO || is_closed(d.period) {
                continue;
            }
            let deal = run.txn(txn);
            let hold = mul(d.commission, h.share.0, "holdback")?;
            held[d.period] = add(held[d.period], hold, "holdback")?;
            held_deals[d.period].push(deal.id.to_string());
            let by_payment = match h.release {
                Release::Payment => run
                    .ctx
                    .events
                    .payment
                    .get(&txn)
                    .map(|&e| run.txn(e).date.get()),
                Release::Time => None,
            };
            let by_time = h
                .after_days
                .map(|days| deal.date.get().add_days(days as i64));
            let mut when = match (by_payment, by_time) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(&c) = run.ctx.events.cancellation.get(&txn) {
                if when.is_none_or(|w| run.txn(c).date.get() <= w) {
                    when = None; // cancelled first: the held share is forfeited, never released
                }
            }
            held_at.insert(txn, (hold, when));
            if let Some(w) = when {
                if let Some(month) = cal.month_of(&w) {
                    let k = cal.period_of_month(month);
                    released[k] = add(released[k], hold, "holdback")?;
                    released_deals[k].push(deal.id.to_string());
                }
            }
        }
    }

    // Clawbacks: a cancellation inside the window reverses what was paid on the deal.
    let mut clawbacks: Vec<Vec<Line>> = vec![Vec::new(); n];
    if let Some(cb) = plan.clawback.as_ref().filter(|c| !c.reduces_attainment) {
        for (&txn, d) in &deals {
            let Some(&ci) = run.ctx.events.cancellation.get(&txn) else {
                continue;
            };
            let cancel = run.txn(ci);
            let deal = run.txn(txn);
            let elapsed = deal.date.get().days_until(&cancel.date.get());
            let Some(month) = cal.month_of(&cancel.date.get()) else {
                continue;
            };
            let k = cal.period_of_month(month);
            if elapsed > cb.window_days as i64 || !run.has[k] || is_closed(k) {
                continue;
            }
            let mut amount = d.commission;
            let mut steps = vec![Step {
                step: "clawback",
                detail: explain!("{} cancelled on {} ({elapsed} days after booking, window {} days); commission paid on it", deal.id, cancel.date, cb.window_days),
                value: fmt_full(amount),
            }];
            if cb.recovery == Recovery::Prorated {
                let w = Decimal::from(cb.window_days);
                amount = div(
                    mul(
                        amount,
                        sub(w, Decimal::from(elapsed), "clawback")?,
                        "clawback",
                    )?,
                    w,
                    "clawback",
                )?;
                steps.push(Step {
                    step: "prorated",
                    detail: explain!(
                        "× ({} − {elapsed}) ÷ {} days of the window unexpired",
                        cb.window_days,
                        cb.window_days
                    ),
                    value: fmt_full(amount),
                });
            }
            if let Some((hold, when)) = held_at.get(&txn) {
                if when.is_none_or(|w| w > cancel.date.get()) {
                    amount = sub(amount, *hold, "clawback")?;
                    steps.push(Step {
                        step: "held",
                        detail: explain!(
                            "{} still held is forfeited, not recovered",
                            fmt_full(*hold)
                        ),
                        value: fmt_full(amount),
                    });
                }
            }
            let amount = run.round(-amount);
            if amount.is_zero() {
                continue;
            }
            clawbacks[k].push(simple_line(
                "clawback",
                deal.id.to_string(),
                explain!("Clawback of {}", deal.id),
                run.money(amount),
                explain!(
                    "Deal {} booked {} was cancelled on {}, {elapsed} days later, inside the {}-day window: the {} paid on it is recovered.",
                    deal.id,
                    deal.date,
                    cancel.date,
                    cb.window_days,
                    run.money(-amount)
                ),
                steps,
            ));
        }
    }

    // Pass 2: statements.
    let first_open = (0..n).find(|&k| run.has[k] && !is_closed(k));
    let mut draw_balance = Decimal::ZERO;
    for k in 0..n {
        let settles = closed_k.is_some() && Some(k) == first_open;
        if !run.has[k] || (!is_closed(k) && !settles && (k < skip_before || !recomputed[k])) {
            continue;
        }
        let label = run.labels[k].clone();
        let mut lines = Vec::new();
        let status;
        let mut prior_paid = Decimal::ZERO;
        if is_closed(k) {
            status = "closed";
            for p in payments.iter().filter(|p| p.period == label) {
                let id = p.component.clone().unwrap_or_else(|| "statement".into());
                let kind = if plan.components.iter().any(|c| c.id == id) {
                    "component"
                } else {
                    "paid"
                };
                let name = plan
                    .components
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| crate::plan::Plan::component_name(c).to_string())
                    .unwrap_or_else(|| id.clone());
                lines.push(simple_line(
                    kind,
                    id,
                    name,
                    run.money(p.amount.0),
                    explain!(
                        "Paid and closed: {} as paid for {label}.",
                        run.money(p.amount.0)
                    ),
                    vec![Step {
                        step: "closed",
                        detail: explain!(
                            "{label} is closed; the line is what was paid ({})",
                            p.origin.row()
                        ),
                        value: fmt_full(p.amount.0),
                    }],
                ));
                if matches!(p.component.as_deref(), Some("draw") | Some("draw_recovery")) {
                    draw_balance = add(draw_balance, p.amount.0, "draw")?;
                }
            }
        } else {
            status = "open";
            for row in calc.iter_mut() {
                if let Some(c) = row[k].take() {
                    lines.push(c.line);
                }
            }
            // Plan cap and floor on the sum of component lines.
            let comp_sum = crate::decimal::sum((0..nc).map(|ci| paid[ci][k]), "plan")?;
            let limited = match (plan.cap, plan.floor) {
                (Some(cap), _) if comp_sum > cap.0 => Some((cap.0, "cap")),
                (_, Some(floor)) if comp_sum < floor.0 => Some((floor.0, "floor")),
                _ => None,
            };
            if let Some((limit, word)) = limited {
                let amount = run.round(sub(limit, comp_sum, "plan")?);
                lines.push(simple_line(
                    "plan_cap",
                    word.to_string(),
                    explain!("Plan {word}"),
                    run.money(amount),
                    explain!(
                        "The plan's {word} of {} per period applies to the {} earned.",
                        run.money(limit),
                        run.money(comp_sum)
                    ),
                    vec![Step {
                        step: "plan_cap",
                        detail: explain!(
                            "{word} {} − components {}",
                            fmt_full(limit),
                            fmt_full(comp_sum)
                        ),
                        value: fmt_full(amount),
                    }],
                ));
            }
            lines.append(&mut clawbacks[k]);
            if !held[k].is_zero() {
                let amount = run.round(-held[k]);
                let share = plan
                    .holdback
                    .as_ref()
                    .map(|h| h.share.0)
                    .unwrap_or_default();
                lines.push(simple_line(
                    "holdback",
                    "holdback".into(),
                    "Holdback".into(),
                    run.money(amount),
                    explain!(
                        "{} of the commission on {} is held until the customer pays.",
                        crate::mechanism::pct(share),
                        held_deals[k].join(", ")
                    ),
                    vec![Step {
                        step: "holdback",
                        detail: explain!(
                            "{} × commission on {}",
                            crate::mechanism::pct(share),
                            held_deals[k].join(", ")
                        ),
                        value: fmt_full(-held[k]),
                    }],
                ));
            }
            if !released[k].is_zero() {
                let amount = run.round(released[k]);
                lines.push(simple_line(
                    "holdback_release",
                    "holdback_release".into(),
                    "Holdback released".into(),
                    run.money(amount),
                    explain!(
                        "The held commission on {} is released: {}.",
                        released_deals[k].join(", "),
                        run.money(amount)
                    ),
                    vec![Step {
                        step: "release",
                        detail: explain!("released for {}", released_deals[k].join(", ")),
                        value: fmt_full(released[k]),
                    }],
                ));
            }
            if Some(k) == first_open {
                crate::true_up::true_ups(run, &calc, &paid, closed_k, &label, &mut lines, out)?;
            }
            for &ai in &run.ctx.adjustments[run.p] {
                let a = &run.ctx.req.inputs.adjustments[ai];
                if a.period != label {
                    continue;
                }
                let id = a.id.clone().unwrap_or_else(|| "adjustment".into());
                let reason = a.reason.clone().unwrap_or_default();
                let approver = a.approver.clone().unwrap_or_default();
                lines.push(simple_line(
                    "adjustment",
                    id,
                    reason.clone(),
                    run.money(a.amount.0),
                    explain!(
                        "Adjustment of {}: {reason} (approved by {approver}).",
                        run.money(a.amount.0)
                    ),
                    vec![Step {
                        step: "adjustment",
                        detail: explain!("{reason}; approved by {approver} ({})", a.origin.row()),
                        value: fmt_full(a.amount.0),
                    }],
                ));
            }
            // Draw on the period's earnings (everything but adjustments).
            if let Some(draw) = &plan.draw {
                let earned = line_sum(&lines, |l| l.kind != "adjustment")?;
                let d = draw.amount.0;
                let pay = match draw.kind {
                    DrawKind::NonRecoverable => earned.max(d),
                    DrawKind::Recoverable => sub(earned, draw_balance, "draw")?.max(d),
                };
                let line_amount = sub(pay, earned, "draw")?;
                let before = draw_balance;
                if draw.kind == DrawKind::Recoverable {
                    draw_balance = add(draw_balance, line_amount, "draw")?;
                }
                if !line_amount.is_zero() {
                    let (kind, name, text) = if line_amount > Decimal::ZERO {
                        ("draw", "Draw", explain!(
                            "Earnings of {} are below the {} draw: the draw tops them up by {}{}.",
                            run.money(earned), run.money(d), run.money(line_amount),
                            if draw.kind == DrawKind::Recoverable { explain!(", to be recovered from later earnings (balance {})", run.money(draw_balance)) } else { " (a guarantee, never recovered)".to_string() }
                        ))
                    } else {
                        ("draw_recovery", "Draw recovery", explain!(
                            "Earnings of {} recover {} of the outstanding draw balance of {} (balance now {}).",
                            run.money(earned), run.money(-line_amount), run.money(before), run.money(draw_balance)
                        ))
                    };
                    lines.push(simple_line(
                        kind,
                        kind.to_string(),
                        name.to_string(),
                        run.money(line_amount),
                        text,
                        vec![Step {
                            step: "draw",
                            detail: explain!(
                                "pay max(draw {}, earned {} − balance {}) − earned",
                                fmt_full(d),
                                fmt_full(earned),
                                fmt_full(before)
                            ),
                            value: fmt_full(line_amount),
                        }],
                    ));
                }
            }
            for p in payments.iter().filter(|p| p.period == label) {
                prior_paid = add(prior_paid, p.amount.0, "payments")?;
                if let Some(id) = &p.component {
                    if let Some(ci) = plan.components.iter().position(|c| &c.id == id) {
                        crate::true_up::recon(
                            run,
                            out,
                            &label,
                            id,
                            paid[ci][k],
                            p.amount.0,
                            Some(label.to_string()),
                        )?;
                    }
                }
            }
        }
        let earned = line_sum(&lines, |l| l.kind == "component" || l.kind == "plan_cap")?;
        let total = line_sum(&lines, |_| true)?;
        let net = sub(total, prior_paid, "statement")?;
        out.statements.push(Statement {
            payee: Text::from(run.payee.id.as_str()),
            period: label,
            plan: Text::from(plan.id.as_str()),
            currency: Text::from(plan.currency.as_str()),
            status,
            lines,
            earned: run.money(earned),
            total: run.money(total),
            prior_paid: run.money(prior_paid),
            net_payable: run.money(if status == "closed" { total } else { net }),
            draw_balance: plan.draw.as_ref().map(|_| run.money(draw_balance)),
        });
    }
    Ok(())
}

fn line_sum(lines: &[Line], keep: impl Fn(&Line) -> bool) -> Result<Decimal> {
    let mut s = Decimal::ZERO;
    for l in lines.iter().filter(|l| keep(l)) {
        let x = crate::decimal::parse_decimal(&l.amount).unwrap_or_default();
        s = add(s, x, "statement")?;
    }
    Ok(s)
}
