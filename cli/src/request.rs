//! Build a request (docs/inputs-and-output.md) from a directory:
//!
//! ```text
//! DIR/plans/*.yaml|*.yml|*.json   one plan per file, in file-name order
//! DIR/<table>.csv | <table>.json  payees, assignments, quotas, transactions, fx_rates,
//!                                 payments, adjustments (each optional)
//! DIR/options.json                optional run options
//! ```
//!
//! CSV tables are passed to the core as `{"csv": text, "name": "transactions.csv"}` so the
//! core parses them (and names file, row and column in errors). Plan and table texts are
//! embedded verbatim (YAML converted by the core), so no number is ever re-read here.

use std::fs;
use std::path::{Path, PathBuf};

use crate::CliError;

/// The input tables a directory may hold, in request order.
pub const TABLES: [&str; 7] = [
    "payees",
    "assignments",
    "quotas",
    "transactions",
    "fx_rates",
    "payments",
    "adjustments",
];

/// A request built from a directory, with where each plan came from.
pub struct DirRequest {
    pub json: String,
    /// Plan files in the order of `plans[i]`.
    pub plan_files: Vec<PathBuf>,
    /// `payees.csv`, if any (for names in the summary).
    pub payees_csv: Option<String>,
}

pub fn read_text(path: &Path) -> Result<String, CliError> {
    fs::read_to_string(path).map_err(|e| CliError::io(path, e))
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// A plan (or deal) file as JSON text: YAML converted by the core, JSON as it is.
pub fn document_json(path: &Path) -> Result<String, CliError> {
    let text = read_text(path)?;
    if is_yaml(path) {
        payplan_core::yaml_to_json(&text).map_err(|e| CliError::core(e, Some(path)))
    } else {
        Ok(text)
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

fn indent(text: &str, pad: &str) -> String {
    text.trim()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn build(dir: &Path) -> Result<DirRequest, CliError> {
    if !dir.is_dir() {
        return Err(CliError::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        ));
    }
    let plans_dir = dir.join("plans");
    let mut plan_files: Vec<PathBuf> = fs::read_dir(&plans_dir)
        .map_err(|e| CliError::io(&plans_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml") | Some("yml") | Some("json")
                )
        })
        .collect();
    plan_files.sort();
    if plan_files.is_empty() {
        return Err(CliError::usage(format!(
            "no plan in {} (expected *.yaml, *.yml or *.json)",
            plans_dir.display()
        )));
    }
    let mut plans = Vec::new();
    for p in &plan_files {
        plans.push(indent(&document_json(p)?, "    "));
    }

    let mut inputs = Vec::new();
    let mut payees_csv = None;
    for table in TABLES {
        let csv_path = dir.join(format!("{table}.csv"));
        let json_path = dir.join(format!("{table}.json"));
        if csv_path.is_file() {
            let text = read_text(&csv_path)?;
            let name = format!("{table}.csv");
            inputs.push(format!(
                "    {}: {{\"csv\": {}, \"name\": {}}}",
                json_string(table),
                json_string(&text),
                json_string(&name)
            ));
            if table == "payees" {
                payees_csv = Some(text);
            }
        } else if json_path.is_file() {
            let text = read_text(&json_path)?;
            inputs.push(format!(
                "    {}: {}",
                json_string(table),
                indent(&text, "    ")
            ));
        }
    }
    let options_path = dir.join("options.json");
    let options = if options_path.is_file() {
        indent(&read_text(&options_path)?, "  ")
    } else {
        "{}".to_string()
    };
    let json = format!(
        "{{\n  \"plans\": [\n    {}\n  ],\n  \"inputs\": {{\n{}\n  }},\n  \"options\": {}\n}}\n",
        plans.join(",\n    "),
        inputs.join(",\n"),
        options
    );
    Ok(DirRequest {
        json,
        plan_files,
        payees_csv,
    })
}

/// Payee id → name, read from `payees.csv` (best effort: only for display).
pub fn payee_names(csv_text: Option<&str>) -> Vec<(String, String)> {
    let Some(text) = csv_text else {
        return Vec::new();
    };
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let Ok(headers) = rdr.headers().cloned() else {
        return Vec::new();
    };
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(id), Some(name)) = (col("id"), col("name")) else {
        return Vec::new();
    };
    rdr.records()
        .filter_map(|r| r.ok())
        .filter_map(|r| Some((r.get(id)?.to_string(), r.get(name)?.to_string())))
        .collect()
}
