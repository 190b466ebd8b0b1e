//! The one error type of payplan. Every variant names *where* the problem is (`path`),
//! and has a stable machine code (`code()`) shared by every binding.

use serde::Serialize;

/// One problem found while validating a plan or reading inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code, e.g. `tiers_out_of_order`.
    pub code: &'static str,
    /// Where: `components[1].mechanism.tiers[2].from`.
    pub path: String,
    /// What was expected and what was found, in words.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.code)
    }
}

/// Every error payplan returns. Nothing a user feeds in panics; it ends up here.
///
/// ```
/// let err = payplan_core::run_json("{").unwrap_err();
/// assert_eq!(err.code(), "syntax");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Text that is not well-formed JSON, YAML or CSV, or a value of the wrong shape.
    #[error("{path}: {message}")]
    Syntax { path: String, message: String },
    /// The plan has one or more problems; all of them are listed.
    #[error("invalid plan: {}", join(.problems))]
    InvalidPlan { problems: Vec<Problem> },
    /// Inputs (payees, transactions, quotas, rates…) have one or more problems.
    #[error("invalid input: {}", join(.problems))]
    InvalidInput { problems: Vec<Problem> },
    /// Split shares of a transaction that do not sum to exactly 1.
    #[error("{path}: split shares of transaction {transaction} sum to {sum}, expected exactly 1")]
    SplitShares {
        path: String,
        transaction: String,
        sum: String,
    },
    /// No exchange rate in force for a transaction's currency on its date.
    #[error("{path}: no {from}->{to} rate in force on {date}")]
    MissingFxRate {
        path: String,
        from: String,
        to: String,
        date: String,
    },
    /// A quota of zero where attainment is needed.
    #[error(
        "{path}: quota for {measure} of payee {payee} in {period} is zero; attainment is undefined"
    )]
    ZeroQuota {
        path: String,
        payee: String,
        measure: String,
        period: String,
    },
    /// A number grew past what the engine's decimals hold (about 7.9e28).
    #[error("{path}: arithmetic overflow in {operation}")]
    Overflow { path: String, operation: String },
    /// A closed period would change.
    #[error("{path}: {message}")]
    ClosedPeriod { path: String, message: String },
}

fn join(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    /// The stable machine code of this error (the first problem's code for lists).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Syntax { .. } => "syntax",
            Error::InvalidPlan { problems } | Error::InvalidInput { problems } => {
                problems.first().map(|p| p.code).unwrap_or("invalid")
            }
            Error::SplitShares { .. } => "split_shares",
            Error::MissingFxRate { .. } => "missing_fx_rate",
            Error::ZeroQuota { .. } => "zero_quota",
            Error::Overflow { .. } => "overflow",
            Error::ClosedPeriod { .. } => "closed_period",
        }
    }

    /// The error's family: `plan`, `input` or `calculation` (bindings map it to a subclass).
    pub fn category(&self) -> &'static str {
        match self {
            Error::InvalidPlan { .. } => "plan",
            Error::Syntax { .. } | Error::InvalidInput { .. } | Error::SplitShares { .. } => {
                "input"
            }
            Error::MissingFxRate { .. } => "input",
            Error::ZeroQuota { .. } | Error::Overflow { .. } | Error::ClosedPeriod { .. } => {
                "calculation"
            }
        }
    }

    /// Where the (first) problem is.
    pub fn path(&self) -> &str {
        match self {
            Error::Syntax { path, .. }
            | Error::SplitShares { path, .. }
            | Error::MissingFxRate { path, .. }
            | Error::ZeroQuota { path, .. }
            | Error::Overflow { path, .. }
            | Error::ClosedPeriod { path, .. } => path,
            Error::InvalidPlan { problems } | Error::InvalidInput { problems } => {
                problems.first().map(|p| p.path.as_str()).unwrap_or("")
            }
        }
    }

    /// Every problem (one for most errors, all of them for plan and input validation).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::InvalidPlan { problems } | Error::InvalidInput { problems } => problems.clone(),
            other => vec![Problem::new(other.code(), other.path(), other.to_string())],
        }
    }

    /// Canonical JSON of the error: `{"code","category","path","message","problems"}`.
    /// The conformance vectors compare this text, and every binding exposes the same fields.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            code: &'a str,
            category: &'a str,
            path: &'a str,
            message: String,
            problems: Vec<Problem>,
        }
        let out = Out {
            code: self.code(),
            category: self.category(),
            path: self.path(),
            message: self.to_string(),
            problems: self.problems(),
        };
        let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
        s.push('\n');
        s
    }

    pub(crate) fn input(
        code: &'static str,
        path: impl Into<String>,
        msg: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            problems: vec![Problem::new(code, path, msg)],
        }
    }

    pub(crate) fn overflow(path: impl Into<String>, operation: impl Into<String>) -> Self {
        Error::Overflow {
            path: path.into(),
            operation: operation.into(),
        }
    }
}

/// Result with payplan's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
