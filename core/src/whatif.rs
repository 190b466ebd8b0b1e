//! What-if: the change one hypothetical deal makes to the payees it credits and their managers,
//! recomputing only those payees on a prepared engine.

use crate::crediting::{credit_shares_checked, Credit};
use crate::decimal::{add, fmt_scaled, sub};
use crate::engine::Ctx;
use crate::error::{Error, Result};
use crate::inputs::{Origin, Transaction};
use crate::memo::{LineMemo, Memo};
use crate::payee_run::{Extra, PlanData, PlanRun};
use crate::rollup::managers;
use crate::statement::{Statement, Step, Text};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;

/// One line whose amount the deal changes.
#[derive(Debug, Clone, Serialize)]
pub struct LineChange {
    pub payee: Text,
    pub period: Text,
    pub kind: &'static str,
    pub id: Text,
    pub before: Text,
    pub after: Text,
    pub change: Text,
    pub explanation: String,
    pub trace: Vec<Step>,
}

/// A payee's change in net payable over the year.
#[derive(Debug, Clone, Serialize)]
pub struct PayeeChange {
    pub payee: Text,
    pub currency: Text,
    pub before: Text,
    pub after: Text,
    pub change: Text,
}

/// The what-if answer.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub engine: &'static str,
    pub deal: Text,
    pub change: Text,
    pub payees: Vec<PayeeChange>,
    pub lines: Vec<LineChange>,
}

/// Parse a deal (one transaction object; `id` defaults to `WHATIF`).
fn parse_deal(deal_json: &str) -> Result<Transaction> {
    let mut value: serde_json::Value =
        serde_json::from_str(deal_json).map_err(|e| Error::Syntax {
            path: "deal".into(),
            message: format!("malformed JSON: {e}"),
        })?;
    if let Some(obj) = value.as_object_mut() {
        obj.entry("id")
            .or_insert_with(|| serde_json::Value::String("WHATIF".into()));
    }
    let mut t: Transaction = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "deal".to_string()
        } else {
            format!("deal.{path}")
        };
        crate::request::shape_error(path, &e.into_inner().to_string())
    })?;
    #[cfg_attr(target_arch = "wasm32", allow(clippy::useless_conversion))]
    let name = "deal".into();
    t.origin = Origin::Named(name);
    Ok(t)
}

