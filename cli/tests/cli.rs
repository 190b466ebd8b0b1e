//! The `payplan` binary on tiny directories whose numbers are checked by hand.
//!
//! The tiny company: plan `p`, 5 % of bookings, monthly, rounded per line.
//! - Ana (A): three bookings of 10.05 in January → 30.15 × 5 % = 1.5075 → 1.51;
//! - a 100.01 booking in February split 50/50 between A and Ben (B): 50.005 × 5 % = 2.50025
//!   → 2.50 each;
//! - so A: 1.51 + 2.50 = 4.01 for the year, B: 2.50, the run's net payable 6.51.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

const PLAN_YAML: &str = "\
payplan: 1
id: p
name: Five percent
currency: EUR
calendar: { year: 2027, period: month }
measures:
  - id: bookings
components:
  - id: commission
    name: Commission
    measure: bookings
    mechanism: { type: rate, rate: 0.05 }
";

const PLAN_JSON: &str = r#"{"payplan": 1, "id": "p", "name": "Five percent", "currency": "EUR",
 "calendar": {"year": 2027, "period": "month"},
 "measures": [{"id": "bookings"}],
 "components": [{"id": "commission", "name": "Commission", "measure": "bookings",
                 "mechanism": {"type": "rate", "rate": "0.05"}}]}
"#;

const PAYEES: &str = "id,name,manager,team\nA,Ana Tiny,,west\nB,Ben Tiny,,west\n";
const ASSIGNMENTS: &str = "payee,plan,from\nA,p,2027-01-01\nB,p,2027-01-01\n";
const TRANSACTIONS: &str = "id,kind,date,amount,currency,owner,splits\n\
T1,booking,2027-01-05,10.05,EUR,A,\n\
T2,booking,2027-01-12,10.05,EUR,A,\n\
T3,booking,2027-01-20,10.05,EUR,A,\n\
T4,booking,2027-02-03,100.01,EUR,,A:0.5;B:0.5\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_payplan")
}

/// A fresh directory under the system temp dir (removed first if left over).
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("payplan-cli-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("plans")).unwrap();
    dir
}

fn tiny(name: &str, plan_file: &str, plan: &str) -> PathBuf {
    let dir = temp_dir(name);
    fs::write(dir.join("plans").join(plan_file), plan).unwrap();
    fs::write(dir.join("payees.csv"), PAYEES).unwrap();
    fs::write(dir.join("assignments.csv"), ASSIGNMENTS).unwrap();
    fs::write(dir.join("transactions.csv"), TRANSACTIONS).unwrap();
    dir
}

fn payplan(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("run payplan")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "payplan failed ({:?}):\n{}{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

fn statement<'a>(out: &'a Value, payee: &str, period: &str) -> &'a Value {
    out["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["payee"] == payee && s["period"] == period)
        .unwrap_or_else(|| panic!("no statement {payee} {period}"))
}

