//! Line memo for what-if runs. The run without the deal records what each component line was
//! computed from; the run with the deal recomputes only the lines whose inputs changed and
//! keeps the amount of the others. A what-if reports only lines whose amount changes, so a
//! kept line is never shown and needs no explanation of its own.

use crate::error::Result;
use crate::payee_run::{CompLine, PlanRun};
use crate::plan::Cumulative;
use crate::statement::{Line, Text};
use rust_decimal::Decimal;

/// Everything a component line's amount depends on that a deal can change: the measure in
/// scope and its number of credits, each gate's measure, and what was paid earlier to date.
/// (Quotas, targets and the plan do not depend on deals.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineInputs {
    value: Decimal,
    credits: usize,
    gates: Vec<Decimal>,
    paid_to_date: Decimal,
}

/// Per component and period: the inputs and the amount (and its text) of a line of the run
/// without the deal.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    lines: Vec<Vec<Option<(LineInputs, Kept)>>>,
}

/// A kept line's amount and its text (the line's `amount`, not formatted again).
pub(crate) type Kept = (Decimal, Text);

/// What `lifecycle::build` does with component lines.
#[derive(Clone, Copy)]
pub(crate) enum LineMemo<'a> {
    /// Compute every line.
    Off,
    /// Compute every line and record its inputs (into `PayeeResult::memos`).
    Record,
    /// Keep the amount of lines whose inputs are unchanged since the recorded run.
    Reuse(&'a Memo),
}

impl Memo {
    pub fn new(components: usize, periods: usize) -> Memo {
        Memo {
            lines: vec![vec![None; periods]; components],
        }
    }

    pub fn set(&mut self, ci: usize, k: usize, inputs: LineInputs, line: &CompLine) {
        if let Some(slot) = self.lines.get_mut(ci).and_then(|row| row.get_mut(k)) {
            *slot = Some((inputs, (line.amount, line.line.amount.clone())));
        }
    }

    /// The recorded amount of a line.
    pub fn amount(&self, ci: usize, k: usize) -> Option<&Kept> {
        self.lines.get(ci)?.get(k)?.as_ref().map(|(_, kept)| kept)
    }

    /// The recorded amount when the line's inputs are unchanged.
    pub fn unchanged(&self, ci: usize, k: usize, inputs: &LineInputs) -> Option<&Kept> {
        match self.lines.get(ci)?.get(k)? {
            Some((was, kept)) if was == inputs => Some(kept),
            _ => None,
        }
    }
}

impl PlanRun<'_> {
    /// The inputs of component `ci`'s line in period `k`, given what was paid before.
    pub fn line_inputs(&self, ci: usize, k: usize, paid: &[Vec<Decimal>]) -> Result<LineInputs> {
        let c = &self.plan.components[ci];
        let mi = self.plan.measure_index(&c.measure).unwrap_or(0);
        let months = self.scope(c, k);
        let gates = c
            .gates
            .iter()
            .map(|g| {
                let gmi = self.plan.measure_index(&g.measure).unwrap_or(0);
                self.value_over(gmi, months.clone())
            })
            .collect::<Result<Vec<_>>>()?;
        let paid_to_date = if c.cumulative == Cumulative::None {
            Decimal::ZERO
        } else {
            let first_k = self.cal.period_of_month(months.start);
            crate::decimal::sum((first_k..k).map(|kk| paid[ci][kk]), "to date")?
        };
        Ok(LineInputs {
            value: self.value_over(mi, months.clone())?,
            credits: self.credits_over(mi, months),
            gates,
            paid_to_date,
        })
    }

    /// A kept line: its amount only (it is not shown, see the module documentation), with the
    /// amount's text as recorded (`Text::default()` where no one reads the line).
    pub fn kept_line(&self, ci: usize, (amount, text): Kept) -> CompLine {
        let c = &self.plan.components[ci];
        CompLine {
            amount,
            line: Line {
                kind: "component",
                id: Text::from(c.id.as_str()),
                name: Text::default(),
                measure: None,
                quota: None,
                attainment: None,
                amount: text,
                explanation: String::new(),
                trace: Vec::new(),
            },
        }
    }
}
