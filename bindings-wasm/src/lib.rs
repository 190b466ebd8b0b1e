//! # payplan-wasm
//!
//! payplan's engine for browsers, web workers and Node, through wasm-bindgen.
//!
//! This crate holds no business rule: it turns JavaScript values into the JSON text the
//! core reads, calls the core, and turns the core's JSON text (or its error) back into
//! JavaScript values. Decimals cross as strings; a JS `number` is read through its
//! shortest round-trip text (`String(x)`), or rejected when the caller asks for
//! `{ strict: true }`; a `bigint` is read exactly; an object with `toJSON()` (decimal.js,
//! big.js…) is read through it.

use js_sys::{Array, Object, Reflect, JSON};
use payplan_core::{Error, Problem};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A decimal: a string such as "1234.50" (exact), a bigint (exact), or a number
 *  (read through String(x); rejected with `{ strict: true }`). */
export type DecimalInput = string | bigint | number;

/** A transaction (a deal): see docs/inputs-and-output.md. */
export interface Transaction {
  id: string;
  date: string;
  amount: DecimalInput;
  kind?: string;
  currency?: string;
  owner?: string;
  splits?: { payee: string; share: DecimalInput }[];
  quantity?: DecimalInput;
  reference?: string | null;
  attributes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A table given as CSV text instead of a list of objects. */
export interface CsvTable { csv: string; name?: string }

/** A request: a plan (or plans) and the inputs of a run. */
export interface Request {
  plan?: Record<string, unknown>;
  plans?: Record<string, unknown>[];
  inputs?: {
    payees?: Record<string, unknown>[] | CsvTable;
    assignments?: Record<string, unknown>[] | CsvTable;
    transactions?: Transaction[] | CsvTable;
    quotas?: Record<string, unknown>[] | CsvTable;
    fx_rates?: Record<string, unknown>[] | CsvTable;
    payments?: Record<string, unknown>[] | CsvTable;
    adjustments?: Record<string, unknown>[] | CsvTable;
    [table: string]: unknown;
  };
  options?: Record<string, unknown>;
}

export interface Options {
  /** Reject JS numbers that are not safe integers instead of reading them through String(x). */
  strict?: boolean;
}

export interface TraceStep { step: string; detail: string; value: string | null; [key: string]: unknown }

export interface StatementLine {
  kind: string; id: string; name?: string;
  measure: string | null; quota: string | null; attainment: string | null;
  amount: string; explanation: string; trace: TraceStep[];
  [key: string]: unknown;
}

export interface Statement {
  payee: string; period: string; plan: string; currency: string;
  lines: StatementLine[]; earned: string; net_payable: string;
  [key: string]: unknown;
}

/** The canonical output of a run (decimals as strings). */
export interface Output {
  engine: string; fingerprint: string; statements: Statement[];
  totals: Record<string, string>;
  warnings: { code: string; path: string; message: string }[];
  [key: string]: unknown;
}

/** The change a hypothetical deal makes. */
export interface Estimate {
  engine: string; deal: string; change: string;
  payees: { payee: string; before: string; after: string; change: string }[];
  lines: { payee: string; period: string; kind: string; id: string; before: string; after: string;
           change: string; explanation: string; trace: TraceStep[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface Problem { code: string; path: string; message: string }

/** Every error payplan throws is an `Error` with these fields; its `name` follows the
 *  category, as the Node binding's error classes do. */
export interface PayplanError extends Error {
  name: "PlanError" | "InputError" | "CalculationError";
  code: string;
  category: "plan" | "input" | "calculation";
  path: string;
  problems: Problem[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `{ strict?: boolean }`
    #[wasm_bindgen(typescript_type = "Options")]
    pub type OptionsArg;
}

// Codes of errors found in the JS value itself, before the core sees it (the same codes
// as the Node and Python bindings use).
/// A JS number that is not a safe integer, given with `{ strict: true }`.
pub const FLOAT_CODE: &str = "float_input";
/// NaN or ±Infinity.
pub const NON_FINITE_CODE: &str = "non_finite_number";
/// A function, symbol, Date, Map… where a JSON value belongs.
pub const TYPE_CODE: &str = "unsupported_type";

fn input_error(code: &'static str, path: &str, what: String) -> Error {
    Error::InvalidInput {
        problems: vec![Problem::new(code, path, what)],
    }
}

/// The JS class name of an error's category, as in the Node binding.
fn class_name(category: &str) -> &'static str {
    match category {
        "plan" => "PlanError",
        "calculation" => "CalculationError",
        _ => "InputError",
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object or Error cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A core error as a thrown JS `Error` with `.code`, `.category`, `.path`, `.problems`.
fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(class_name(e.category()));
    let v: JsValue = err.into();
    set(&v, "code", &JsValue::from_str(e.code()));
    set(&v, "category", &JsValue::from_str(e.category()));
    set(&v, "path", &JsValue::from_str(e.path()));
    let problems = Array::new();
    for p in e.problems() {
        let o: JsValue = Object::new().into();
        set(&o, "code", &JsValue::from_str(p.code));
        set(&o, "path", &JsValue::from_str(&p.path));
        set(&o, "message", &JsValue::from_str(&p.message));
        problems.push(&o);
    }
    set(&v, "problems", &problems);
    v
}

struct Conv {
    strict: bool,
}

fn is_strict(options: &JsValue) -> bool {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str("strict"))
            .map(|v| v.is_truthy())
            .unwrap_or(false)
    } else {
        false
    }
}

fn push_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn quote(out: &mut String, s: &str) {
    // serde_json's string escaping; writing a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

impl Conv {
    /// Write `v` as JSON text into `out`. `path` names it in errors.
    fn write(&self, v: &JsValue, path: &str, out: &mut String, depth: u32) -> Result<(), Error> {
        if depth > 128 {
            return Err(input_error(
                TYPE_CODE,
                path,
                "nested more than 128 levels deep (a circular reference?)".into(),
            ));
        }
        if v.is_null() || v.is_undefined() {
            out.push_str("null");
        } else if let Some(b) = v.as_bool() {
            out.push_str(if b { "true" } else { "false" });
        } else if let Some(s) = v.as_string() {
            quote(out, s.as_str());
        } else if let Some(x) = v.as_f64() {
            // The number's text comes from JS (String(x)); Rust's float formatting is
            // never linked in.
            let text: String = js_sys::Number::from(x)
                .to_string_with_radix(10)
                .map(String::from)
                .unwrap_or_default();
            if !x.is_finite() {
                return Err(input_error(
                    NON_FINITE_CODE,
                    path,
                    format!("expected a finite number, found {text}"),
                ));
            }
            if self.strict && !js_sys::Number::is_safe_integer(v) {
                let what = if x.fract() == 0.0 {
                    format!("the number {text} is beyond Number.MAX_SAFE_INTEGER (not exact) and {{ strict: true }} is given; pass a string or a bigint")
                } else {
                    format!("binary float {text} given with {{ strict: true }}; pass a string such as \"{text}\" or a bigint")
                };
                return Err(input_error(FLOAT_CODE, path, what));
            }
            out.push_str(&text);
        } else if v.is_bigint() {
            let b: &js_sys::BigInt = v.unchecked_ref();
            let text: String = b.to_string(10).map(String::from).unwrap_or_default();
            out.push_str(&text);
        } else if Array::is_array(v) {
            let arr: &Array = v.unchecked_ref();
            out.push('[');
            for i in 0..arr.length() {
                if i > 0 {
                    out.push(',');
                }
                self.write(&arr.get(i), &format!("{path}[{i}]"), out, depth + 1)?;
            }
            out.push(']');
        } else if v.is_instance_of::<js_sys::Date>() {
            return Err(input_error(
                TYPE_CODE,
                path,
                "a Date object is ambiguous (time zones); pass the calendar date as 'YYYY-MM-DD'"
                    .into(),
            ));
        } else if v.is_function() || v.is_symbol() {
            return Err(input_error(
                TYPE_CODE,
                path,
                "a function or symbol cannot be part of a request".into(),
            ));
        } else if v.is_instance_of::<js_sys::Map>()
            || v.is_instance_of::<js_sys::Set>()
            || v.is_instance_of::<js_sys::ArrayBuffer>()
            || js_sys::ArrayBuffer::is_view(v)
        {
            return Err(input_error(
                TYPE_CODE,
                path,
                "a Map, Set or binary buffer cannot be part of a request; use plain objects and arrays".into(),
            ));
        } else if v.is_object() {
            let to_json =
                Reflect::get(v, &JsValue::from_str("toJSON")).unwrap_or(JsValue::UNDEFINED);
            if to_json.is_function() {
                let f: &js_sys::Function = to_json.unchecked_ref();
                let inner = f
                    .call0(v)
                    .map_err(|_| input_error(TYPE_CODE, path, "its toJSON() threw".into()))?;
                return self.write(&inner, path, out, depth + 1);
            }
            let obj: &Object = v.unchecked_ref();
            let keys = Object::keys(obj);
            out.push('{');
            let mut first = true;
            for i in 0..keys.length() {
                let key = keys.get(i).as_string().unwrap_or_default();
                let val = Reflect::get(v, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
                // Like JSON.stringify: an undefined or function member is left out.
                if val.is_undefined() || val.is_function() {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                quote(out, &key);
                out.push(':');
                self.write(&val, &push_key(path, &key), out, depth + 1)?;
            }
            out.push('}');
        } else {
            return Err(input_error(TYPE_CODE, path, "not a JSON value".into()));
        }
        Ok(())
    }
}

/// JSON text of a request, deal or plan given as a JS value. A string is taken as JSON
/// text as it is (exact); anything else is converted by the float rule.
fn json_text(v: &JsValue, path: &str, strict: bool) -> Result<String, Error> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if !v.is_object() || Array::is_array(v) {
        let what = match path {
            "" => "a request (or plan) must be an object or JSON text",
            _ => "a deal must be a transaction object or JSON text",
        };
        return Err(input_error(TYPE_CODE, path, what.into()));
    }
    let mut out = String::new();
    Conv { strict }.write(v, path, &mut out, 0)?;
    Ok(out)
}

fn parse(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}

fn throw<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| js_error(&e))
}

/// Run a request (an object, or JSON text); returns the canonical output as an object
/// (decimals as strings).
#[wasm_bindgen(unchecked_return_type = "Output")]
pub fn calculate(
    #[wasm_bindgen(unchecked_param_type = "Request | string")] request: JsValue,
    options: Option<OptionsArg>,
) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let text = throw(json_text(&request, "", is_strict(&options)))?;
    parse(&throw(payplan_core::run_json(&text))?)
}

/// Run a request given as JSON text; returns the canonical output JSON text (the same bytes
/// as every other payplan binding).
#[wasm_bindgen(js_name = calculateJson)]
pub fn calculate_json(request: &str) -> Result<String, JsValue> {
    throw(payplan_core::run_json(request))
}

/// What-if: the change one hypothetical deal makes to a request's run.
#[wasm_bindgen(unchecked_return_type = "Estimate")]
pub fn estimate(
    #[wasm_bindgen(unchecked_param_type = "Request | string")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Transaction | string")] deal: JsValue,
    options: Option<OptionsArg>,
) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let request = throw(json_text(&request, "", is_strict(&options)))?;
    let deal = throw(json_text(&deal, "deal", is_strict(&options)))?;
    parse(&throw(payplan_core::estimate_json(&request, &deal))?)
}

/// What-if on JSON texts; returns the estimate's JSON text.
#[wasm_bindgen(js_name = estimateJson)]
pub fn estimate_json(request: &str, deal: &str) -> Result<String, JsValue> {
    throw(payplan_core::estimate_json(request, deal))
}

/// Validate a plan (an object or JSON text); returns the canonical plan as an object.
/// Every problem found is listed in the thrown error's `.problems`.
#[wasm_bindgen(js_name = parsePlan, unchecked_return_type = "Record<string, unknown>")]
pub fn parse_plan(
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | string")] plan: JsValue,
    options: Option<OptionsArg>,
) -> Result<JsValue, JsValue> {
    let options: JsValue = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let text = throw(json_text(&plan, "", is_strict(&options)))?;
    parse(&throw(payplan_core::validate_plan_json(&text))?)
}

/// Validate a plan given as JSON text; returns the canonical plan JSON text.
#[wasm_bindgen(js_name = validatePlanJson)]
pub fn validate_plan_json(plan: &str) -> Result<String, JsValue> {
    throw(payplan_core::validate_plan_json(plan))
}

/// The payout of one component as a function of attainment, sampled by the engine:
/// `[{attainment, payout}, …]` (strings). `from`, `to`, `step` are decimal strings.
#[wasm_bindgen(js_name = payoutCurve, unchecked_return_type = "{ attainment: string; payout: string }[]")]
pub fn payout_curve(
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | string")] plan: JsValue,
    component: &str,
    #[wasm_bindgen(unchecked_param_type = "DecimalInput")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecimalInput")] to: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecimalInput")] step: JsValue,
) -> Result<JsValue, JsValue> {
    let plan = throw(json_text(&plan, "", false))?;
    let dec = |v: &JsValue, name: &str| -> Result<String, JsValue> {
        if let Some(s) = v.as_string() {
            return Ok(s);
        }
        let mut out = String::new();
        throw(Conv { strict: false }.write(v, name, &mut out, 0))?;
        Ok(out)
    };
    let (from, to, step) = (dec(&from, "from")?, dec(&to, "to")?, dec(&step, "step")?);
    parse(&throw(payplan_core::payout_curve_json(
        &plan, component, &from, &to, &step,
    ))?)
}

/// The engine's name and version, as written into every run.
#[wasm_bindgen]
pub fn version() -> String {
    payplan_core::ENGINE_VERSION.to_string()
}

/// A request prepared once (parsed, validated, credited) to answer many what-if questions
/// fast: `new Estimator(request).estimate(deal)`. Call `free()` when done with it.
#[wasm_bindgen]
pub struct Estimator {
    engine: payplan_core::Engine,
    strict: bool,
}

#[wasm_bindgen]
impl Estimator {
    /// Prepare a request (an object, or JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Request | string")] request: JsValue,
        options: Option<OptionsArg>,
    ) -> Result<Estimator, JsValue> {
        let options: JsValue = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let text = throw(json_text(&request, "", is_strict(&options)))?;
        let engine = throw(payplan_core::Engine::from_json(&text))?;
        Ok(Estimator {
            engine,
            strict: is_strict(&options),
        })
    }

    /// The change one hypothetical deal (an object, or JSON text) makes.
    #[wasm_bindgen(unchecked_return_type = "Estimate")]
    pub fn estimate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Transaction | string")] deal: JsValue,
    ) -> Result<JsValue, JsValue> {
        let deal = throw(json_text(&deal, "deal", self.strict))?;
        parse(&throw(self.engine.estimate_json(&deal))?)
    }

    /// What-if on a deal's JSON text; returns the estimate's JSON text.
    #[wasm_bindgen(js_name = estimateJson)]
    pub fn estimate_json(&self, deal: &str) -> Result<String, JsValue> {
        throw(self.engine.estimate_json(deal))
    }

    /// The full run of the prepared request, as an object.
    #[wasm_bindgen(unchecked_return_type = "Output")]
    pub fn run(&self) -> Result<JsValue, JsValue> {
        parse(&throw(self.engine.run_json())?)
    }

    /// The full run of the prepared request, as canonical JSON text.
    #[wasm_bindgen(js_name = runJson)]
    pub fn run_json(&self) -> Result<String, JsValue> {
        throw(self.engine.run_json())
    }
}