#[test]
fn no_arguments_prints_usage_and_exits_2() {
    let o = payplan(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("usage:"));
    let o = payplan(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error[usage]: unknown command frobnicate"));
}

#[test]
fn missing_directory_is_an_io_error() {
    let o = payplan(&["run", "/nonexistent/payplan-dir"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error[io] at /nonexistent/payplan-dir:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn request_embeds_plans_and_csv_tables() {
    let dir = tiny("request", "p.json", PLAN_JSON);
    fs::write(dir.join("options.json"), "{\"closed_through\": null}\n").unwrap();
    let o = payplan(&["request", p(&dir)]);
    ok(&o);
    let req: Value = serde_json::from_str(&stdout(&o)).expect("request is JSON");
    assert_eq!(req["plans"][0]["id"], "p");
    assert_eq!(
        req["plans"][0]["components"][0]["mechanism"]["rate"],
        "0.05"
    );
    assert_eq!(req["inputs"]["transactions"]["name"], "transactions.csv");
    assert_eq!(req["inputs"]["transactions"]["csv"], TRANSACTIONS);
    assert_eq!(req["inputs"]["payees"]["csv"], PAYEES);
    assert!(req["inputs"].get("quotas").is_none());
    assert_eq!(req["options"]["closed_through"], Value::Null);
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn run_json_has_the_hand_numbers() {
    let dir = tiny("run-json", "p.yaml", PLAN_YAML);
    let o = payplan(&["run", p(&dir), "--json"]);
    ok(&o);
    let out: Value = serde_json::from_str(&stdout(&o)).expect("output is JSON");
    let amount = |payee, period| dec(&statement(&out, payee, period)["lines"][0]["amount"]);
    assert_eq!(amount("A", "2027-01"), Decimal::from_str("1.51").unwrap());
    assert_eq!(amount("A", "2027-02"), Decimal::from_str("2.50").unwrap());
    assert_eq!(amount("B", "2027-02"), Decimal::from_str("2.50").unwrap());
    assert_eq!(
        dec(&out["totals"][0]["net_payable"]),
        Decimal::from_str("6.51").unwrap()
    );
    // the same bytes as the core itself gives for the request the CLI built
    let req = payplan(&["request", p(&dir)]);
    ok(&req);
    let direct = payplan_core::run_json(&stdout(&req)).expect("core run");
    assert_eq!(stdout(&o).trim_end(), direct.trim_end());
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn run_prints_a_readable_summary() {
    let dir = tiny("run-text", "p.yaml", PLAN_YAML);
    let o = payplan(&["run", p(&dir)]);
    ok(&o);
    let text = stdout(&o);
    for want in [
        "A  Ana Tiny",
        "B  Ben Tiny",
        "2027-01",
        "Commission",
        "1.51",
        "4.01",
        "net payable",
        "Totals (EUR):",
        "6.51",
    ] {
        assert!(text.contains(want), "summary lacks {want:?}:\n{text}");
    }
    let o = payplan(&["run", p(&dir), "--short"]);
    ok(&o);
    let text = stdout(&o);
    let a_row = text
        .lines()
        .find(|l| l.starts_with("A "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        a_row.contains("1.51") && a_row.contains("2.50") && a_row.ends_with("4.01"),
        "{text}"
    );
    let o = payplan(&["run", p(&dir), "--payee", "B"]);
    ok(&o);
    let text = stdout(&o);
    assert!(
        text.contains("Ben Tiny") && !text.contains("Ana Tiny"),
        "{text}"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn validate_accepts_a_good_plan() {
    let dir = tiny("validate-ok", "p.yaml", PLAN_YAML);
    let o = payplan(&["validate", p(&dir.join("plans/p.yaml"))]);
    ok(&o);
    assert!(stdout(&o).starts_with("ok: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 component(s)"), "{}", stdout(&o));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn validate_lists_every_problem_with_its_path() {
    let dir = temp_dir("validate-bad");
    let bad = PLAN_YAML.replace(
        "mechanism: { type: rate, rate: 0.05 }",
        "mechanism:\n      type: rate_table\n      basis: value\n      method: marginal\n      per: period\n      tiers:\n        - { from: 0, rate: 0.05 }\n        - { from: 200, rate: 0.07 }\n        - { from: 100, rate: 0.06 }",
    );
    let path = dir.join("plans/bad.yaml");
    fs::write(&path, bad).unwrap();
    let o = payplan(&["validate", p(&path)]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error[tiers_out_of_order] at "), "{err}");
    assert!(err.contains("tiers[2].from"), "{err}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_bad_csv_cell_names_file_row_and_column() {
    let dir = tiny("bad-csv", "p.json", PLAN_JSON);
    fs::write(
        dir.join("transactions.csv"),
        TRANSACTIONS.replace("T2,booking,2027-01-12,10.05", "T2,booking,2027-01-12,10.O5"),
    )
    .unwrap();
    let o = payplan(&["run", p(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error[invalid_decimal] at transactions.csv row 3, column amount: "),
        "{err}"
    );
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn estimate_gives_the_change_of_one_deal() {
    // one more 200.00 booking for A in January: 230.15 × 5 % = 11.5075 → 11.51, +10.00
    let dir = tiny("estimate", "p.yaml", PLAN_YAML);
    let deal = dir.join("deal.json");
    fs::write(
        &deal,
        r#"{"id": "WHATIF", "kind": "booking", "date": "2027-01-25", "amount": "200.00", "currency": "EUR", "owner": "A"}"#,
    )
    .unwrap();
    let o = payplan(&["estimate", p(&dir), "--deal", p(&deal), "--json"]);
    ok(&o);
    let est: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(dec(&est["change"]), Decimal::from_str("10.00").unwrap());
    let o = payplan(&["estimate", p(&dir), "--deal", p(&deal)]);
    ok(&o);
    assert!(stdout(&o).contains("What-if WHATIF"), "{}", stdout(&o));
    assert!(stdout(&o).contains("10.00"), "{}", stdout(&o));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn the_example_company_runs() {
    let company = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/company");
    let o = payplan(&["run", p(&company), "--json"]);
    ok(&o);
    let out: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let statements = out["statements"].as_array().unwrap();
    let mut payees: Vec<&str> = statements
        .iter()
        .map(|s| s["payee"].as_str().unwrap())
        .collect();
    payees.dedup();
    assert_eq!(
        payees.len(),
        50,
        "every payee of the example company has statements"
    );
    assert!(dec(&out["totals"][0]["net_payable"]) > Decimal::ZERO);
    // the adjustments of adjustments.csv: 250 − 420.50 + 1000 + 1500 + 2000
    assert_eq!(
        dec(&out["totals"][0]["adjustments"]),
        Decimal::from_str("4329.50").unwrap()
    );
    let o = payplan(&["run", p(&company)]);
    ok(&o);
    assert!(
        stdout(&o).contains("Totals (EUR): 50 payees"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn schema_is_the_committed_plan_schema() {
    let o = payplan(&["schema"]);
    ok(&o);
    let schema: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(schema["title"], "Plan");
}
