//! The measurements `bench-table` runs in child processes (so each has its own peak memory and
//! the one-thread run its own `RAYON_NUM_THREADS`), printed as one JSON line each.

use crate::proc::{median, peak_rss_bytes};
use serde_json::{json, Value};
use std::time::Instant;

/// Run the child measurement `args` (`empty`, `floor`, `run`, `whatif` and their files) and
/// print its figures, with this process's peak memory, as one JSON line.
pub fn child(args: &[String]) -> i32 {
    let mode = args.first().map(String::as_str).unwrap_or("");
    let result = match mode {
        "empty" => Ok(json!({})),
        "floor" => child_floor(&args[1], repeat_arg(args.get(2))),
        "run" => child_run(&args[1], &args[2], repeat_arg(args.get(3))),
        "whatif" => child_whatif(&args[1], &args[2], repeat_arg(args.get(3))),
        "pairs" => child_pairs(&args[1], &args[2], repeat_arg(args.get(3))),
        other => Err(format!("unknown child mode {other:?}")),
    };
    let mut v = match result {
        Ok(v) => v,
        Err(e) => json!({ "error": e }),
    };
    v["rss"] = json!(peak_rss_bytes());
    println!("{v}");
    0
}

fn repeat_arg(a: Option<&String>) -> usize {
    a.and_then(|s| s.parse().ok()).unwrap_or(1).max(1)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn child_floor(request: &str, repeat: usize) -> Result<Value, String> {
    let text = read(request)?;
    let mut secs = Vec::new();
    let mut cells = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let sums = crate::floor::floor(&text)?;
        secs.push(t.elapsed().as_secs_f64());
        cells = sums.cells();
    }
    let credits = crate::floor::credits(&text)?;
    let mut sum_secs = Vec::new();
    for _ in 0..repeat.max(3) {
        let t = Instant::now();
        let g = crate::floor::group_sum(&credits);
        sum_secs.push(t.elapsed().as_secs_f64());
        std::hint::black_box(g.len());
    }
    Ok(
        json!({ "secs": median(&secs), "sum_only_secs": median(&sum_secs), "cells": cells, "input_bytes": text.len() }),
    )
}

/// The ratios the targets compare, from adjacent runs: `repeat` rounds, each the floor on
/// `request`, payplan's run on it and (unless `scale` is `-`) payplan's run on the `scale`
/// request, back to back in this process. A machine that slows down or speeds up between
/// the separate children moves the two figures of a ratio unequally; within one round it
/// moves them alike. Gives the median and the range of each round's ratios.
fn child_pairs(request: &str, scale: &str, repeat: usize) -> Result<Value, String> {
    let text = read(request)?;
    let small = if scale == "-" {
        None
    } else {
        Some(read(scale)?)
    };
    let mut to_floor = Vec::new();
    let mut to_small = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let sums = crate::floor::floor(&text)?;
        let floor = t.elapsed().as_secs_f64();
        std::hint::black_box(sums.cells());
        drop(sums);
        let run = timed_run(text.clone())?.0;
        to_floor.push(run / floor);
        if let Some(small) = &small {
            to_small.push(run / timed_run(small.clone())?.0);
        }
    }
    let summary = |xs: &[f64]| {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        json!({ "median": median(xs), "min": lo, "max": hi, "rounds": xs.len() })
    };
    Ok(json!({
        "payplan_to_floor": summary(&to_floor),
        "size_to_scale": if small.is_some() { summary(&to_small) } else { Value::Null },
    }))
}

/// Seconds of `Engine::from_json_text` and the run of `text` streamed into a byte counter,
/// the number of bytes, and the engine (dropped by the caller, after the clock stopped).
fn timed_run(text: String) -> Result<(f64, usize, payplan_core::Engine), String> {
    let t = Instant::now();
    let engine = payplan_core::Engine::from_json_text(text).map_err(|e| e.to_string())?;
    let mut bytes = 0usize;
    engine
        .write_run_json(&mut |b| bytes += b.len())
        .map_err(|e| e.to_string())?;
    Ok((t.elapsed().as_secs_f64(), bytes, engine))
}

/// (b): prepare the request text and stream the whole run's canonical output with
/// `Engine::write_run_json` (timed into a byte counter; then the same engine writes the output
/// file, untimed).
fn child_run(request: &str, out: &str, repeat: usize) -> Result<Value, String> {
    let mut secs = Vec::new();
    let mut bytes = 0;
    let mut input_bytes = 0;
    let mut last = None;
    for _ in 0..repeat {
        // The previous engine is dropped first: the peak memory is one engine's.
        drop(last.take());
        // Read untimed; the engine takes the text and drops it once parsed, as an embedder
        // that reads a request to run it would.
        let text = read(request)?;
        input_bytes = text.len();
        let (s, n, engine) = timed_run(text)?;
        secs.push(s);
        bytes = n;
        last = Some(engine);
    }
    // The last timed engine writes the output file (a second engine would only add to the
    // process's peak memory what the allocator keeps of the first).
    let engine = last.ok_or("no run")?;
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut failed = None;
    engine
        .write_run_json(&mut |b| {
            if failed.is_none() {
                failed = std::io::Write::write_all(&mut w, b).err();
            }
        })
        .map_err(|e| e.to_string())?;
    if let Some(e) = failed.or_else(|| std::io::Write::flush(&mut w).err()) {
        return Err(format!("{out}: {e}"));
    }
    Ok(json!({ "secs": median(&secs), "output_bytes": bytes, "input_bytes": input_bytes }))
}

fn child_whatif(request: &str, deal: &str, runs: usize) -> Result<Value, String> {
    let text = read(request)?;
    let deal = read(deal)?;
    let t = Instant::now();
    let engine = payplan_core::Engine::from_json(&text).map_err(|e| e.to_string())?;
    let prepare = t.elapsed().as_secs_f64();
    let first = engine.estimate_json(&deal).map_err(|e| e.to_string())?;
    let mut secs = Vec::with_capacity(runs);
    let budget = Instant::now();
    for i in 0..runs {
        // at most ~10 s in all (at least 5 runs): a slow engine still gives a median
        if i >= 5 && budget.elapsed().as_secs_f64() > 10.0 {
            break;
        }
        let t = Instant::now();
        let out = engine.estimate_json(&deal).map_err(|e| e.to_string())?;
        secs.push(t.elapsed().as_secs_f64());
        if out != first {
            return Err("estimate_json gave different bytes on a repeated call".into());
        }
    }
    let change = serde_json::from_str::<Value>(&first)
        .ok()
        .and_then(|v| v.get("change").cloned());
    Ok(
        json!({ "secs": median(&secs), "prepare_secs": prepare, "runs": secs.len(), "change": change }),
    )
}
