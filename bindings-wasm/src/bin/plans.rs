//! `payplan-wasm-plans DIR`: print the plans `DIR/*.yaml` (and `*.json`), sorted by file
//! name, as one JSON array, converted by the core's `yaml_to_json` (every number keeps its
//! digits). The demo page (examples/web) sends it as the request's `plans`: the wasm build
//! has no YAML reader.
use std::{env, fs, process::ExitCode};

fn main() -> ExitCode {
    let Some(dir) = env::args().nth(1) else {
        eprintln!("usage: payplan-wasm-plans DIR");
        return ExitCode::from(2);
    };
    let mut files: Vec<_> = match fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|x| x.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    if files.is_empty() {
        eprintln!("{dir}: no plan files (*.yaml, *.json)");
        return ExitCode::FAILURE;
    }
    let mut out = String::from("[\n");
    for (i, path) in files.iter().enumerate() {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let is_json = path.extension().and_then(|x| x.to_str()) == Some("json");
        let json = if is_json {
            Ok(text)
        } else {
            payplan_core::yaml_to_json(&text)
        };
        // Validate too: a bad plan fails here, with its problems, not later in the page.
        let checked = json.and_then(|j| payplan_core::validate_plan_json(&j).map(|_| j));
        match checked {
            Ok(j) => {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(j.trim_end());
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    out.push_str("\n]\n");
    print!("{out}");
    ExitCode::SUCCESS
}
