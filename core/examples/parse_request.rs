//! Time reading a request (JSON and its embedded CSV tables) into an engine:
//! `cargo run --release -p payplan-core --example parse_request -- request.json [runs]`.
//! Prints each run and the median of `Engine::from_json` (parsing, CSV tables, validation).
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_default();
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return eprintln!("cannot read {path:?}: {e}"),
    };
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..runs {
        let t0 = Instant::now();
        let result = payplan_core::Engine::from_json(&text);
        let elapsed = t0.elapsed();
        if let Err(e) = result {
            return print!("{}", e.to_json());
        }
        eprintln!("run {}: Engine::from_json {elapsed:?}", i + 1);
        times.push(elapsed);
    }
    times.sort();
    eprintln!("median of {runs}: {:?}", times[times.len() / 2]);
}
