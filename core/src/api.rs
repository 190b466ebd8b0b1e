//! Text-in, text-out entry points shared by the CLI and every binding.

use crate::error::{Error, Result};

fn todo() -> Error {
    Error::Syntax { path: String::new(), message: "engine not built yet".into() }
}

/// A request prepared once (parsed, validated, credited), then run or asked what-if
/// questions as often as needed.
pub struct Engine {
    _private: (),
}

impl Engine {
    /// Parse and validate a request (see `docs/inputs-and-output.md`).
    pub fn from_json(_request: &str) -> Result<Engine> {
        Err(todo())
    }

    /// The canonical output JSON of the full run.
    pub fn run_json(&self) -> Result<String> {
        Err(todo())
    }

    /// What-if: the run's change when `deal_json` (one transaction object) is added.
    pub fn estimate_json(&self, _deal_json: &str) -> Result<String> {
        Err(todo())
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
pub fn validate_plan_json(_plan: &str) -> Result<String> {
    Err(todo())
}

/// Convert YAML text (a plan or a whole request) to JSON text, keeping every number's
/// digits exactly (no float conversion). Feature `yaml`.
#[cfg(feature = "yaml")]
pub fn yaml_to_json(_yaml: &str) -> Result<String> {
    Err(todo())
}

/// The payout of one component as a function of attainment, sampled by the engine itself
/// (for plots): JSON `[{"attainment": "0.50", "payout": "0.25"}, …]` where `payout` is the
/// share of target incentive (curves, bonuses) or the effective rate (rates and tables).
/// `from`, `to`, `step` are decimal strings.
pub fn payout_curve_json(_plan: &str, _component: &str, _from: &str, _to: &str, _step: &str) -> Result<String> {
    Err(todo())
}
