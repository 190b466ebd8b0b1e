//! Run a request file and print the output or the error JSON:
//! `cargo run --release -p payplan-core --example run_request -- request.json [--timing] [--parts]`.
//! With `--timing` the output is not printed: the times of preparing and of the run are (the
//! run streamed into a byte counter with `Engine::write_run_json`, or, with `--parts`, as
//! `Engine::run` and then the canonical writer, holding every statement).
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_default();
    let timing = args.iter().any(|a| a == "--timing");
    let parts = args.iter().any(|a| a == "--parts");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let t0 = Instant::now();
    let engine = match payplan_core::Engine::from_json_text(text) {
        Ok(e) => e,
        Err(e) => return print!("{}", e.to_json()),
    };
    let t1 = Instant::now();
    if !timing {
        let mut out = std::io::stdout().lock();
        let mut failed = None;
        let result = engine.write_run_json(&mut |bytes| {
            if failed.is_none() {
                failed = std::io::Write::write_all(&mut out, bytes).err();
            }
        });
        if let Err(e) = result {
            print!("{}", e.to_json());
        }
        return;
    }
    let mut bytes = 0usize;
    let (run_time, write_time) = if parts {
        let run = match engine.run() {
            Ok(r) => r,
            Err(e) => return print!("{}", e.to_json()),
        };
        let t2 = Instant::now();
        bytes = payplan_core::canonical::run_to_json(&run).len();
        (t2 - t1, Some(t2.elapsed()))
    } else {
        if let Err(e) = engine.write_run_json(&mut |b| bytes += b.len()) {
            return print!("{}", e.to_json());
        }
        (t1.elapsed(), None)
    };
    eprintln!(
        "prepare {:?}, run {:?}{}, output {bytes} bytes",
        t1 - t0,
        run_time,
        write_time.map_or(" (streamed, written as it goes)".to_string(), |w| format!(
            ", then written {w:?}"
        )),
    );
}
