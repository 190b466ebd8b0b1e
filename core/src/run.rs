//! A whole run: every payee (in parallel where the `parallel` feature is on — the output
//! bytes are identical either way), then totals, reconciliation and warnings.

use crate::decimal::{add, div, fmt_scaled, round, RoundingMode};
use crate::engine::Ctx;
use crate::error::Result;
use crate::payee_run::{run_payee, PayeeResult};
use crate::statement::{Run, Statement, Text, Totals};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// `f` of every index in `range`, in order (computed in parallel where the feature is on).
pub(crate) fn map_payees<T: Send>(
    range: std::ops::Range<usize>,
    f: impl Fn(usize) -> T + Send + Sync,
) -> Vec<T> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        range.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        range.map(f).collect()
    }
}

fn all_payees(ctx: &Ctx) -> Vec<Result<PayeeResult>> {
    map_payees(0..ctx.req.inputs.payees.len(), |p| run_payee(ctx, p, None))
}

/// Payees computed and written per chunk: the statements of one chunk are all that is held.
#[cfg(not(target_arch = "wasm32"))]
const CHUNK: usize = 256;

/// Write the canonical output JSON of the whole run to `sink`, a chunk of payees at a time
/// (each chunk's payees computed and written in parallel), never holding every statement or
/// the whole text. The bytes are those of `canonical::run_to_json(&run(ctx)?)`. On an error
/// nothing more is written: what was written is incomplete.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn write_run(ctx: &Ctx, sink: &mut dyn FnMut(&[u8])) -> Result<()> {
    let n = ctx.req.inputs.payees.len();
    let mut buf = Vec::new();
    crate::canonical::write_run_head(crate::ENGINE_VERSION, &ctx.fingerprint, &mut buf);
    sink(&buf);
    let mut acc = TotalsAcc::new(ctx);
    let mut reconciliation = Vec::new();
    let mut count = 0usize;
    for start in (0..n).step_by(CHUNK) {
        let parts = map_payees(start..(start + CHUNK).min(n), |p| {
            let mut r = run_payee(ctx, p, None)?;
            // The run's order is (payee, period); payees are already in id order.
            r.statements.sort_by(|a, b| a.period.cmp(&b.period));
            let mut bytes = Vec::new();
            let mut sums = TotalsAcc::new(ctx);
            for s in &r.statements {
                // Every entry with its separator; the run's first one drops the comma below.
                crate::canonical::write_statement_entry(s, 1, &mut bytes);
                sums.add(s)?;
            }
            // The statements are freed here, on the payee's thread.
            Ok((bytes, r.statements.len(), sums.acc, r.reconciliation))
        });
        for part in parts {
            let (bytes, statements, sums, recon) = part?;
            acc.merge(sums)?;
            match bytes.split_first() {
                Some((_, rest)) if count == 0 => sink(rest),
                _ => sink(&bytes),
            }
            count += statements;
            reconciliation.extend(recon);
        }
    }
    let totals = acc.finish()?;
    buf.clear();
    crate::canonical::write_run_tail(count, &totals, &reconciliation, &ctx.warnings, &mut buf);
    sink(&buf);
    Ok(())
}

/// `f` on every item of `items` (in parallel where the `parallel` feature is on).
pub(crate) fn for_each_mut<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Send + Sync) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter_mut().for_each(f);
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter_mut().for_each(f);
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
    let mut acc = TotalsAcc::new(ctx);
    for s in statements {
        acc.add(s)?;
    }
    acc.finish()
}

/// Totals per currency, added up one statement at a time.
struct TotalsAcc<'a> {
    scale_of: BTreeMap<&'a str, (u32, RoundingMode)>,
    /// Per currency: earned, adjustments, total, net payable.
    acc: BTreeMap<Text, [Decimal; 4]>,
}

impl<'a> TotalsAcc<'a> {
    fn new(ctx: &'a Ctx) -> TotalsAcc<'a> {
        let scale_of = ctx
            .req
            .plans
            .iter()
            .map(|p| (p.currency.as_str(), (p.rounding.scale, p.rounding.mode)))
            .collect();
        TotalsAcc {
            scale_of,
            acc: BTreeMap::new(),
        }
    }

    fn add(&mut self, s: &Statement) -> Result<()> {
        if !self.acc.contains_key(&s.currency) {
            self.acc.insert(s.currency.clone(), Default::default());
        }
        let Some(e) = self.acc.get_mut(&s.currency) else {
            return Ok(());
        };
        let adj = s
            .lines
            .iter()
            .filter(|l| l.kind == "adjustment")
            .map(|l| l.amount.parse::<Decimal>().unwrap_or_default());
        for (slot, text) in [(0, &s.earned), (2, &s.total), (3, &s.net_payable)] {
            e[slot] = add(e[slot], text.parse().unwrap_or_default(), "totals")?;
        }
        e[1] = add(e[1], crate::decimal::sum(adj, "totals")?, "totals")?;
        Ok(())
    }

    /// Add another accumulator's sums (a payee's, in payee order).
    #[cfg(not(target_arch = "wasm32"))]
    fn merge(&mut self, sums: BTreeMap<Text, [Decimal; 4]>) -> Result<()> {
        for (cur, part) in sums {
            let e = self.acc.entry(cur).or_default();
            for (slot, x) in e.iter_mut().zip(part) {
                *slot = add(*slot, x, "totals")?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Vec<Totals>> {
        let scale_of = self.scale_of;
        let mut out = Vec::new();
        for (cur, [earned, adjustments, total, net]) in self.acc {
            let (scale, mode) = scale_of
                .get(cur.as_str())
                .copied()
                .unwrap_or((2, RoundingMode::HalfAwayFromZero));
            let share = if total.is_zero() {
                Decimal::ZERO
            } else {
                round(div(adjustments, total, "totals")?, 4, mode)
            };
            out.push(Totals {
                currency: cur,
                earned: fmt_scaled(earned, scale),
                adjustments: fmt_scaled(adjustments, scale),
                total: fmt_scaled(total, scale),
                net_payable: fmt_scaled(net, scale),
                discretionary_share: fmt_scaled(share, 4),
            });
        }
        Ok(out)
    }
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
