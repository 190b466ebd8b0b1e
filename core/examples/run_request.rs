//! Run a request file and print the output or the error JSON: `cargo run --example run_request -- request.json`.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match payplan_core::run_json(&text) {
        Ok(out) => print!("{out}"),
        Err(e) => print!("{}", e.to_json()),
    }
}
