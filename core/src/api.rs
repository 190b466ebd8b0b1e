//! Text-in, text-out entry points shared by the CLI and every binding.

use crate::decimal::{div, fmt_full, parse_decimal};
use crate::engine::Ctx;
use crate::error::{Error, Problem, Result};
use crate::mechanism::{evaluate, MechInput};
use crate::plan::MechanismKind;
use crate::request::{parse_plan, parse_request};
use crate::statement::to_canonical_json;
use rust_decimal::Decimal;

/// A request prepared once (parsed, validated, credited), then run or asked what-if
/// questions as often as needed.
///
/// ```
/// # let request = r#"{"plan": {"payplan": 1, "id": "p", "currency": "EUR",
/// #   "calendar": {"year": 2027, "period": "month"}, "measures": [{"id": "b"}],
/// #   "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
/// #   "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}]}}"#;
/// let engine = payplan_core::Engine::from_json(request).unwrap();
/// let est = engine.estimate_json(r#"{"date": "2027-03-01", "amount": "1000", "owner": "A"}"#).unwrap();
/// assert!(est.contains("\"change\": \"100.00\""));
/// ```
pub struct Engine {
    ctx: Ctx,
    /// Each payee's statements without a what-if deal, filled on first use.
    before: Vec<std::sync::OnceLock<crate::whatif::Before>>,
}

impl Engine {
    /// Parse and validate a request (see `docs/inputs-and-output.md`).
    pub fn from_json(request: &str) -> Result<Engine> {
        Engine::prepare(parse_request(request)?)
    }

    /// [`Engine::from_json`] taking the text, which is dropped as soon as its JSON is read: the
    /// CSV tables, checks, credits and indexes are then built without it in memory (a
    /// 1M-transaction request is 70 MB of text).
    pub fn from_json_text(request: String) -> Result<Engine> {
        Engine::prepare(crate::request::parse_request_text(request)?)
    }

    fn prepare(req: crate::inputs::Request) -> Result<Engine> {
        let ctx = Ctx::prepare(req)?;
        let before = (0..ctx.req.inputs.payees.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(Engine { ctx, before })
    }

    /// The full run.
    pub fn run(&self) -> Result<crate::statement::Run> {
        crate::run::run(&self.ctx)
    }

    /// The canonical output JSON of the full run.
    pub fn run_json(&self) -> Result<String> {
        #[cfg(target_arch = "wasm32")]
        return Ok(to_canonical_json(&self.run()?));
        #[cfg(not(target_arch = "wasm32"))]
        let mut out = Vec::new();
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.write_run_json(&mut |bytes| out.extend_from_slice(bytes))?;
            match String::from_utf8(out) {
                Ok(text) => Ok(text),
                // Never taken: the writer copies whole strings and ASCII.
                Err(_) => Ok(crate::canonical::run_to_json(&self.run()?)),
            }
        }
    }

    /// The canonical output JSON of the full run (the bytes of [`Engine::run_json`]), handed
    /// to `sink` piece by piece so that neither the whole text nor every statement is held
    /// in memory: write it to a file or a socket as it comes. On an error nothing more is
    /// written and what was written is incomplete.
    ///
    /// ```
    /// # let request = r#"{"plan": {"payplan": 1, "id": "p", "currency": "EUR",
    /// #   "calendar": {"year": 2027, "period": "month"}, "measures": [{"id": "b"}],
    /// #   "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
    /// #   "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}]}}"#;
    /// let engine = payplan_core::Engine::from_json(request).unwrap();
    /// let mut bytes = Vec::new();
    /// engine.write_run_json(&mut |piece| bytes.extend_from_slice(piece)).unwrap();
    /// assert_eq!(String::from_utf8(bytes).unwrap(), engine.run_json().unwrap());
    /// ```
    pub fn write_run_json(&self, sink: &mut dyn FnMut(&[u8])) -> Result<()> {
        #[cfg(not(target_arch = "wasm32"))]
        return crate::run::write_run(&self.ctx, sink);
        // The WebAssembly build (single-threaded, size-budgeted) writes the run in one piece.
        #[cfg(target_arch = "wasm32")]
        {
            sink(self.run_json()?.as_bytes());
            Ok(())
        }
    }

    /// What-if: the change when `deal_json` (one transaction object) is added.
    pub fn estimate(&self, deal_json: &str) -> Result<crate::whatif::Estimate> {
        crate::whatif::estimate(&self.ctx, &self.before, deal_json)
    }

