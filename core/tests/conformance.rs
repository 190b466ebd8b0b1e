//! The conformance corpus (`tests/vectors/`, format in `tests/vectors/README.md`).
//!
//! For every case folder:
//! - `error.json`: the run must fail with that `code` (and `path`, unless it is `null`);
//! - `hand.json`: the run must succeed and every hand-typed number must match the output
//!   (numerically); then the output must equal `expected.json` byte for byte. With
//!   `PAYPLAN_BLESS=1`, `expected.json` is (re)written — but only for a case whose hand
//!   numbers matched. The same output must come back on a second run and with every input
//!   table's rows in reverse order.
//! - `deal.json` + `hand_estimate.json`: the what-if must match the hand numbers, then
//!   `estimate.json` byte for byte (blessed the same way).
//!
//! Every failure of every case is reported, then the test fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn bless() -> bool {
    std::env::var("PAYPLAN_BLESS")
        .map(|v| v == "1")
        .unwrap_or(false)
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

fn parse(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{what}: not JSON: {e}"))
}

fn dec(v: &Value, what: &str) -> Result<Decimal, String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return Err(format!("{what}: expected a decimal, found {other}")),
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|e| format!("{what}: {text:?} is not a decimal: {e}"))
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The statement fields a hand entry without `kind` may give.
const STATEMENT_FIELDS: [&str; 6] = [
    "status",
    "earned",
    "total",
    "prior_paid",
    "net_payable",
    "draw_balance",
];

/// Compare one hand.json entry against the parsed run output.
fn check_entry(out: &Value, entry: &Value) -> Result<(), String> {
    if let Some(total) = str_field(entry, "totals") {
        let want = dec(&entry["value"], "hand value")?;
        // `totals` is one object, or a list of them (one per currency)
        let totals: Vec<&Value> = match out.get("totals") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(obj @ Value::Object(_)) => vec![obj],
            _ => return Err("totals missing in output".into()),
        };
        let currency = str_field(entry, "currency");
        let t = match currency {
            Some(c) => totals.iter().find(|t| str_field(t, "currency") == Some(c)),
            None if totals.len() == 1 => totals.first(),
            None => {
                return Err(format!(
                    "totals has {} entries: name a currency",
                    totals.len()
                ))
            }
        }
        .ok_or_else(|| format!("no totals for currency {currency:?}"))?;
        let got = t
            .get(total)
            .ok_or_else(|| format!("totals.{total} missing in output"))?;
        let got = dec(got, &format!("totals.{total}"))?;
        return if got == want {
            Ok(())
        } else {
            Err(format!("totals.{total}: hand {want}, engine {got}"))
        };
    }
    let payee = str_field(entry, "payee").ok_or("hand entry without payee")?;
    let period = str_field(entry, "period").ok_or("hand entry without period")?;
    let empty = Vec::new();
    let statements: Vec<&Value> = out
        .get("statements")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .filter(|s| str_field(s, "payee") == Some(payee) && str_field(s, "period") == Some(period))
        .collect();
    let label = format!("{payee} {period}");

    if entry.get("kind").is_none() {
        // a statement entry: any of these fields, compared with the one statement
        let mut checked = 0;
        for field in STATEMENT_FIELDS {
            let Some(want) = entry.get(field) else {
                continue;
            };
            checked += 1;
            let got = match statements.as_slice() {
                [] => None,
                [s] => s.get(field),
                _ => {
                    return Err(format!(
                        "{label}: {} statements, expected one",
                        statements.len()
                    ))
                }
            };
            if let Value::String(w) = want {
                if Decimal::from_str(w).is_err() {
                    // a word (`status`)
                    let g = got.and_then(Value::as_str).unwrap_or("(no statement)");
                    if g != w {
                        return Err(format!("{label} {field}: hand {w}, engine {g}"));
                    }
                    continue;
                }
            }
            let want = dec(want, &format!("hand {field}"))?;
            // no statement counts as zero
            let got = match got {
                None => Decimal::ZERO,
                Some(g) => dec(g, &format!("{label} {field}"))?,
            };
            if got != want {
                return Err(format!("{label} {field}: hand {want}, engine {got}"));
            }
        }
        return if checked > 0 {
            Ok(())
        } else {
            Err(format!(
                "{label}: hand entry needs kind, total or one of {STATEMENT_FIELDS:?}"
            ))
        };
    }

    let kind = str_field(entry, "kind").unwrap_or_default();
    let id = str_field(entry, "id");
    let lines: Vec<&Value> = statements
        .iter()
        .flat_map(|s| {
            s.get("lines")
                .and_then(Value::as_array)
                .unwrap_or(&empty)
                .iter()
        })
        .filter(|l| {
            str_field(l, "kind") == Some(kind) && (id.is_none() || str_field(l, "id") == id)
        })
        .collect();
    let label = format!(
        "{label} {kind}{}",
        id.map(|i| format!(" {i}")).unwrap_or_default()
    );
    let want = dec(&entry["amount"], "hand amount")?;
    let mut got = Decimal::ZERO;
    for l in &lines {
        got += dec(&l["amount"], &format!("{label} amount"))?;
    }
    if got != want {
        return Err(format!(
            "{label}: hand {want}, engine {got} (over {} line(s))",
            lines.len()
        ));
    }
    for field in ["measure", "quota", "attainment"] {
        if let Some(want) = entry.get(field) {
            let [line] = lines.as_slice() else {
                return Err(format!(
                    "{label}: {field} given, so exactly one line expected, found {}",
                    lines.len()
                ));
            };
            let want = dec(want, &format!("hand {field}"))?;
            let got = dec(&line[field], &format!("{label} {field}"))?;
            if got != want {
                return Err(format!("{label} {field}: hand {want}, engine {got}"));
            }
        }
    }
    Ok(())
}

