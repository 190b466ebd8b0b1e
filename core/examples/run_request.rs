//! Run a request file and print the output or the error JSON:
//! `cargo run --release -p payplan-core --example run_request -- request.json [--timing] [--serde]`
//! (`--serde`: serialise with serde_json instead of the canonical writer, for comparison).
use std::time::{Duration, Instant};

/// This thread's time on a CPU and waiting for one (Linux `/proc/thread-self/schedstat`),
/// to tell the work from the queueing on a shared machine; zero where unavailable.
fn sched() -> (Duration, Duration) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut ns = text.split_whitespace().map(|f| f.parse().unwrap_or(0));
    let mut next = || Duration::from_nanos(ns.next().unwrap_or(0));
    (next(), next())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_default();
    let timing = args.iter().any(|a| a == "--timing");
    let serde = args.iter().any(|a| a == "--serde");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let t0 = Instant::now();
    let engine = match payplan_core::Engine::from_json(&text) {
        Ok(e) => e,
        Err(e) => return print!("{}", e.to_json()),
    };
    let t1 = Instant::now();
    let run = match engine.run() {
        Ok(r) => r,
        Err(e) => return print!("{}", e.to_json()),
    };
    let t2 = Instant::now();
    let s2 = sched();
    let out = if serde {
        payplan_core::statement::to_canonical_json(&run)
    } else {
        payplan_core::canonical::run_to_json(&run)
    };
    let t3 = Instant::now();
    let s3 = sched();
    if timing {
        eprintln!(
            "prepare {:?}, run {:?}, serialise {:?} (on cpu {:?}, waiting {:?}), output {} bytes",
            t1 - t0,
            t2 - t1,
            t3 - t2,
            s3.0.saturating_sub(s2.0),
            s3.1.saturating_sub(s2.1),
            out.len()
        );
    } else {
        print!("{out}");
    }
}
