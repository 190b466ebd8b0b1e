//! Run a request file and print the output or the error JSON:
//! `cargo run --release -p payplan-core --example run_request -- request.json [--timing] [--serde]`
//! (`--serde`: serialise with serde_json instead of the canonical writer, for comparison).
use std::time::Instant;

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
    let out = if serde {
        payplan_core::statement::to_canonical_json(&run)
    } else {
        payplan_core::canonical::run_to_json(&run)
    };
    let t3 = Instant::now();
    if timing {
        eprintln!(
            "prepare {:?}, run {:?}, serialise {:?}, output {} bytes",
            t1 - t0,
            t2 - t1,
            t3 - t2,
            out.len()
        );
    } else {
        print!("{out}");
    }
}