    /// What-if as canonical JSON.
    pub fn estimate_json(&self, deal_json: &str) -> Result<String> {
        let estimate = self.estimate(deal_json)?;
        #[cfg(not(target_arch = "wasm32"))]
        return Ok(crate::canonical::estimate_to_json(&estimate));
        #[cfg(target_arch = "wasm32")]
        Ok(to_canonical_json(&estimate))
    }

    /// Fingerprint of the canonical request.
    pub fn fingerprint(&self) -> &str {
        &self.ctx.fingerprint
    }
}

/// Run a request given as JSON text; returns the canonical output JSON.
pub fn run_json(request: &str) -> Result<String> {
    Engine::from_json(request)?.run_json()
}

/// What-if for one hypothetical deal against a request.
pub fn estimate_json(request: &str, deal_json: &str) -> Result<String> {
    Engine::from_json(request)?.estimate_json(deal_json)
}

/// Validate a plan given as JSON text; returns the plan's canonical JSON.
pub fn validate_plan_json(plan: &str) -> Result<String> {
    let plan = parse_plan(plan)?;
    let problems = crate::validate::plan_problems(&plan, "");
    if !problems.is_empty() {
        return Err(Error::InvalidPlan { problems });
    }
    Ok(to_canonical_json(&plan))
}

/// Convert YAML text (a plan or a whole request) to JSON text, keeping every number's
/// digits exactly (no float conversion). Feature `yaml`.
#[cfg(feature = "yaml")]
pub fn yaml_to_json(yaml: &str) -> Result<String> {
    crate::yaml::yaml_to_json(yaml)
}

/// The payout of one component as a function of attainment, sampled by the engine itself
/// (for plots): JSON `[{"attainment": "0.50", "payout": "0.25"}, …]` where `payout` is the
/// share of target incentive (curves), the bonus amount (bonuses) or the effective rate
/// (rates and tables, at a quota of 1). `from`, `to`, `step` are decimal strings.
pub fn payout_curve_json(
    plan: &str,
    component: &str,
    from: &str,
    to: &str,
    step: &str,
) -> Result<String> {
    let plan = parse_plan(plan)?;
    let problems = crate::validate::plan_problems(&plan, "");
    if !problems.is_empty() {
        return Err(Error::InvalidPlan { problems });
    }
    let c = plan
        .components
        .iter()
        .find(|c| c.id == component)
        .ok_or_else(|| Error::InvalidInput {
            problems: vec![Problem::new(
                "unknown_reference",
                "component",
                format!("unknown component {component:?}"),
            )],
        })?;
    let num = |name: &str, t: &str| {
        parse_decimal(t).map_err(|m| crate::request::shape_error(name.to_string(), &m))
    };
    let (from, to, step) = (num("from", from)?, num("to", to)?, num("step", step)?);
    if step <= Decimal::ZERO || to < from {
        return Err(Error::input(
            "invalid_value",
            "step",
            "expected step > 0 and to ≥ from",
        ));
    }
    if (to - from) / step > Decimal::from(10_000u64) {
        return Err(Error::input(
            "invalid_value",
            "step",
            "at most 10000 samples",
        ));
    }
    #[derive(serde::Serialize)]
    struct Point {
        attainment: String,
        payout: String,
    }
    let mut out = Vec::new();
    let mut att = from;
    while att <= to {
        let input = MechInput {
            value: att,
            quota: Some(Decimal::ONE),
            target: Decimal::ONE,
            items: &[],
            boundary: plan.tier_boundary,
            round_tx: None,
            scale: plan.rounding.scale,
            mode: plan.rounding.mode,
            path: "component",
            weight: Decimal::ONE,
            explain: false,
        };
        let amount = evaluate(&c.mechanism, &input)?.amount;
        let payout = match c.mechanism.kind {
            MechanismKind::Curve | MechanismKind::Bonus => amount,
            _ if att.is_zero() => Decimal::ZERO,
            _ => div(amount, att, "component")?,
        };
        let payout = match c.weight {
            Some(w) => payout.checked_mul(w.0).unwrap_or(payout),
            None => payout,
        };
        out.push(Point {
            attainment: fmt_full(att).into(),
            payout: fmt_full(payout).into(),
        });
        att = att
            .checked_add(step)
            .ok_or_else(|| Error::overflow("step", "attainment + step"))?;
    }
    Ok(to_canonical_json(&out))
}

/// The JSON Schema of the plan format (feature `schema`), as committed in
/// `docs/plan.schema.json` so editors can validate plan files.
#[cfg(feature = "schema")]
pub fn plan_schema_json() -> String {
    let schema = schemars::schema_for!(crate::plan::Plan);
    to_canonical_json(&schema)
}
