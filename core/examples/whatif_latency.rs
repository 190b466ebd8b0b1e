//! Median what-if latency on a prepared engine:
//! `cargo run --release -p payplan-core --example whatif_latency -- request.json deal.json [runs]`.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let read = |i: usize| {
        std::fs::read_to_string(args.get(i).map(String::as_str).unwrap_or("")).unwrap_or_default()
    };
    let (request, deal) = (read(1), read(2));
    let runs: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(200);
    let engine = match payplan_core::Engine::from_json(&request) {
        Ok(e) => e,
        Err(e) => return eprint!("{}", e.to_json()),
    };
    let mut times = Vec::with_capacity(runs);
    let mut last = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        last = match engine.estimate_json(&deal) {
            Ok(s) => s,
            Err(e) => e.to_json(),
        };
        times.push(t.elapsed().as_nanos());
    }
    times.sort_unstable();
    let median = times[times.len() / 2];
    println!(
        "{} runs: median {:.1} µs, p10 {:.1} µs, p90 {:.1} µs; {} bytes",
        runs,
        median as f64 / 1e3,
        times[runs / 10] as f64 / 1e3,
        times[runs * 9 / 10] as f64 / 1e3,
        last.len()
    );
}
