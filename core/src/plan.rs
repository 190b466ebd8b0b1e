//! The plan model (`payplan: 1`): calendar, rounding, measures, quotas, components and the
//! payout lifecycle. One serde model, read from JSON or YAML. See `docs/plan-format.md`.

use crate::calendar::Calendar;
use crate::decimal::{Dec, RoundingMode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A compensation plan.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Format version; must be 1.
    pub payplan: u32,
    /// Identifier referenced by assignments.
    pub id: String,
    /// Readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Plan currency (ISO code); transactions in other currencies are converted.
    pub currency: String,
    pub calendar: Calendar,
    #[serde(default)]
    pub rounding: Rounding,
    /// Default tier-boundary policy of rate tables.
    #[serde(default)]
    pub tier_boundary: Boundary,
    #[serde(default)]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub quotas: Vec<QuotaRule>,
    #[serde(default)]
    pub components: Vec<Component>,
    /// Cap on the sum of component lines per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Dec>,
    /// Floor on the sum of component lines per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<Draw>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback: Option<Clawback>,
    #[serde(default)]
    pub payout_timing: PayoutTiming,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holdback: Option<Holdback>,
    /// Written terms, rendered in the plan document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
}

/// Declared rounding.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimals of money in the output (0..=10).
    #[serde(default = "two")]
    pub scale: u32,
    #[serde(default)]
    pub mode: RoundingMode,
    /// Where rounding is applied.
    #[serde(default)]
    pub at: RoundAt,
}

/// Where rounding happens.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundAt {
    /// Once per statement line (default).
    #[default]
    Line,
    /// On each transaction's share before summing.
    Transaction,
}

/// Which tier a value exactly on a boundary belongs to.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// The boundary value belongs to the upper tier (default).
    #[default]
    Upper,
    /// The boundary value belongs to the lower tier.
    Lower,
}

/// A number per payee and period computed from credits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Transaction kinds counted (default: booking).
    #[serde(default = "booking")]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub aggregate: Aggregate,
    /// `amount` (default), `quantity`, or an attribute holding a decimal.
    #[serde(default = "amount")]
    pub field: String,
    /// Whose credits count.
    #[serde(default)]
    pub credit: CreditScope,
    /// Attribute → accepted value or values; every entry must match.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filter: BTreeMap<String, OneOrMany>,
}

/// One value or a list of values.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// Whether `v` is accepted.
    pub fn accepts(&self, v: &str) -> bool {
        match self {
            OneOrMany::One(x) => x == v,
            OneOrMany::Many(xs) => xs.iter().any(|x| x == v),
        }
    }
}

/// How a measure aggregates its credits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    #[default]
    Sum,
    Count,
}

/// Whose credits a measure counts.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditScope {
    /// The payee's own credits (owner or split share).
    #[default]
    Own,
    /// Credits of the payee's direct reports.
    DirectReports,
    /// Credits of everyone under the payee, at any depth.
    AllReports,
    /// Own credits plus everyone under the payee.
    OwnAndReports,
}

/// A plan-level quota rule for a measure.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaRule {
    pub measure: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_period: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_month: Option<Dec>,
    /// Share of quota by month of tenure (the hire month is month 1), then 100 %.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ramp: Vec<Dec>,
    /// Prorate partial months by calendar days (hire, termination, leave).
    #[serde(default = "yes")]
    pub prorate: bool,
}

/// One part of a plan.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub measure: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Dec>,
    #[serde(default)]
    pub cumulative: Cumulative,
    #[serde(default)]
    pub over_payment: OverPayment,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<RoundAt>,
    pub mechanism: Mechanism,
}

/// Cumulative computation of a component.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cumulative {
    /// Each period on its own.
    #[default]
    None,
    /// Quarter-to-date: pay earned-to-date minus paid-to-date within the quarter.
    Quarter,
    /// Year-to-date: pay earned-to-date minus paid-to-date within the fiscal year.
    Year,
}

/// What happens when paid-to-date exceeds earned-to-date.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverPayment {
    /// Carry it and recover it from later earnings (default).
    #[default]
    Carry,
    /// Pay it back at once (a negative line).
    Reclaim,
}