/// Compare hand_estimate.json with the parsed estimate output.
fn check_estimate(out: &Value, hand: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let mut cmp = |what: String, want: &Value, got: Option<&Value>| match (dec(want, "hand"), got) {
        (Err(e), _) => errs.push(e),
        (_, None) => errs.push(format!("{what}: missing in estimate output")),
        (Ok(w), Some(g)) => match dec(g, &what) {
            Ok(g) if g == w => {}
            Ok(g) => errs.push(format!("{what}: hand {w}, engine {g}")),
            Err(e) => errs.push(e),
        },
    };
    if let Some(want) = hand.get("change") {
        cmp("change".into(), want, out.get("change"));
    }
    let empty = Vec::new();
    for p in hand
        .get("payees")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let payee = str_field(p, "payee").unwrap_or("");
        let got = out
            .get("payees")
            .and_then(Value::as_array)
            .and_then(|ps| ps.iter().find(|q| str_field(q, "payee") == Some(payee)));
        for field in ["before", "after", "change"] {
            if let Some(want) = p.get(field) {
                cmp(
                    format!("payee {payee} {field}"),
                    want,
                    got.and_then(|g| g.get(field)),
                );
            }
        }
    }
    for l in hand
        .get("lines")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let key = |v: &Value| {
            ["payee", "period", "kind", "id"]
                .iter()
                .map(|k| str_field(v, k).unwrap_or("").to_string())
                .collect::<Vec<_>>()
        };
        let k = key(l);
        let got = out
            .get("lines")
            .and_then(Value::as_array)
            .and_then(|ls| ls.iter().find(|q| key(q) == k));
        for field in ["before", "after", "change"] {
            if let Some(want) = l.get(field) {
                cmp(
                    format!("line {} {field}", k.join(" ")),
                    want,
                    got.and_then(|g| g.get(field)),
                );
            }
        }
    }
    errs
}

/// The request with every input table (JSON array) in reverse row order.
fn reversed_rows(request: &Value) -> Value {
    let mut r = request.clone();
    if let Some(inputs) = r.get_mut("inputs").and_then(Value::as_object_mut) {
        for table in inputs.values_mut() {
            if let Value::Array(rows) = table {
                rows.reverse();
            }
        }
    }
    r
}

