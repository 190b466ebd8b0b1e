//! The output model: runs, statements, lines and traces, serialised canonically
//! (fixed key order, decimals as strings at the plan's scale).

use serde::Serialize;

/// One step that produced a number: what, with which inputs, and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: &'static str,
    pub detail: String,
    pub value: String,
}

/// One statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// `component`, `plan_cap`, `clawback`, `holdback`, `holdback_release`, `adjustment`,
    /// `true_up`, `draw`, `draw_recovery`.
    pub kind: &'static str,
    /// Component id, deal id, adjustment id…
    pub id: String,
    pub name: String,
    pub measure: Option<String>,
    pub quota: Option<String>,
    pub attainment: Option<String>,
    pub amount: String,
    pub explanation: String,
    pub trace: Vec<Step>,
}

/// Per payee and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub payee: String,
    pub period: String,
    pub plan: String,
    pub currency: String,
    /// `open` or `closed` (a closed statement is what was paid and never changes).
    pub status: &'static str,
    pub lines: Vec<Line>,
    /// Sum of component and plan-cap lines.
    pub earned: String,
    /// Sum of all lines.
    pub total: String,
    /// Already paid for this open period (`inputs.payments`).
    pub prior_paid: String,
    /// total − prior_paid.
    pub net_payable: String,
    /// Outstanding recoverable draw after this period, where the plan has a draw.
    pub draw_balance: Option<String>,
}

/// Totals per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub currency: String,
    pub earned: String,
    pub adjustments: String,
    pub total: String,
    pub net_payable: String,
    /// Discretionary (adjustment) pay as a share of total pay.
    pub discretionary_share: String,
}

/// An over- or under-payment and the line that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub payee: String,
    pub period: String,
    pub component: String,
    pub calculated: String,
    pub paid: String,
    /// calculated − paid: positive = under-paid, negative = over-paid.
    pub difference: String,
    /// `under_paid` or `over_paid`.
    pub status: &'static str,
    /// Period whose `true_up` line (or to-date line) settles the difference.
    pub fixed_in: Option<String>,
}

/// Something worth knowing that did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub engine: &'static str,
    pub fingerprint: String,
    pub statements: Vec<Statement>,
    pub totals: Vec<Totals>,
    pub reconciliation: Vec<Reconciliation>,
    pub warnings: Vec<Warning>,
}

/// Canonical JSON text (two-space indent, trailing newline).
pub fn to_canonical_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