/// A condition on a measure that must hold for a component to pay.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub measure: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_attainment: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Dec>,
}

/// Kinds of payout mechanism.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MechanismKind {
    /// measure × `rate`.
    Rate,
    /// A table of `tiers`.
    RateTable,
    /// A payout curve: share of target incentive by attainment (`points`).
    Curve,
    /// measure × `amount` per unit.
    PerUnit,
    /// A fixed `amount` once `min_attainment` or `min_value` is reached.
    Bonus,
}

/// How a component turns its measure into money. Which fields apply depends on `type`
/// (see docs/plan-format.md); the validator reports missing and misplaced ones.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mechanism {
    #[serde(rename = "type")]
    pub kind: MechanismKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<TierMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Per>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Boundary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<CurvePoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<Above>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_payout: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_attainment: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Dec>,
}

/// What tier thresholds are expressed in.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Shares of quota (1.2 = 120 %).
    #[default]
    Attainment,
    /// Amounts of the measure.
    Value,
}

/// How tiers combine.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierMethod {
    /// Each slice at its own tier's rate.
    #[default]
    Marginal,
    /// The reached tier's rate on everything.
    Retroactive,
    /// The rate interpolated linearly between tier starts, on everything.
    Interpolated,
}

/// Whether a table applies to the period's total or to each transaction.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    #[default]
    Period,
    Transaction,
}

/// One tier of a rate table.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub from: Dec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Dec>,
    pub rate: Dec,
}

/// One point of a payout curve.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvePoint {
    pub attainment: Dec,
    pub payout: Dec,
}

/// A curve beyond its last point.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Above {
    /// Hold the last point's payout.
    #[default]
    Hold,
    /// Extend the last segment's slope.
    Extend,
}

/// A draw against future commissions, per payout period.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    pub amount: Dec,
    #[serde(default)]
    pub kind: DrawKind,
}

/// Kinds of draw.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawKind {
    /// Advanced and recovered from later earnings above the draw.
    #[default]
    Recoverable,
    /// A guarantee: never recovered.
    NonRecoverable,
}

/// Reversal of commission on cancelled deals.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clawback {
    pub window_days: u32,
    #[serde(default)]
    pub recovery: Recovery,
    #[serde(default)]
    pub reduces_attainment: bool,
}

/// How much of a clawed-back commission is recovered.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    #[default]
    Full,
    /// By the unexpired share of the window.
    Prorated,
}

/// When a deal's credit is earned.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutTiming {
    #[default]
    Booking,
    /// When an `invoice` transaction references the deal.
    Invoice,
    /// When a `payment` transaction references the deal.
    Cash,
}

/// A share of commission held until the customer pays.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holdback {
    pub share: Dec,
    #[serde(default)]
    pub release: Release,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_days: Option<u32>,
}

/// What releases a holdback.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// A `payment` transaction referencing the deal.
    #[default]
    Payment,
    /// Only `after_days`.
    Time,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            scale: 2,
            mode: RoundingMode::default(),
            at: RoundAt::default(),
        }
    }
}

fn two() -> u32 {
    2
}
fn yes() -> bool {
    true
}
fn booking() -> Vec<String> {
    vec!["booking".to_string()]
}
fn amount() -> String {
    "amount".to_string()
}

impl Plan {
    /// Readable name of a component.
    pub fn component_name(c: &Component) -> &str {
        c.name.as_deref().unwrap_or(&c.id)
    }

    /// Index of a measure by id.
    pub fn measure_index(&self, id: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.id == id)
    }
}

impl Mechanism {
    /// Whether this mechanism needs a quota (attainment).
    pub fn needs_quota(&self) -> bool {
        match self.kind {
            MechanismKind::Rate | MechanismKind::PerUnit => false,
            MechanismKind::RateTable => self.basis.unwrap_or_default() == Basis::Attainment,
            MechanismKind::Curve => true,
            MechanismKind::Bonus => self.min_attainment.is_some(),
        }
    }
}
