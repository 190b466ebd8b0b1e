//! The request model: plans, input tables and options, with where each row came from
//! (so every error can name `inputs.transactions[3].amount` or `transactions.csv row 5, column amount`).

use crate::date::{Date, RowDate};
use crate::decimal::Dec;
use crate::plan::Plan;
use serde::{de, Deserialize, Serialize};

/// Where a row came from (16 bytes natively: positions past 4 billion read as 4294967295).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// Row `index` of a JSON list `inputs.<table>`.
    #[default]
    None,
    Json {
        table: Label,
        index: u32,
    },
    /// Line `row` (1 = header) of a CSV file.
    Csv {
        name: Shared,
        row: u32,
    },
    /// A single named value, such as the what-if `deal`.
    Named(Label),
}

/// A table's or a value's name in an [`Origin`]: natively a [`Shared`] name (8 bytes), in the
/// size-budgeted WebAssembly build the `&'static str`.
#[cfg(not(target_arch = "wasm32"))]
pub type Label = Shared;
/// A table's or a value's name in an [`Origin`] (the WebAssembly build: `&'static str`).
#[cfg(target_arch = "wasm32")]
pub type Label = &'static str;

/// A name many rows point to (a table's, a file's): natively 8 bytes (`arcstr::ArcStr`), an
/// `Arc<str>` in the WebAssembly build.
#[cfg(not(target_arch = "wasm32"))]
pub type Shared = arcstr::ArcStr;
/// A name many rows point to (the WebAssembly build: `Arc<str>`).
#[cfg(target_arch = "wasm32")]
pub type Shared = std::sync::Arc<str>;

impl Origin {
    /// Path of the row itself.
    pub fn row(&self) -> String {
        match self {
            Origin::None => String::new(),
            Origin::Json { table, index } => format!("inputs.{table}[{index}]"),
            Origin::Csv { name, row } => format!("{name} row {row}"),
            Origin::Named(name) => name.to_string(),
        }
    }

    /// Path of one field of the row.
    pub fn field(&self, field: &str) -> String {
        match self {
            Origin::None => field.to_string(),
            Origin::Json { table, index } => format!("inputs.{table}[{index}].{field}"),
            Origin::Csv { name, row } => format!("{name} row {row}, column {field}"),
            Origin::Named(name) => format!("{name}.{field}"),
        }
    }
}

/// Text of an input row that is its own (ids, names, plans): held inline up to
/// 24 bytes, so a million transactions allocate nothing per field. The size-budgeted
/// WebAssembly build uses `String`; both read, compare and serialise the same.
#[cfg(not(target_arch = "wasm32"))]
pub type Text = compact_str::CompactString;
/// Text of an input row (the WebAssembly build keeps `String` for its size budget).
#[cfg(target_arch = "wasm32")]
pub type Text = String;

/// Repeated text of an input row (kinds, currencies, owners, split payees, references,
/// attribute names and values; quota payees, measures and periods): 8 bytes, and the CSV reader
/// shares one copy of each value among the rows it reads, so a million transactions hold a few
/// thousand copies of their 10,000 owners instead of a million. The WebAssembly build keeps
/// `String`; both read, compare and serialise the same.
#[cfg(not(target_arch = "wasm32"))]
pub type Word = arcstr::ArcStr;
/// Repeated text of an input row (the WebAssembly build keeps `String` for its size budget).
#[cfg(target_arch = "wasm32")]
pub type Word = String;

pub use crate::attributes::{Attr, Attributes};

/// A person paid by a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payee {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hire_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaves: Vec<Leave>,
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    #[serde(skip)]
    pub origin: Origin,
}

/// A leave of absence (both days included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leave {
    pub from: Date,
    pub to: Date,
}

/// Payee → plan, effective from/to, with the annual target incentive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub payee: String,
    pub plan: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_incentive: Option<Dec>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A credited share of a transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub payee: Word,
    pub share: Dec,
}

/// A business event that can earn credit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    pub id: Text,
    #[serde(default = "booking")]
    pub kind: Word,
    pub date: RowDate,
    #[serde(default)]
    pub amount: Dec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Word>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Word>,
    #[serde(default, skip_serializing_if = "no_splits")]
    pub splits: Splits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Dec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Word>,
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    #[serde(skip)]
    pub origin: Origin,
}

/// The shares of a split deal: natively [`ThinSplits`] (8 bytes, nothing allocated when
/// empty), in the size-budgeted WebAssembly build a `Vec`.
#[cfg(not(target_arch = "wasm32"))]
pub type Splits = ThinSplits;

