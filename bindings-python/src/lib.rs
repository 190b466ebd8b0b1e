//! `payplan._payplan`: the native layer of the Python package.
//!
//! Conversion and error mapping only. Every function takes and returns text (the core's
//! text API), runs the core with the GIL released, and maps a core [`Error`] to one of
//! the exception classes below. The Python layer (`python/payplan/`) turns native
//! Python values into request text and output text into Python objects.

use std::sync::atomic::{AtomicUsize, Ordering};

use payplan_core::{Engine as CoreEngine, Error};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

create_exception!(
    payplan,
    PayplanError,
    PyException,
    "Base class of every payplan error: `.code`, `.category`, `.path`, `.problems`, `.json`."
);
create_exception!(
    payplan,
    PlanError,
    PayplanError,
    "The plan is invalid (category `plan`)."
);
create_exception!(
    payplan,
    InputError,
    PayplanError,
    "A request or input table is invalid (category `input`)."
);
create_exception!(
    payplan,
    CalculationError,
    PayplanError,
    "The calculation cannot be carried out (category `calculation`)."
);

/// Build the Python exception of a core error, with its fields as attributes.
fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    let message = err.to_string();
    let pyerr = match err.category() {
        "plan" => PlanError::new_err(message),
        "input" => InputError::new_err(message),
        "calculation" => CalculationError::new_err(message),
        _ => PayplanError::new_err(message),
    };
    if let Err(e) = fill(py, &pyerr, err) {
        return e;
    }
    pyerr
}

fn fill(py: Python<'_>, pyerr: &PyErr, err: &Error) -> PyResult<()> {
    let value = pyerr.value(py);
    value.setattr("code", err.code())?;
    value.setattr("category", err.category())?;
    value.setattr("path", err.path())?;
    let problems = PyList::empty(py);
    for p in err.problems() {
        let d = PyDict::new(py);
        d.set_item("code", p.code)?;
        d.set_item("path", &p.path)?;
        d.set_item("message", &p.message)?;
        problems.append(d)?;
    }
    value.setattr("problems", problems)?;
    value.setattr("json", err.to_json())?;
    Ok(())
}

// A probe of how many threads are inside the core at once (GIL released). Tests read it
// to show that two Python threads really run the engine at the same time.
static INSIDE: AtomicUsize = AtomicUsize::new(0);
static MAX_INSIDE: AtomicUsize = AtomicUsize::new(0);

struct Inside;
impl Inside {
    fn enter() -> Inside {
        let now = INSIDE.fetch_add(1, Ordering::SeqCst) + 1;
        MAX_INSIDE.fetch_max(now, Ordering::SeqCst);
        Inside
    }
}
impl Drop for Inside {
    fn drop(&mut self) {
        INSIDE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Run `f` without the GIL and map its error.
fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    let out = py.detach(move || {
        let _inside = Inside::enter();
        f()
    });
    out.map_err(|e| to_py_err(py, &e))
}

/// Canonical output JSON of a run of `request` (JSON text).
#[pyfunction]
fn run_json(py: Python<'_>, request: String) -> PyResult<String> {
    detached(py, move || payplan_core::run_json(&request))
}

/// What-if: the change when `deal` (one transaction, JSON text) is added to `request`.
#[pyfunction]
fn estimate_json(py: Python<'_>, request: String, deal: String) -> PyResult<String> {
    detached(py, move || payplan_core::estimate_json(&request, &deal))
}

/// Validate a plan (JSON text); returns its canonical JSON.
#[pyfunction]
fn validate_plan_json(py: Python<'_>, plan: String) -> PyResult<String> {
    detached(py, move || payplan_core::validate_plan_json(&plan))
}

/// YAML text (a plan or a request) to JSON text, every number's digits kept.
#[pyfunction]
fn yaml_to_json(py: Python<'_>, text: String) -> PyResult<String> {
    detached(py, move || payplan_core::yaml_to_json(&text))
}

/// One component's payout as a function of attainment, sampled by the engine.
#[pyfunction]
#[pyo3(signature = (plan, component, start, stop, step))]
fn payout_curve_json(
    py: Python<'_>,
    plan: String,
    component: String,
    start: String,
    stop: String,
    step: String,
) -> PyResult<String> {
    detached(py, move || {
        payplan_core::payout_curve_json(&plan, &component, &start, &stop, &step)
    })
}

/// A request prepared once, then run or asked what-if questions many times.
#[pyclass(frozen, module = "payplan._payplan")]
struct Engine {
    inner: CoreEngine,
}

#[pymethods]
impl Engine {
    #[new]
    fn new(py: Python<'_>, request: String) -> PyResult<Engine> {
        let inner = detached(py, move || CoreEngine::from_json_text(request))?;
        Ok(Engine { inner })
    }

    /// Canonical output JSON of the full run.
    fn run_json(&self, py: Python<'_>) -> PyResult<String> {
        let inner = &self.inner;
        detached(py, move || inner.run_json())
    }

    /// What-if for one deal (JSON text of a transaction).
    fn estimate_json(&self, py: Python<'_>, deal: String) -> PyResult<String> {
        let inner = &self.inner;
        detached(py, move || inner.estimate_json(&deal))
    }
}

/// JSON string literal (quoted, escaped) of UTF-8 text given as `str` or `bytes`; used to
/// embed large CSV tables in a request without a Python-side pass over the text.
#[pyfunction]
fn _json_string(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
    let bytes: Vec<u8> = if let Ok(b) = text.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else {
        text.extract::<String>()?.into_bytes()
    };
    let out = py.detach(move || {
        std::str::from_utf8(&bytes)
            .map(quote_json)
            .map_err(|e| e.valid_up_to())
    });
    out.map_err(|at| {
        to_py_err(
            py,
            &Error::Syntax {
                path: String::new(),
                message: format!("invalid UTF-8 at byte {at}"),
            },
        )
    })
}

fn quote_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 2);
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", b)),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
    out
}

/// Test probe: (threads inside the core now, the most at once since the last reset).
#[pyfunction]
fn _concurrency(reset: bool) -> (usize, usize) {
    let now = INSIDE.load(Ordering::SeqCst);
    let max = if reset {
        MAX_INSIDE.swap(now, Ordering::SeqCst)
    } else {
        MAX_INSIDE.load(Ordering::SeqCst)
    };
    (now, max)
}

#[pymodule]
fn _payplan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PayplanError", py.get_type::<PayplanError>())?;
    m.add("PlanError", py.get_type::<PlanError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("CalculationError", py.get_type::<CalculationError>())?;
    m.add_function(wrap_pyfunction!(run_json, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_plan_json, m)?)?;
    m.add_function(wrap_pyfunction!(yaml_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(payout_curve_json, m)?)?;
    m.add_function(wrap_pyfunction!(_concurrency, m)?)?;
    m.add_function(wrap_pyfunction!(_json_string, m)?)?;
    m.add_class::<Engine>()?;
    Ok(())
}
