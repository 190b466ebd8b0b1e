//! Reading a request from JSON text: shape errors carry the exact path
//! (`plans[0].components[1].mechanism.tiers[2].rate`), tables may be JSON lists or CSV text.

use crate::error::{Error, Problem, Result};
use crate::inputs::{Inputs, Options, Origin, Request};
use crate::plan::Plan;
use crate::tables;
use crate::tables::CsvRow;
use serde::{de, Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;

/// A table given as a JSON list or as CSV text.
pub(crate) enum Table<T> {
    Rows(Vec<T>),
    Csv { csv: String, name: Option<String> },
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table::Rows(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for V<T> {
            type Value = Table<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of rows or {\"csv\": text, \"name\": file}")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Table<T>, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(row) = seq.next_element()? {
                    rows.push(row);
                }
                Ok(Table::Rows(rows))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Table<T>, A::Error> {
                let mut csv = None;
                let mut name = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "csv" => csv = Some(map.next_value::<String>()?),
                        "name" => name = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["csv", "name"]));
                        }
                    }
                }
                let csv = csv.ok_or_else(|| de::Error::missing_field("csv"))?;
                Ok(Table::Csv { csv, name })
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawInputs {
    #[serde(default)]
    payees: Table<crate::inputs::Payee>,
    #[serde(default)]
    assignments: Table<crate::inputs::Assignment>,
    #[serde(default)]
    transactions: Table<crate::inputs::Transaction>,
    #[serde(default)]
    quotas: Table<crate::inputs::QuotaRow>,
    #[serde(default)]
    fx_rates: Table<crate::inputs::FxRate>,
    #[serde(default)]
    payments: Table<crate::inputs::Payment>,
    #[serde(default)]
    adjustments: Table<crate::inputs::Adjustment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    #[serde(default)]
    plan: Option<Plan>,
    #[serde(default)]
    plans: Vec<Plan>,
    #[serde(default)]
    inputs: RawInputs,
    #[serde(default)]
    options: Options,
}

/// Code of a deserialization message (our own visitors prefix theirs).
fn classify(message: &str) -> &'static str {
    for code in ["invalid_decimal", "invalid_date", "overflow"] {
        if message.starts_with(code) {
            return code;
        }
    }
    if message.starts_with("unknown field") {
        "unknown_field"
    } else if message.starts_with("missing field") {
        "missing_field"
    } else if message.starts_with("unknown variant") {
        "unknown_variant"
    } else {
        "syntax"
    }
}

/// Strip serde_json's " at line L column C" and our code prefix.
fn clean(message: &str) -> String {
    let m = match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    };
    for code in ["invalid_decimal: ", "invalid_date: ", "overflow: "] {
        if let Some(rest) = m.strip_prefix(code) {
            return rest.to_string();
        }
    }
    m.to_string()
}

/// A shape error at `path` as an [`Error`].
pub(crate) fn shape_error(path: String, message: &str) -> Error {
    let code = classify(message);
    let text = clean(message);
    let problem = Problem::new(code, path.clone(), text.clone());
    if code == "syntax" && path.is_empty() {
        Error::Syntax {
            path,
            message: text,
        }
    } else if path.starts_with("plan") {
        Error::InvalidPlan {
            problems: vec![problem],
        }
    } else {
        Error::InvalidInput {
            problems: vec![problem],
        }
    }
}

fn from_path_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return Error::Syntax {
            path: String::new(),
            message: format!("malformed JSON: {inner}"),
        };
    }
    shape_error(path, &inner.to_string())
}

fn rows<T: CsvRow>(table: Table<T>) -> Result<Vec<T>> {
    match table {
        Table::Rows(mut rows) => {
            #[cfg(not(target_arch = "wasm32"))]
            let mut words = tables::Words::default();
            let table = crate::inputs::Label::from(T::TABLE);
            for (index, r) in rows.iter_mut().enumerate() {
                // (A `Label` is a `&'static str` in the WebAssembly build.)
                #[cfg_attr(target_arch = "wasm32", allow(noop_method_call))]
                r.set_origin(Origin::Json {
                    table: table.clone(),
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                });
                #[cfg(not(target_arch = "wasm32"))]
                r.share_words(&mut words);
            }
            Ok(rows)
        }
        Table::Csv { csv, name } => {
            let name = name.unwrap_or_else(|| format!("{}.csv", T::TABLE));
            tables::read_csv::<T>(&csv, &name)
        }
    }
}

/// Native builds parse fast without path tracking and parse again to find the path only on an
/// error; the WebAssembly build keeps one (path-tracking) parser to stay small.
#[cfg(not(target_arch = "wasm32"))]
fn deserialize_request(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    text: &str,
) -> Result<RawRequest> {
    match RawRequest::deserialize(de) {
        Ok(raw) => Ok(raw),
        Err(_) => {
            let mut again = serde_json::Deserializer::from_str(text);
            Err(
                match serde_path_to_error::deserialize::<_, RawRequest>(&mut again) {
                    Err(e) => from_path_error(e),
                    Ok(_) => Error::Syntax {
                        path: String::new(),
                        message: "malformed request".into(),
                    },
                },
            )
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn deserialize_request(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    _text: &str,
) -> Result<RawRequest> {
    serde_path_to_error::deserialize(de).map_err(from_path_error)
}

/// Parse a request from JSON text.
pub fn parse_request(text: &str) -> Result<Request> {
    read_tables(parse_json(text)?)
}

/// Parse a request, dropping its text once the JSON is read (before the CSV tables are).
pub(crate) fn parse_request_text(text: String) -> Result<Request> {
    let raw = parse_json(&text)?;
    drop(text);
    read_tables(raw)
}

/// The request's JSON: plans, options, and tables still as JSON rows or CSV text. The parser
/// (and the scratch buffer it unescaped long strings into) is dropped on return.
fn parse_json(text: &str) -> Result<RawRequest> {
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = deserialize_request(&mut de, text)?;
    de.end().map_err(|e| Error::Syntax {
        path: String::new(),
        message: format!("malformed JSON: {e}"),
    })?;
    Ok(raw)
}

/// The request with every table read into rows.
fn read_tables(raw: RawRequest) -> Result<Request> {
    let mut plans = raw.plans;
    let mut single = false;
    if let Some(p) = raw.plan {
        if !plans.is_empty() {
            return Err(Error::input(
                "conflict",
                "plan",
                "give either `plan` or `plans`, not both",
            ));
        }
        plans.push(p);
        single = true;
    }
    let i = raw.inputs;
    let inputs = Inputs {
        payees: rows(i.payees)?,
        assignments: rows(i.assignments)?,
        transactions: rows(i.transactions)?,
        quotas: rows(i.quotas)?,
        fx_rates: rows(i.fx_rates)?,
        payments: rows(i.payments)?,
        adjustments: rows(i.adjustments)?,
    };
    Ok(Request {
        plans,
        inputs,
        options: raw.options,
        single_plan_key: single,
    })
}

/// Parse one plan from JSON text (paths are relative to the plan).
pub fn parse_plan(text: &str) -> Result<Plan> {
    let mut de = serde_json::Deserializer::from_str(text);
    let plan: Plan = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return Error::Syntax {
                path: String::new(),
                message: format!("malformed JSON: {inner}"),
            };
        }
        let msg = inner.to_string();
        Error::InvalidPlan {
            problems: vec![Problem::new(classify(&msg), path, clean(&msg))],
        }
    })?;
    de.end().map_err(|e| Error::Syntax {
        path: String::new(),
        message: format!("malformed JSON: {e}"),
    })?;
    Ok(plan)
}
