//! The canonical writer gives the bytes of `serde_json::to_string_pretty` + newline, for every
//! conformance case (run and what-if), for a run written in pieces, and for strings that need
//! escaping inside a real run.

use std::fs;
use std::path::{Path, PathBuf};

use payplan_core::canonical::{
    estimate_to_json, run_to_json, warm_statement, write_run_head, write_run_tail,
    write_statement_entry,
};
use payplan_core::statement::{to_canonical_json, Run};
use payplan_core::Engine;
use serde_json::json;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("request.json").is_file())
        .collect();
    cases.sort();
    cases
}

/// Head + statements + tail, as a streaming writer would produce them.
fn in_pieces(run: &Run) -> String {
    let mut out = Vec::new();
    write_run_head(run.engine, &run.fingerprint, &mut out);
    for (i, s) in run.statements.iter().enumerate() {
        warm_statement(s);
        write_statement_entry(s, i, &mut out);
    }
    write_run_tail(
        run.statements.len(),
        &run.totals,
        &run.reconciliation,
        &run.warnings,
        &mut out,
    );
    String::from_utf8(out).unwrap()
}

fn check_run(run: &Run, label: &str) {
    let want = to_canonical_json(run);
    assert_eq!(run_to_json(run), want, "{label}: run_to_json");
    assert_eq!(in_pieces(run), want, "{label}: head + statements + tail");
}

#[test]
fn every_conformance_case_writes_serde_bytes() {
    let (mut runs, mut estimates) = (0, 0);
    for dir in cases() {
        let label = dir.display().to_string();
        let request = fs::read_to_string(dir.join("request.json")).unwrap();
        let Ok(engine) = Engine::from_json(&request) else {
            continue;
        };
        let Ok(run) = engine.run() else { continue };
        check_run(&run, &label);
        runs += 1;
        if let Ok(deal) = fs::read_to_string(dir.join("deal.json")) {
            let est = engine.estimate(&deal).unwrap();
            assert_eq!(estimate_to_json(&est), to_canonical_json(&est), "{label}");
            assert_eq!(
                engine.estimate_json(&deal).unwrap(),
                to_canonical_json(&est)
            );
            estimates += 1;
        }
    }
    assert!(
        runs > 20 && estimates > 0,
        "{runs} runs, {estimates} estimates"
    );
}

#[test]
fn escaped_text_in_a_run_writes_serde_bytes() {
    let odd = "q\"b\\s/n\nr\rt\tb\u{8}f\u{c}z\u{0}u\u{1f}d\u{7f} € é 🎉";
    let request = json!({
        "plan": {"payplan": 1, "id": "p", "currency": "EUR",
                 "calendar": {"year": 2027, "period": "month"},
                 "measures": [{"id": "bookings"}],
                 "components": [{"id": "c", "name": odd, "measure": "bookings",
                                 "mechanism": {"type": "rate", "rate": "0.05"}}]},
        "inputs": {"payees": [{"id": "A", "name": odd}],
                   "assignments": [{"payee": "A", "plan": "p"}],
                   "transactions": [{"id": format!("T{odd}"), "date": "2027-01-05",
                                     "amount": "30.15", "owner": "A"}],
                   "adjustments": [{"id": odd, "payee": "A", "period": "2027-02",
                                    "amount": "10", "reason": odd, "approver": "B"}]}
    });
    let engine =
        Engine::from_json(&request.to_string()).unwrap_or_else(|e| panic!("{}", e.to_json()));
    let run = engine.run().unwrap();
    let text = run_to_json(&run);
    assert!(text.contains("\\u0000") && text.contains("\\b"), "{text}");
    check_run(&run, "odd strings");
    let deal = json!({"id": odd, "date": "2027-03-01", "amount": "1000", "owner": "A"});
    let est = engine.estimate(&deal.to_string()).unwrap();
    assert_eq!(estimate_to_json(&est), to_canonical_json(&est));
}

#[test]
fn an_empty_run_writes_serde_bytes() {
    let run = Run {
        engine: "e",
        fingerprint: String::new(),
        statements: Vec::new(),
        totals: Vec::new(),
        reconciliation: Vec::new(),
        warnings: Vec::new(),
    };
    check_run(&run, "empty");
}

/// A company of `n` payees: the first unassigned (no statements), then reps with one deal
/// each in a varying month, so the streamed run crosses several chunks of payees.
fn many_payees(n: usize) -> String {
    let payees: Vec<_> = (0..n).map(|i| json!({"id": format!("P{i:04}")})).collect();
    let assignments: Vec<_> = (1..n)
        .map(|i| json!({"payee": format!("P{i:04}"), "plan": "p"}))
        .collect();
    let transactions: Vec<_> = (1..n)
        .map(|i| {
            json!({"id": format!("T{i:04}"), "date": format!("2027-{:02}-10", i % 12 + 1),
                   "amount": format!("{}.{:02}", 1000 + i * 7, i % 100), "owner": format!("P{i:04}")})
        })
        .collect();
    json!({
        "plan": {"payplan": 1, "id": "p", "currency": "EUR",
                 "calendar": {"year": 2027, "period": "quarter"}, "measures": [{"id": "b"}],
                 "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.07"}}]},
        "inputs": {"payees": payees, "assignments": assignments, "transactions": transactions}
    })
    .to_string()
}

#[test]
fn streamed_run_is_the_canonical_run_across_chunks() {
    for n in [0, 1, 2, 300, 700] {
        let engine = Engine::from_json(&many_payees(n)).unwrap();
        let run = engine.run().unwrap();
        let want = to_canonical_json(&run);
        assert_eq!(engine.run_json().unwrap(), want, "{n} payees");
        let mut pieces = 0;
        let mut bytes = Vec::new();
        engine
            .write_run_json(&mut |b| {
                pieces += 1;
                bytes.extend_from_slice(b)
            })
            .unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), want, "{n} payees");
        // Head, one piece per payee, tail.
        assert_eq!(pieces, n + 2, "{n} payees");
    }
}
