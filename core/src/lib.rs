//! # payplan-core
//!
//! The whole sales-compensation domain and a deterministic payout engine on exact
//! decimals. No I/O, no clocks, no floating point, no global state, no unsafe code.
//!
//! The stable entry points take and return text (JSON), so every binding hands the core
//! the same bytes and gets the same bytes back:
//!
//! ```
//! let request = r#"{
//!   "plan": {"payplan": 1, "id": "p", "currency": "EUR",
//!            "calendar": {"year": 2027, "period": "month"},
//!            "measures": [{"id": "bookings"}],
//!            "components": [{"id": "c", "measure": "bookings",
//!                            "mechanism": {"type": "rate", "rate": "0.05"}}]},
//!   "inputs": {"payees": [{"id": "A"}],
//!              "assignments": [{"payee": "A", "plan": "p"}],
//!              "transactions": [{"id": "T1", "date": "2027-01-05", "amount": "30.15", "owner": "A"}]}
//! }"#;
//! let out = payplan_core::run_json(request).unwrap();
//! assert!(out.contains("\"amount\": \"1.51\""));
//! ```
#![forbid(unsafe_code)]

/// `format!` into a [`inputs::Text`]: inline, without an allocation, up to 24 bytes on native
/// builds (a `String` in the WebAssembly build).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! format_text {
    ($($arg:tt)*) => { compact_str::format_compact!($($arg)*) };
}
#[cfg(target_arch = "wasm32")]
macro_rules! format_text {
    ($($arg:tt)*) => { format!($($arg)*) };
}

/// `format!` for trace and explanation texts (see `statement::explained`); plain `format!` in
/// the size-budgeted WebAssembly build, which explains one payee at a time.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! explain {
    ($($arg:tt)*) => { crate::statement::explained(format_args!($($arg)*)) };
}
#[cfg(target_arch = "wasm32")]
macro_rules! explain {
    ($($arg:tt)*) => { format!($($arg)*) };
}

pub mod api;
pub mod calendar;
// The hand-written output writer; the size-budgeted WebAssembly build writes through serde.
#[cfg(not(target_arch = "wasm32"))]
pub mod canonical;
mod component;
mod crediting;
#[cfg(not(target_arch = "wasm32"))]
mod csv_rows;
pub mod curve;
pub mod date;
pub mod decimal;
mod engine;
pub mod error;
mod events;
mod facts;
mod fingerprint;
mod fx;
pub mod inputs;
mod items;
mod ledger;
mod lifecycle;
mod mechanism;
mod memo;
mod order;
mod payee_run;
pub mod plan;
pub mod quota;
mod request;
mod rollup;
mod run;
pub mod statement;
mod tables;
pub mod tiers;
mod true_up;
pub mod validate;
mod whatif;
#[cfg(feature = "yaml")]
mod yaml;

#[cfg(feature = "schema")]
pub use api::plan_schema_json;
#[cfg(feature = "yaml")]
pub use api::yaml_to_json;
pub use api::{estimate_json, payout_curve_json, run_json, validate_plan_json, Engine};
pub use error::{Error, Problem, Result};
pub use whatif::Estimate;

/// Engine name and version, written into every run.
pub const ENGINE_VERSION: &str = concat!("payplan-core ", env!("CARGO_PKG_VERSION"));

/// A plan for unit tests: fiscal year 2027 by month, measure `measure`, one component paying
/// 10 % of it.
#[cfg(test)]
pub(crate) fn test_plan(measure: &str) -> serde_json::Value {
    serde_json::json!({"payplan": 1, "id": "p", "currency": "EUR",
        "calendar": {"year": 2027, "period": "month"}, "measures": [{"id": measure}],
        "components": [{"id": "c", "measure": measure,
                        "mechanism": {"type": "rate", "rate": "0.1"}}]})
}
