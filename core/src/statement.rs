//! The output model: runs, statements, lines and traces, serialised canonically
//! (fixed key order, decimals as strings at the plan's scale). Short texts (ids, periods,
//! amounts, a step's value) are [`Text`]: inline up to 24 bytes, so the hundreds of thousands
//! of lines of a large run do not allocate one string per field.

pub use crate::inputs::Text;
use serde::Serialize;

/// The text of a trace step or an explanation (the `explain!` macro): written into a string
/// with room for a typical one from the start. `format!` starts from a guess made from the
/// literal pieces — none at all for `"{} × {}"` — and grows the string two to four times.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn explained(args: std::fmt::Arguments<'_>) -> String {
    let mut text = String::with_capacity(96);
    // Writing into a String cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut text, args);
    text
}

/// One step that produced a number: what, with which inputs, and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: &'static str,
    pub detail: String,
    pub value: Text,
}

/// One statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// `component`, `plan_cap`, `clawback`, `holdback`, `holdback_release`, `adjustment`,
    /// `true_up`, `draw`, `draw_recovery`.
    pub kind: &'static str,
    /// Component id, deal id, adjustment id…
    pub id: Text,
    pub name: Text,
    pub measure: Option<Text>,
    pub quota: Option<Text>,
    pub attainment: Option<Text>,
    pub amount: Text,
    pub explanation: String,
    pub trace: Vec<Step>,
}

/// Per payee and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub payee: Text,
    pub period: Text,
    pub plan: Text,
    pub currency: Text,
    /// `open` or `closed` (a closed statement is what was paid and never changes).
    pub status: &'static str,
    pub lines: Vec<Line>,
    /// Sum of component and plan-cap lines.
    pub earned: Text,
    /// Sum of all lines.
    pub total: Text,
    /// Already paid for this open period (`inputs.payments`).
    pub prior_paid: Text,
    /// total − prior_paid.
    pub net_payable: Text,
    /// Outstanding recoverable draw after this period, where the plan has a draw.
    pub draw_balance: Option<Text>,
}

/// Totals per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub currency: Text,
    pub earned: Text,
    pub adjustments: Text,
    pub total: Text,
    pub net_payable: Text,
    /// Discretionary (adjustment) pay as a share of total pay.
    pub discretionary_share: Text,
}

/// An over- or under-payment and the line that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub payee: Text,
    pub period: Text,
    pub component: Text,
    pub calculated: Text,
    pub paid: Text,
    /// calculated − paid: positive = under-paid, negative = over-paid.
    pub difference: Text,
    /// `under_paid` or `over_paid`.
    pub status: &'static str,
    /// Period whose `true_up` line (or to-date line) settles the difference.
    pub fixed_in: Option<Text>,
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::explained;

    #[test]
    fn explained_writes_what_format_writes() {
        let long = "x".repeat(300);
        for (a, b) in [
            ("1", "0.5 %"),
            ("", ""),
            ("198648798.6438505", long.as_str()),
        ] {
            assert_eq!(explained(format_args!("{a} × {b}")), format!("{a} × {b}"));
        }
        assert_eq!(explained(format_args!("no arguments")), "no arguments");
    }
}