/// Compare `got` with the bytes of `file`, or write them when blessing.
fn check_bytes(dir: &Path, file: &str, got: &str, errs: &mut Vec<String>) {
    let path = dir.join(file);
    if bless() {
        if read(&path).as_deref() != Some(got) {
            fs::write(&path, got).expect("write blessed file");
            eprintln!("blessed {}", path.display());
        }
        return;
    }
    match read(&path) {
        None => errs.push(format!(
            "{file} missing: check the hand numbers, then run with PAYPLAN_BLESS=1"
        )),
        Some(want) if want != got => {
            let at = want
                .bytes()
                .zip(got.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            errs.push(format!(
                "output differs from {file} at byte {at}: expected {:?}…, got {:?}…",
                want.get(at..(at + 60).min(want.len())).unwrap_or(""),
                got.get(at..(at + 60).min(got.len())).unwrap_or("")
            ));
        }
        Some(_) => {}
    }
}

/// The run prepared by `Engine::from_json_text`, which drops the text once it is parsed.
fn owned_text_run(request: &str) -> payplan_core::Result<String> {
    payplan_core::Engine::from_json_text(request.to_string())?.run_json()
}

fn run_case(dir: &Path) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(request) = read(&dir.join("request.json")) else {
        return vec!["request.json missing".into()];
    };
    let result = payplan_core::run_json(&request);

    if let Some(error_text) = read(&dir.join("error.json")) {
        let want = match parse(&error_text, "error.json") {
            Ok(v) => v,
            Err(e) => return vec![e],
        };
        match (&result, owned_text_run(&request)) {
            (Err(a), Err(b)) if (a.code(), a.path()) != (b.code(), b.path()) => errs.push(format!(
                "from_json_text: error[{}] at {:?}, run_json: error[{}] at {:?}",
                b.code(),
                b.path(),
                a.code(),
                a.path()
            )),
            (Err(_), Ok(_)) => errs.push("from_json_text accepted what run_json refused".into()),
            _ => {}
        }
        match result {
            Ok(_) => errs.push(format!("expected error {want}, but the run succeeded")),
            Err(e) => {
                let code = str_field(&want, "code").unwrap_or("");
                if e.code() != code {
                    errs.push(format!(
                        "error code: expected {code}, got {} ({e})",
                        e.code()
                    ));
                }
                match want.get("path") {
                    Some(Value::Null) | None => {}
                    Some(p) => {
                        let p = p.as_str().unwrap_or("");
                        if e.path() != p {
                            errs.push(format!(
                                "error path: expected {p:?}, got {:?} ({e})",
                                e.path()
                            ));
                        }
                    }
                }
                if let Err(err) = parse(&e.to_json(), "error to_json") {
                    errs.push(err);
                }
            }
        }
        return errs;
    }

    let Some(hand_text) = read(&dir.join("hand.json")) else {
        return vec!["neither error.json nor hand.json".into()];
    };
    let hand = match parse(&hand_text, "hand.json") {
        Ok(Value::Array(h)) if !h.is_empty() => h,
        Ok(_) => return vec!["hand.json must be a non-empty list".into()],
        Err(e) => return vec![e],
    };
    let output = match result {
        Ok(o) => o,
        Err(e) => {
            return vec![format!(
                "run failed: error[{}] at {}: {e}",
                e.code(),
                e.path()
            )]
        }
    };
    let dump = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vectors");
    let _ = fs::create_dir_all(&dump);
    let name = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let _ = fs::write(dump.join(format!("{name}.json")), &output);
    let out = match parse(&output, "run output") {
        Ok(v) => v,
        Err(e) => return vec![e],
    };
    for entry in &hand {
        if let Err(e) = check_entry(&out, entry) {
            errs.push(e);
        }
    }
    // The second run prepares from the owned text (dropped once parsed).
    match owned_text_run(&request) {
        Ok(again) if again == output => {}
        Ok(_) => errs.push("a second run gave different bytes".into()),
        Err(e) => errs.push(format!("a second run failed: {e}")),
    }
    if let Ok(req) = parse(&request, "request.json") {
        let shuffled = reversed_rows(&req).to_string();
        match payplan_core::run_json(&shuffled) {
            Ok(o) if o == output => {}
            Ok(_) => errs.push("input rows in reverse order gave different bytes".into()),
            Err(e) => errs.push(format!("input rows in reverse order failed: {e}")),
        }
    }
    // bless only output that matched the hand numbers and is deterministic
    let hand_ok = errs.is_empty();
    if hand_ok {
        check_bytes(dir, "expected.json", &output, &mut errs);
    }

    if let Some(deal) = read(&dir.join("deal.json")) {
        let hand_est =
            read(&dir.join("hand_estimate.json")).map(|t| parse(&t, "hand_estimate.json"));
        match (payplan_core::estimate_json(&request, &deal), hand_est) {
            (_, None) => errs.push("deal.json without hand_estimate.json".into()),
            (_, Some(Err(e))) => errs.push(e),
            (Err(e), _) => errs.push(format!(
                "estimate failed: error[{}] at {}: {e}",
                e.code(),
                e.path()
            )),
            (Ok(est), Some(Ok(hand))) => match parse(&est, "estimate output") {
                Err(e) => errs.push(e),
                Ok(v) => {
                    let est_errs = check_estimate(&v, &hand);
                    let ok = est_errs.is_empty();
                    errs.extend(est_errs);
                    if ok && hand_ok {
                        check_bytes(dir, "estimate.json", &est, &mut errs);
                    }
                }
            },
        }
    }
    errs
}

#[test]
fn conformance_vectors() {
    let root = vectors_dir();
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("request.json").is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no conformance case found in {}",
        root.display()
    );

    let mut failed = 0;
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy();
        let errs = run_case(dir);
        if errs.is_empty() {
            println!("ok     {name}");
        } else {
            failed += 1;
            println!("FAILED {name}");
            for e in errs {
                println!("         {e}");
            }
        }
    }
    println!(
        "conformance: {} cases, {} passed, {failed} failed",
        cases.len(),
        cases.len() - failed
    );
    assert_eq!(
        failed,
        0,
        "{failed} of {} conformance cases failed (details above)",
        cases.len()
    );
}
