//! A whole run: every payee (in parallel where the `parallel` feature is on — the output
//! bytes are identical either way), then totals, reconciliation and warnings.

use crate::decimal::{add, div, fmt_scaled, round, RoundingMode};
use crate::engine::Ctx;
use crate::error::Result;
use crate::payee_run::{run_payee, PayeeResult};
use crate::statement::{Run, Statement, Totals};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn all_payees(ctx: &Ctx) -> Vec<Result<PayeeResult>> {
    let n = ctx.req.inputs.payees.len();
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..n)
            .into_par_iter()
            .map(|p| run_payee(ctx, p, None))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..n).map(|p| run_payee(ctx, p, None)).collect()
    }
}

/// Run `a` and `b` side by side where the `parallel` feature is on, else one after the other.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// Totals per currency over `statements`.
pub(crate) fn totals(ctx: &Ctx, statements: &[Statement]) -> Result<Vec<Totals>> {
    let scale_of: BTreeMap<&str, (u32, RoundingMode)> = ctx
        .req
        .plans
        .iter()
        .map(|p| (p.currency.as_str(), (p.rounding.scale, p.rounding.mode)))
        .collect();
    let mut acc: BTreeMap<&str, [Decimal; 4]> = BTreeMap::new();
    for s in statements {
        let e = acc.entry(s.currency.as_str()).or_default();
        let adj = s
            .lines
            .iter()
            .filter(|l| l.kind == "adjustment")
            .map(|l| l.amount.parse::<Decimal>().unwrap_or_default());
        for (slot, text) in [(0, &s.earned), (2, &s.total), (3, &s.net_payable)] {
            e[slot] = add(e[slot], text.parse().unwrap_or_default(), "totals")?;
        }
        e[1] = add(e[1], crate::decimal::sum(adj, "totals")?, "totals")?;
    }
    let mut out = Vec::new();
    for (cur, [earned, adjustments, total, net]) in acc {
        let (scale, mode) = scale_of
            .get(cur)
            .copied()
            .unwrap_or((2, RoundingMode::HalfAwayFromZero));
        let share = if total.is_zero() {
            Decimal::ZERO
        } else {
            round(div(adjustments, total, "totals")?, 4, mode)
        };
        out.push(Totals {
            currency: cur.to_string(),
            earned: fmt_scaled(earned, scale),
            adjustments: fmt_scaled(adjustments, scale),
            total: fmt_scaled(total, scale),
            net_payable: fmt_scaled(net, scale),
            discretionary_share: fmt_scaled(share, 4),
        });
    }
    Ok(out)
}

/// Calculate every payee of a prepared context.
pub(crate) fn run(ctx: &Ctx) -> Result<Run> {
    let mut statements = Vec::new();
    let mut reconciliation = Vec::new();
    for r in all_payees(ctx) {
        let r = r?;
        statements.extend(r.statements);
        reconciliation.extend(r.reconciliation);
    }
    statements.sort_by(|a, b| (&a.payee, &a.period).cmp(&(&b.payee, &b.period)));
    let totals = totals(ctx, &statements)?;
    Ok(Run {
        engine: crate::ENGINE_VERSION,
        fingerprint: ctx.fingerprint.clone(),
        statements,
        totals,
        reconciliation,
        warnings: ctx.warnings.clone(),
    })
}
