//! Node binding of payplan (napi-rs).
//!
//! This layer only moves text across the boundary and maps errors: every function takes
//! JSON (or YAML) text, calls `payplan_core`, and returns the core's text unchanged. The
//! JavaScript layer (`index.js`) turns JS values into request JSON and back.
//!
//! Each operation is one [`Job`]; the plain functions (`runJson`, `estimateJson`…) run it on
//! the calling thread and the `…Async` ones hand the *same* job to libuv's thread pool (napi
//! `AsyncTask`), so the sync and async paths cannot drift apart.
//!
//! Errors: a core error is thrown as a JS `Error` whose message is the core's canonical
//! error JSON (`Error::to_json()`, which carries every field); `index.js` turns it into a
//! `PayplanError` with `.code`, `.category`, `.path`, `.problems`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;
use payplan_core as core;

/// One unit of work on the core. Every entry point, sync or async, goes through
/// [`Job::execute`].
enum Job {
    Run {
        request: String,
    },
    Estimate {
        request: String,
        deal: String,
    },
    Prepare {
        request: String,
    },
    EngineRun {
        engine: Arc<core::Engine>,
    },
    EngineEstimate {
        engine: Arc<core::Engine>,
        deal: String,
    },
}

enum Done {
    Text(String),
    Engine(Arc<core::Engine>),
}

impl Job {
    fn execute(&self) -> Result<Done> {
        // The core promises not to panic on any input; if it ever does, the rep sees an
        // error, not a crashed CRM process.
        let out = catch_unwind(AssertUnwindSafe(|| match self {
            Job::Run { request } => core::run_json(request).map(Done::Text),
            Job::Estimate { request, deal } => core::estimate_json(request, deal).map(Done::Text),
            Job::Prepare { request } => {
                core::Engine::from_json(request).map(|e| Done::Engine(Arc::new(e)))
            }
            Job::EngineRun { engine } => engine.run_json().map(Done::Text),
            Job::EngineEstimate { engine, deal } => engine.estimate_json(deal).map(Done::Text),
        }));
        match out {
            Ok(Ok(done)) => Ok(done),
            Ok(Err(err)) => Err(core_error(&err)),
            Err(panic) => Err(internal_error(panic)),
        }
    }

    fn text(&self) -> Result<String> {
        match self.execute()? {
            Done::Text(text) => Ok(text),
            Done::Engine(_) => Err(Error::new(Status::GenericFailure, "payplan: expected text")),
        }
    }

    fn engine(&self) -> Result<NativeEngine> {
        match self.execute()? {
            Done::Engine(engine) => Ok(NativeEngine { engine }),
            Done::Text(_) => Err(Error::new(
                Status::GenericFailure,
                "payplan: expected an engine",
            )),
        }
    }
}

/// A core error as a JS error whose message is the canonical error JSON (`index.js`
/// recognises it by its leading `{` and its `code`/`category` fields).
fn core_error(err: &core::Error) -> Error {
    Error::new(Status::InvalidArg, err.to_json())
}

fn internal_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::new(
        Status::GenericFailure,
        format!("payplan: internal error in the engine (please report): {what}"),
    )
}

/// A [`Job`] on libuv's thread pool.
pub struct JobTask(Job);

impl Task for JobTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        self.0.text()
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// Preparing an engine on libuv's thread pool.
pub struct PrepareTask(Job);

impl Task for PrepareTask {
    type Output = NativeEngine;
    type JsValue = NativeEngine;

    fn compute(&mut self) -> Result<NativeEngine> {
        self.0.engine()
    }

    fn resolve(&mut self, _env: Env, output: NativeEngine) -> Result<NativeEngine> {
        Ok(output)
    }
}

/// Engine name and version written into every run, e.g. `payplan-core 0.1.0`.
#[napi]
pub fn engine_version() -> String {
    core::ENGINE_VERSION.to_string()
}

/// The canonical output JSON of a run on a request given as JSON text.
#[napi]
pub fn run_json(request: String) -> Result<String> {
    Job::Run { request }.text()
}

/// `runJson` on libuv's thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn run_json_async(request: String) -> AsyncTask<JobTask> {
    AsyncTask::new(JobTask(Job::Run { request }))
}

/// What-if: the change a hypothetical deal (transaction JSON) makes to a request's run.
#[napi]
pub fn estimate_json(request: String, deal: String) -> Result<String> {
    Job::Estimate { request, deal }.text()
}

/// `estimateJson` on libuv's thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn estimate_json_async(request: String, deal: String) -> AsyncTask<JobTask> {
    AsyncTask::new(JobTask(Job::Estimate { request, deal }))
}

/// Validate a plan given as JSON text; returns its canonical JSON.
#[napi]
pub fn validate_plan_json(plan: String) -> Result<String> {
    core::validate_plan_json(&plan).map_err(|e| core_error(&e))
}

/// YAML text (a plan or a whole request) to JSON text, keeping every number's digits.
#[napi]
pub fn yaml_to_json(text: String) -> Result<String> {
    core::yaml_to_json(&text).map_err(|e| core_error(&e))
}

/// The payout of one component sampled over attainment, as JSON
/// `[{"attainment": "…", "payout": "…"}, …]`; `from`, `to`, `step` are decimal strings.
#[napi]
pub fn payout_curve_json(
    plan: String,
    component: String,
    from: String,
    to: String,
    step: String,
) -> Result<String> {
    core::payout_curve_json(&plan, &component, &from, &to, &step).map_err(|e| core_error(&e))
}

/// Prepare an engine on libuv's thread pool.
#[napi(ts_return_type = "Promise<NativeEngine>")]
pub fn prepare_engine_async(request: String) -> AsyncTask<PrepareTask> {
    AsyncTask::new(PrepareTask(Job::Prepare { request }))
}

/// A request prepared once (parsed, validated, credited) for many runs and what-ifs.
#[napi]
pub struct NativeEngine {
    engine: Arc<core::Engine>,
}

#[napi]
impl NativeEngine {
    /// Prepare a request given as JSON text.
    #[napi(constructor)]
    pub fn new(request: String) -> Result<NativeEngine> {
        Job::Prepare { request }.engine()
    }

    /// The canonical output JSON of the full run.
    #[napi]
    pub fn run_json(&self) -> Result<String> {
        Job::EngineRun {
            engine: self.engine.clone(),
        }
        .text()
    }

    /// `runJson` on libuv's thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn run_json_async(&self) -> AsyncTask<JobTask> {
        AsyncTask::new(JobTask(Job::EngineRun {
            engine: self.engine.clone(),
        }))
    }

    /// What-if for one deal (transaction JSON text) against the prepared request.
    #[napi]
    pub fn estimate_json(&self, deal: String) -> Result<String> {
        Job::EngineEstimate {
            engine: self.engine.clone(),
            deal,
        }
        .text()
    }

    /// `estimateJson` on libuv's thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn estimate_json_async(&self, deal: String) -> AsyncTask<JobTask> {
        AsyncTask::new(JobTask(Job::EngineEstimate {
            engine: self.engine.clone(),
            deal,
        }))
    }
}
