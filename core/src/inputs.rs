//! The request model: plans, input tables and options, with where each row came from
//! (so every error can name `inputs.transactions[3].amount` or `transactions.csv row 5, column amount`).

use crate::date::{Date, RowDate};
use crate::decimal::Dec;
use crate::plan::Plan;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

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

/// A free attribute value (text; numbers keep their digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Attr(pub Word);

impl<'de> Deserialize<'de> for Attr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Attr, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Attr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, number or boolean attribute value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Attr, E> {
                Ok(Attr(v.into()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Attr, E> {
                Ok(Attr(v.into()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Attr, E> {
                Ok(Attr(if v { "true" } else { "false" }.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Attr, E> {
                Ok(Attr(v.to_string().into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Attr, E> {
                Ok(Attr(v.to_string().into()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Attr, A::Error> {
                let k: Option<String> = m.next_key()?;
                match k {
                    Some(_) => Ok(Attr(m.next_value::<Word>()?)),
                    None => Err(de::Error::custom("expected a scalar attribute value")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Free attributes of a payee or transaction: a small map kept sorted by name (read and
/// written as a JSON object in name order, like a `BTreeMap`, at a fraction of its memory —
/// a million transactions with one attribute each hold 500 MB less).
///
/// ```
/// use payplan_core::inputs::{Attr, Attributes};
/// let mut a = Attributes::new();
/// a.insert("segment".into(), Attr("mid".into()));
/// a.insert("product".into(), Attr("cloud".into()));
/// assert_eq!(a.get("product").map(|v| v.0.as_str()), Some("cloud"));
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"product":"cloud","segment":"mid"}"#);
/// ```
///
/// One attribute is held inline (a CSV with one attribute column gives every row one): no
/// allocation, 16 bytes. More are held in a boxed slice of exactly their number (a growing
/// list would hold room for four), behind one more pointer. The size-budgeted WebAssembly
/// build always boxes them.
#[derive(Clone, Default)]
pub struct Attributes(Pairs);

/// One pair inline, or none or more behind one thin pointer: 16 bytes (the tag sits in the
/// niche of the first pair's name).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
enum Pairs {
    One([(Word, Attr); 1]),
    More(Option<Box<Many>>),
}

/// Two or more pairs (boxed once more, so that `Pairs::More` is one thin pointer).
#[cfg(not(target_arch = "wasm32"))]
type Many = Box<[(Word, Attr)]>;

#[cfg(not(target_arch = "wasm32"))]
impl Default for Pairs {
    fn default() -> Pairs {
        Pairs::More(None)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Pairs {
    /// The pairs of `list` (sorted, unique names), held by their number.
    fn of(mut list: Vec<(Word, Attr)>) -> Pairs {
        match list.len() {
            0 => Pairs::default(),
            1 => match list.pop() {
                Some(pair) => Pairs::One([pair]),
                None => Pairs::default(),
            },
            _ => Pairs::More(Some(Box::new(list.into_boxed_slice()))),
        }
    }

    fn one(pair: (Word, Attr)) -> Pairs {
        Pairs::One([pair])
    }

    fn as_slice(&self) -> &[(Word, Attr)] {
        match self {
            Pairs::One(one) => one,
            Pairs::More(None) => &[],
            Pairs::More(Some(many)) => many,
        }
    }

    fn into_vec(self) -> Vec<(Word, Attr)> {
        match self {
            Pairs::One(one) => one.into(),
            Pairs::More(None) => Vec::new(),
            Pairs::More(Some(many)) => many.into_vec(),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [(Word, Attr)] {
        match self {
            Pairs::One(one) => one,
            Pairs::More(None) => &mut [],
            Pairs::More(Some(many)) => many,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Attributes {
    /// The names and values, to share their text (their order is kept).
    pub(crate) fn words_mut(&mut self) -> impl Iterator<Item = (&mut Word, &mut Word)> {
        self.0.as_mut_slice().iter_mut().map(|(k, v)| (k, &mut v.0))
    }
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone, Default)]
struct Pairs(Box<[(Word, Attr)]>);

#[cfg(target_arch = "wasm32")]
impl Pairs {
    fn of(list: Vec<(Word, Attr)>) -> Pairs {
        Pairs(list.into_boxed_slice())
    }

    fn one(pair: (Word, Attr)) -> Pairs {
        Pairs(Box::new([pair]))
    }

    fn as_slice(&self) -> &[(Word, Attr)] {
        &self.0
    }

    fn into_vec(self) -> Vec<(Word, Attr)> {
        self.0.into_vec()
    }
}

/// Equal when the same names hold the same values.
impl PartialEq for Attributes {
    fn eq(&self, other: &Attributes) -> bool {
        self.0.as_slice() == other.0.as_slice()
    }
}

impl Eq for Attributes {}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Attributes")
            .field(&self.0.as_slice())
            .finish()
    }
}

impl Attributes {
    pub fn new() -> Attributes {
        Attributes::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.as_slice().is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.as_slice().len()
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Attr> {
        let pairs = self.0.as_slice();
        pairs
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &pairs[i].1)
    }

    /// Set attribute `name`; returns the value it replaces.
    pub fn insert(&mut self, name: Word, value: Attr) -> Option<Attr> {
        let mut pairs = std::mem::take(&mut self.0).into_vec();
        let old = put(&mut pairs, name, value);
        self.0 = Pairs::of(pairs);
        old
    }

    /// The attributes in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&Word, &Attr)> {
        self.0.as_slice().iter().map(|(k, v)| (k, v))
    }
}

/// Set `name` in `pairs`, kept sorted by name; returns the value it replaces.
fn put(pairs: &mut Vec<(Word, Attr)>, name: Word, value: Attr) -> Option<Attr> {
    match pairs.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(i) => Some(std::mem::replace(&mut pairs[i].1, value)),
        Err(i) => {
            pairs.insert(i, (name, value));
            None
        }
    }
}

/// A repeated name keeps its last value, as in a map.
impl FromIterator<(Word, Attr)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (Word, Attr)>>(pairs: I) -> Attributes {
        let mut pairs = pairs.into_iter();
        let Some(first) = pairs.next() else {
            return Attributes::default();
        };
        let Some(second) = pairs.next() else {
            return Attributes(Pairs::one(first));
        };
        // Room for the most there can be (a CSV row's attribute columns): one allocation.
        let mut kept = Vec::with_capacity(pairs.size_hint().1.unwrap_or(0).min(14) + 2);
        for (name, value) in [first, second].into_iter().chain(pairs) {
            put(&mut kept, name, value);
        }
        Attributes(Pairs::of(kept))
    }
}

impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.as_slice().iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Attributes, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of attributes")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Attributes, A::Error> {
                // A repeated name keeps its last value, as in a map.
                let mut pairs = Vec::new();
                while let Some((k, v)) = m.next_entry::<Word, Attr>()? {
                    put(&mut pairs, k, v);
                }
                Ok(Attributes(Pairs::of(pairs)))
            }
        }
        d.deserialize_map(V)
    }
}

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

#[cfg(not(target_arch = "wasm32"))]
mod thin_splits;
#[cfg(not(target_arch = "wasm32"))]
pub use thin_splits::ThinSplits;

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
mod tests;
