//! `payplan`: the command line over payplan-core.
//!
//! ```text
//! payplan validate PLAN.yaml|PLAN.json [--json]
//! payplan run DIR [--json|--short] [--payee ID]
//! payplan request DIR
//! payplan estimate DIR --deal DEAL.json|DEAL.yaml [--json]
//! payplan schema
//! ```
//!
//! Errors print `error[code] at path: message` (one line per problem) and exit 1;
//! a wrong command line prints the usage and exits 2.

#![forbid(unsafe_code)]

mod request;
mod summary;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
payplan — sales-compensation payouts you can explain

usage:
  payplan validate PLAN.yaml|PLAN.json [--json]   check a plan; --json prints its canonical JSON
  payplan run DIR [--json|--short] [--payee ID]   run a payout on a directory and print the statements
                                                  (--json: the canonical output; --short: one row per
                                                  payee; --payee: one payee, with explanations and traces)
  payplan request DIR                             print the request JSON built from DIR
  payplan estimate DIR --deal DEAL.json [--json]  what-if: the change one more deal would make
  payplan schema                                  print the JSON Schema of the plan format

DIR holds plans/*.yaml|yml|json, the input tables by name (payees, assignments, quotas,
transactions, fx_rates, payments, adjustments as .csv or .json) and an optional options.json.
";

/// An error of the command line: printed as `error[code] at path: message`.
pub struct CliError {
    problems: Vec<(String, String, String)>,
    usage: bool,
}

impl CliError {
    pub fn io(path: &Path, e: std::io::Error) -> Self {
        CliError {
            problems: vec![("io".into(), path.display().to_string(), e.to_string())],
            usage: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            problems: vec![("usage".into(), String::new(), message.into())],
            usage: true,
        }
    }

    /// A core error; `file` names the document it came from (a plan or a deal).
    pub fn core(e: payplan_core::Error, file: Option<&Path>) -> Self {
        Self::core_in(e, |_| file.map(Path::to_path_buf))
    }

    /// A core error; `file_of(path)` names the file a path points into, if known.
    fn core_in(e: payplan_core::Error, file_of: impl Fn(&str) -> Option<PathBuf>) -> Self {
        let problems = e
            .problems()
            .into_iter()
            .map(|p| {
                let prefix = format!("{}: ", p.path);
                let mut message = p
                    .message
                    .strip_prefix(&prefix)
                    .unwrap_or(&p.message)
                    .to_string();
                if let Some(f) = file_of(&p.path) {
                    message = format!("{message} (in {})", f.display());
                }
                (p.code.to_string(), p.path, message)
            })
            .collect();
        CliError {
            problems,
            usage: false,
        }
    }

    fn print(&self) {
        let mut err = std::io::stderr().lock();
        for (code, path, message) in &self.problems {
            if path.is_empty() {
                let _ = writeln!(err, "error[{code}]: {message}");
            } else {
                let _ = writeln!(err, "error[{code}] at {path}: {message}");
            }
        }
        if self.usage {
            let _ = write!(err, "\n{USAGE}");
        }
    }
}

/// Parsed command line: positional arguments and `--flag [value]` options.
struct Args {
    positional: Vec<String>,
    json: bool,
    short: bool,
    payee: Option<String>,
    deal: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, CliError> {
    let mut a = Args {
        positional: Vec::new(),
        json: false,
        short: false,
        payee: None,
        deal: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| CliError::usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--json" => a.json = true,
            "--short" => a.short = true,
            "--payee" => a.payee = Some(value("--payee")?),
            "--deal" => a.deal = Some(value("--deal")?),
            s if s.starts_with("--payee=") => a.payee = Some(s["--payee=".len()..].to_string()),
            s if s.starts_with("--deal=") => a.deal = Some(s["--deal=".len()..].to_string()),
            s if s.starts_with("--") => return Err(CliError::usage(format!("unknown option {s}"))),
            s => a.positional.push(s.to_string()),
        }
    }
    Ok(a)
}

fn one_path(a: &Args, what: &str) -> Result<PathBuf, CliError> {
    match a.positional.as_slice() {
        [p] => Ok(PathBuf::from(p)),
        [] => Err(CliError::usage(format!("missing {what}"))),
        more => Err(CliError::usage(format!(
            "expected one {what}, got {}",
            more.join(" ")
        ))),
    }
}

fn parse_output(text: &str) -> Result<serde_json::Value, CliError> {
    serde_json::from_str(text).map_err(|e| CliError {
        problems: vec![(
            "output".into(),
            String::new(),
            format!("the core returned output that is not JSON: {e}"),
        )],
        usage: false,
    })
}

/// Maps `plans[i]…` to the plan's file.
fn plan_file_of(files: &[PathBuf]) -> impl Fn(&str) -> Option<PathBuf> + '_ {
    move |path: &str| {
        let rest = path.strip_prefix("plans[")?;
        let i: usize = rest.split(']').next()?.parse().ok()?;
        files.get(i).cloned()
    }
}

fn validate(a: &Args) -> Result<String, CliError> {
    let path = one_path(a, "plan file")?;
    let plan = request::document_json(&path)?;
    let canonical =
        payplan_core::validate_plan_json(&plan).map_err(|e| CliError::core(e, Some(&path)))?;
    if a.json {
        return Ok(canonical);
    }
    let v = parse_output(&canonical)?;
    let count = |k: &str| v.get(k).and_then(|x| x.as_array()).map_or(0, |x| x.len());
    Ok(format!(
        "ok: {} is a valid plan: {} ({}), {} measure(s), {} component(s)\n",
        path.display(),
        v.get("id").and_then(|x| x.as_str()).unwrap_or("?"),
        v.get("name").and_then(|x| x.as_str()).unwrap_or(""),
        count("measures"),
        count("components")
    ))
}

fn run(a: &Args) -> Result<String, CliError> {
    let dir = one_path(a, "directory")?;
    let req = request::build(&dir)?;
    let output = payplan_core::run_json(&req.json)
        .map_err(|e| CliError::core_in(e, plan_file_of(&req.plan_files)))?;
    if a.json {
        return Ok(output);
    }
    let v = parse_output(&output)?;
    let names = request::payee_names(req.payees_csv.as_deref());
    if a.short && a.payee.is_none() {
        return Ok(summary::short(&v, &names));
    }
    Ok(summary::run(
        &v,
        &names,
        a.payee.as_deref(),
        a.payee.is_some(),
    ))
}

fn estimate(a: &Args) -> Result<String, CliError> {
    let dir = one_path(a, "directory")?;
    let deal_path = a
        .deal
        .as_ref()
        .ok_or_else(|| CliError::usage("estimate needs --deal DEAL.json"))?;
    let deal_path = Path::new(deal_path);
    let deal = request::document_json(deal_path)?;
    let req = request::build(&dir)?;
    let engine = payplan_core::Engine::from_json(&req.json)
        .map_err(|e| CliError::core_in(e, plan_file_of(&req.plan_files)))?;
    let output = engine
        .estimate_json(&deal)
        .map_err(|e| CliError::core(e, Some(deal_path)))?;
    if a.json {
        return Ok(output);
    }
    Ok(summary::estimate(&parse_output(&output)?))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = parse_args(&args[1..]).and_then(|a| match command.as_str() {
        "validate" => validate(&a),
        "run" => run(&a),
        "request" => one_path(&a, "directory").and_then(|d| Ok(request::build(&d)?.json)),
        "estimate" => estimate(&a),
        // the committed schema, kept equal to the model by payplan-core's schema test
        "schema" => Ok(include_str!("../../docs/plan.schema.json").to_string()),
        "help" | "--help" | "-h" => Ok(USAGE.to_string()),
        "--version" | "version" => Ok(format!(
            "payplan {} ({})\n",
            env!("CARGO_PKG_VERSION"),
            payplan_core::ENGINE_VERSION
        )),
        other => Err(CliError::usage(format!("unknown command {other}"))),
    });
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            if !text.ends_with('\n') {
                let _ = out.write_all(b"\n");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            e.print();
            ExitCode::from(if e.usage { 2 } else { 1 })
        }
    }
}