fn net(statements: &[Statement]) -> Decimal {
    statements
        .iter()
        .filter_map(|s| s.net_payable.parse::<Decimal>().ok())
        .fold(Decimal::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
}

/// One payee without the deal, computed once per prepared engine: per assignment the data its
/// lines are computed from and the memo of its lines, and its statements.
pub(crate) struct Before {
    data: Vec<PlanData>,
    memos: Vec<Memo>,
    statements: Vec<Statement>,
}

impl Before {
    fn new(ctx: &Ctx, p: usize) -> Result<Before> {
        let mut out = crate::payee_run::PayeeResult::default();
        let mut data = Vec::new();
        for &ai in &ctx.assignments[p] {
            let d = PlanData::new(ctx, p, ai)?;
            crate::lifecycle::build(&PlanRun::new(ctx, &d, None)?, &mut out, LineMemo::Record)?;
            data.push(d);
        }
        Ok(Before {
            data,
            memos: out.memos,
            statements: out.statements,
        })
    }

    /// The payee's statements with the deal: only lines whose inputs the deal changes are
    /// computed again.
    fn after(&self, ctx: &Ctx, extra: &Extra) -> Result<Vec<Statement>> {
        let mut out = crate::payee_run::PayeeResult::default();
        for (d, memo) in self.data.iter().zip(&self.memos) {
            let run = PlanRun::new(ctx, d, Some(extra))?;
            crate::lifecycle::build(&run, &mut out, LineMemo::Reuse(memo))?;
        }
        Ok(out.statements)
    }
}

/// Each payee's [`Before`], filled on first use.
pub(crate) type BeforeCache = [std::sync::OnceLock<Before>];

/// The change `deal_json` makes.
pub(crate) fn estimate(ctx: &Ctx, cache: &BeforeCache, deal_json: &str) -> Result<Estimate> {
    let txn = parse_deal(deal_json)?;
    if ctx.txn_position(&txn.id).is_some() {
        return Err(Error::input(
            "duplicate_id",
            "deal.id",
            format!(
                "transaction {:?} already exists; give the what-if deal a new id",
                txn.id
            ),
        ));
    }
    let shares = credit_shares_checked(&txn, &ctx.payee_index)
        .map_err(|p| Error::InvalidInput { problems: vec![p] })?;
    let index = ctx.req.inputs.transactions.len() as u32;
    let mut credits = Vec::new();
    let mut affected = BTreeSet::new();
    for (j, &(p, _, amount)) in shares.iter().enumerate() {
        let own = Credit::new(index, &txn, j, amount);
        credits.push((p, own));
        affected.insert(p);
        if ctx.rollup {
            // The same roll-up as the prepared credits (rollup::spread_credits).
            for (depth, m) in managers(&ctx.parent, p).enumerate() {
                let depth = depth as u8 + 1;
                credits.push((m, Credit { depth, ..own }));
                affected.insert(m);
            }
        }
    }
    let extra = Extra { txn, credits };
    let mut payees = Vec::new();
    let mut lines = Vec::new();
    let mut total = Decimal::ZERO;
    for p in affected {
        let computed;
        let prepared: &Before = match cache.get(p) {
            Some(cell) => match cell.get() {
                Some(b) => b,
                None => {
                    let b = Before::new(ctx, p)?;
                    cell.get_or_init(|| b)
                }
            },
            None => {
                computed = Before::new(ctx, p)?;
                &computed
            }
        };
        let before: &[Statement] = &prepared.statements;
        // Only the statements the deal can change (from its own period on) are computed.
        let after = prepared.after(ctx, &extra)?;
        let mut change = Decimal::ZERO;
        for s in &after {
            let old = before
                .iter()
                .find(|x| x.period == s.period && x.plan == s.plan);
            let was = old
                .map(|o| net(std::slice::from_ref(o)))
                .unwrap_or_default();
            change = add(
                change,
                sub(net(std::slice::from_ref(s)), was, "deal")?,
                "deal",
            )?;
        }
        let b = net(before);
        let a = add(b, change, "deal")?;
        total = add(total, change, "deal")?;
        let currency = after
            .first()
            .or(before.first())
            .map(|s| s.currency.clone())
            .unwrap_or_default();
        let scale = ctx
            .req
            .plans
            .iter()
            .find(|pl| pl.currency == currency)
            .map(|pl| pl.rounding.scale)
            .unwrap_or(2);
        payees.push(PayeeChange {
            payee: Text::from(ctx.req.inputs.payees[p].id.as_str()),
            currency,
            before: fmt_scaled(b, scale),
            after: fmt_scaled(a, scale),
            change: fmt_scaled(change, scale),
        });
        for s in &after {
            let old = before
                .iter()
                .find(|x| x.period == s.period && x.plan == s.plan);
            for l in &s.lines {
                let prior =
                    old.and_then(|o| o.lines.iter().find(|x| x.kind == l.kind && x.id == l.id));
                let was = prior
                    .map(|x| x.amount.parse::<Decimal>().unwrap_or_default())
                    .unwrap_or_default();
                let now = l.amount.parse::<Decimal>().unwrap_or_default();
                if was == now {
                    continue;
                }
                lines.push(LineChange {
                    payee: s.payee.clone(),
                    period: s.period.clone(),
                    kind: l.kind,
                    id: l.id.clone(),
                    before: fmt_scaled(was, scale),
                    after: l.amount.clone(),
                    change: fmt_scaled(sub(now, was, "deal")?, scale),
                    explanation: l.explanation.clone(),
                    trace: l.trace.clone(),
                });
            }
            if let Some(o) = old {
                for l in &o.lines {
                    if !s.lines.iter().any(|x| x.kind == l.kind && x.id == l.id) {
                        let was = l.amount.parse::<Decimal>().unwrap_or_default();
                        if was.is_zero() {
                            continue;
                        }
                        lines.push(LineChange {
                            payee: s.payee.clone(),
                            period: s.period.clone(),
                            kind: l.kind,
                            id: l.id.clone(),
                            before: l.amount.clone(),
                            after: fmt_scaled(Decimal::ZERO, scale),
                            change: fmt_scaled(-was, scale),
                            explanation: format!("{} no longer applies.", l.name),
                            trace: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    let scale = ctx.req.plans.first().map(|p| p.rounding.scale).unwrap_or(2);
    Ok(Estimate {
        engine: crate::ENGINE_VERSION,
        deal: Text::from(extra.txn.id.as_str()),
        change: fmt_scaled(total, scale),
        payees,
        lines,
    })
}