/// A split deal's shares behind one thin pointer (8 bytes; none: no allocation), read as a
/// slice and written as a JSON list.
///
/// ```
/// use payplan_core::inputs::{Split, ThinSplits};
/// let s: ThinSplits = serde_json::from_str(r#"[{"payee": "A", "share": "1"}]"#).unwrap();
/// assert_eq!((s.len(), s[0].payee.as_str()), (1, "A"));
/// assert!(ThinSplits::default().is_empty());
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"[{"payee":"A","share":"1"}]"#);
/// ```
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThinSplits(Option<Box<Box<[Split]>>>);

#[cfg(not(target_arch = "wasm32"))]
impl From<Vec<Split>> for ThinSplits {
    fn from(list: Vec<Split>) -> ThinSplits {
        ThinSplits((!list.is_empty()).then(|| Box::new(list.into_boxed_slice())))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::ops::Deref for ThinSplits {
    type Target = [Split];
    fn deref(&self) -> &[Split] {
        self.0.as_deref().map_or(&[], |s| s)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::ops::DerefMut for ThinSplits {
    fn deref_mut(&mut self) -> &mut [Split] {
        self.0.as_deref_mut().map_or(&mut [], |s| s)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Serialize for ThinSplits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for ThinSplits {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ThinSplits, D::Error> {
        Vec::<Split>::deserialize(d).map(ThinSplits::from)
    }
}
/// The shares of a split deal (the WebAssembly build: a `Vec`).
#[cfg(target_arch = "wasm32")]
pub type Splits = Vec<Split>;

fn no_splits(splits: &Splits) -> bool {
    splits.is_empty()
}

fn booking() -> Word {
    "booking".into()
}

/// A quota for one payee, measure and period (overrides the plan's rule).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaRow {
    pub payee: Word,
    pub measure: Word,
    pub period: Word,
    pub amount: Dec,
    #[serde(skip)]
    pub origin: Origin,
}

/// An exchange rate, in force from `effective` until the next one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxRate {
    pub from: String,
    pub to: String,
    pub rate: Dec,
    pub effective: Date,
    #[serde(skip)]
    pub origin: Origin,
}

/// What was actually paid (as exported from payroll).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub payee: String,
    pub period: String,
    /// Component id, or a line kind such as `draw`; absent = the statement as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub amount: Dec,
    /// The period was closed with this payment.
    #[serde(default)]
    pub closed: bool,
    #[serde(skip)]
    pub origin: Origin,
}

/// A manual statement line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub payee: String,
    pub period: String,
    pub amount: Dec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// Run options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Periods up to and including this label are closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_through: Option<String>,
}

/// All input tables of a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inputs {
    pub payees: Vec<Payee>,
    pub assignments: Vec<Assignment>,
    pub transactions: Vec<Transaction>,
    pub quotas: Vec<QuotaRow>,
    pub fx_rates: Vec<FxRate>,
    pub payments: Vec<Payment>,
    pub adjustments: Vec<Adjustment>,
}

/// A whole request: plans, inputs, options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub plans: Vec<Plan>,
    pub inputs: Inputs,
    pub options: Options,
    /// The plan came under the `plan` key (paths then read `plan.…`, else `plans[i].…`).
    #[serde(skip)]
    pub single_plan_key: bool,
}

/// A row type that remembers its origin.
pub trait Row: de::DeserializeOwned {
    /// Table name in `inputs`.
    const TABLE: &'static str;
    /// Whether unknown CSV columns become `attributes`.
    const HAS_ATTRIBUTES: bool = false;
    fn set_origin(&mut self, origin: Origin);
}

macro_rules! rows {
    ($($t:ty => $name:literal $(, $attrs:literal)?;)*) => {$(
        impl Row for $t {
            const TABLE: &'static str = $name;
            $(const HAS_ATTRIBUTES: bool = $attrs;)?
            fn set_origin(&mut self, origin: Origin) { self.origin = origin; }
        }
    )*};
}

rows! {
    Payee => "payees", true;
    Assignment => "assignments";
    Transaction => "transactions", true;
    QuotaRow => "quotas";
    FxRate => "fx_rates";
    Payment => "payments";
    Adjustment => "adjustments";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One attribute is held inline: a native `Attributes` is one pair of words (its tag in
    /// their niche), and a transaction row (repeated text in words, a thin pointer to its
    /// splits, a 4-byte date, a 16-byte origin) holds 136 bytes, where it held 264 with inline
    /// text (a million rows: 128 MB less).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn one_attribute_is_held_inline() {
        use std::mem::size_of;
        assert_eq!(size_of::<(Word, Attr)>(), 16);
        assert_eq!(size_of::<Attributes>(), 16);
        assert_eq!((size_of::<Word>(), size_of::<Option<Word>>()), (8, 8));
        assert_eq!(size_of::<Origin>(), 16);
        assert_eq!(size_of::<Transaction>(), 136);
        assert_eq!(size_of::<QuotaRow>(), 56);
    }
}
