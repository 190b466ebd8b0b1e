//! Engine tests on hand-worked cases (CASES.md), asserting line amounts.

use serde_json::{json, Value};

fn plan(period: &str, measures: Value, quotas: Value, components: Value, extra: Value) -> Value {
    let mut p = json!({
        "payplan": 1, "id": "p", "currency": "EUR",
        "calendar": {"year": 2027, "period": period},
        "measures": measures, "quotas": quotas, "components": components
    });
    if let (Some(obj), Some(more)) = (p.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            obj.insert(k.clone(), v.clone());
        }
    }
    p
}

fn run(request: Value) -> Value {
    let text =
        payplan_core::run_json(&request.to_string()).unwrap_or_else(|e| panic!("{}", e.to_json()));
    serde_json::from_str(&text).unwrap()
}

fn amounts(out: &Value, payee: &str) -> Vec<(String, String, String, String)> {
    out["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["payee"] == payee)
        .flat_map(|s| {
            s["lines"].as_array().unwrap().iter().map(move |l| {
                (
                    s["period"].as_str().unwrap().to_string(),
                    l["kind"].as_str().unwrap().to_string(),
                    l["id"].as_str().unwrap().to_string(),
                    l["amount"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

fn net(out: &Value, payee: &str, period: &str) -> String {
    out["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["payee"] == payee && s["period"] == period)
        .map(|s| s["net_payable"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn tiers_request(method: &str, amount: &str, boundary: &str) -> Value {
    json!({
        "plan": plan("quarter", json!([{"id": "bookings"}]), json!([{"measure": "bookings", "per_period": "100000"}]),
            json!([{"id": "c", "measure": "bookings", "mechanism": {"type": "rate_table", "method": method,
                "tiers": [{"from": 0, "rate": "0.10"}, {"from": "1.0", "rate": "0.15"}, {"from": "1.2", "rate": "0.20"}]}}]),
            json!({"tier_boundary": boundary})),
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
                   "transactions": [{"id": "T1", "date": "2027-02-01", "amount": amount, "owner": "A"}]}
    })
}

#[test]
fn case_1_flat_rate_rounding_points() {
    for (at, expect) in [("line", "1.51"), ("transaction", "1.50")] {
        let req = json!({
            "plan": plan("month", json!([{"id": "b"}]), json!([]),
                json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.05"}}]),
                json!({"rounding": {"scale": 2, "at": at}})),
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
                "transactions": [
                    {"id": "T1", "date": "2027-01-05", "amount": "10.05", "owner": "A"},
                    {"id": "T2", "date": "2027-01-06", "amount": "10.05", "owner": "A"},
                    {"id": "T3", "date": "2027-01-07", "amount": "10.05", "owner": "A"}]}
        });
        assert_eq!(net(&run(req), "A", "2027-01"), expect, "rounding at {at}");
    }
}

#[test]
fn cases_2_and_3_tiers() {
    assert_eq!(
        net(
            &run(tiers_request("marginal", "130000", "upper")),
            "A",
            "2027-Q1"
        ),
        "15000.00"
    );
    assert_eq!(
        net(
            &run(tiers_request("retroactive", "130000", "upper")),
            "A",
            "2027-Q1"
        ),
        "26000.00"
    );
    assert_eq!(
        net(
            &run(tiers_request("retroactive", "120000", "upper")),
            "A",
            "2027-Q1"
        ),
        "24000.00"
    );
    assert_eq!(
        net(
            &run(tiers_request("retroactive", "120000", "lower")),
            "A",
            "2027-Q1"
        ),
        "18000.00"
    );
    assert_eq!(
        net(
            &run(tiers_request("marginal", "120000", "lower")),
            "A",
            "2027-Q1"
        ),
        "13000.00"
    );
    assert_eq!(
        net(
            &run(tiers_request("marginal", "120000", "upper")),
            "A",
            "2027-Q1"
        ),
        "13000.00"
    );
}

#[test]
fn case_4_curve() {
    let payees: Vec<Value> = ["A", "B", "C", "D"]
        .iter()
        .map(|p| json!({"id": p}))
        .collect();
    let assignments: Vec<Value> = ["A", "B", "C", "D"]
        .iter()
        .map(|p| json!({"payee": p, "plan": "p", "target_incentive": "40000"}))
        .collect();
    let txns = json!([
        {"id": "T1", "date": "2027-01-10", "amount": "80000", "owner": "A"},
        {"id": "T2", "date": "2027-01-10", "amount": "130000", "owner": "B"},
        {"id": "T3", "date": "2027-01-10", "amount": "180000", "owner": "C"},
        {"id": "T4", "date": "2027-01-10", "amount": "45000", "owner": "D"}]);
    let req = json!({
        "plan": plan("quarter", json!([{"id": "b"}]), json!([{"measure": "b", "per_period": 100000}]),
            json!([{"id": "c", "measure": "b", "mechanism": {"type": "curve", "max_payout": 2,
                "points": [{"attainment": 0.5, "payout": 0.25}, {"attainment": 1, "payout": 1}, {"attainment": 1.5, "payout": 2}]}}]),
            json!({})),
        "inputs": {"payees": payees, "assignments": assignments, "transactions": txns}
    });
    let out = run(req);
    assert_eq!(net(&out, "A", "2027-Q1"), "7000.00");
    assert_eq!(net(&out, "B", "2027-Q1"), "16000.00");
    assert_eq!(net(&out, "C", "2027-Q1"), "20000.00");
    assert_eq!(net(&out, "D", "2027-Q1"), "0.00");
}

#[test]
fn case_5_weights_and_gate() {
    let req = json!({
        "plan": plan("quarter",
            json!([{"id": "revenue"}, {"id": "logos", "kinds": ["new_logo"], "aggregate": "count"}]),
            json!([{"measure": "revenue", "per_period": 250000}, {"measure": "logos", "per_period": 4}]),
            json!([
                {"id": "rev", "measure": "revenue", "weight": "0.7", "mechanism": {"type": "curve", "above": "extend", "points": [{"attainment": 0, "payout": 0}, {"attainment": 1, "payout": 1}]}},
                {"id": "logo", "measure": "logos", "weight": "0.3", "gates": [{"measure": "revenue", "min_attainment": "0.9"}],
                 "mechanism": {"type": "curve", "above": "extend", "points": [{"attainment": 0, "payout": 0}, {"attainment": 1, "payout": 1}]}}]),
            json!({})),
        "inputs": {
            "payees": [{"id": "A"}, {"id": "B"}],
            "assignments": [{"payee": "A", "plan": "p", "target_incentive": 60000}, {"payee": "B", "plan": "p", "target_incentive": 60000}],
            "transactions": [
                {"id": "A1", "date": "2027-01-10", "amount": "275000", "owner": "A"},
                {"id": "A2", "kind": "new_logo", "date": "2027-01-11", "owner": "A"},
                {"id": "A3", "kind": "new_logo", "date": "2027-01-12", "owner": "A"},
                {"id": "A4", "kind": "new_logo", "date": "2027-01-13", "owner": "A"},
                {"id": "B1", "date": "2027-01-10", "amount": "200000", "owner": "B"},
                {"id": "B2", "kind": "new_logo", "date": "2027-01-11", "owner": "B"},
                {"id": "B3", "kind": "new_logo", "date": "2027-01-12", "owner": "B"},
                {"id": "B4", "kind": "new_logo", "date": "2027-01-13", "owner": "B"},
                {"id": "B5", "kind": "new_logo", "date": "2027-01-14", "owner": "B"}]}
    });
    let out = run(req);
    assert_eq!(net(&out, "A", "2027-Q1"), "14925.00");
    assert_eq!(net(&out, "B", "2027-Q1"), "8400.00");
    let b = amounts(&out, "B");
    assert!(b.contains(&(
        "2027-Q1".into(),
        "component".into(),
        "logo".into(),
        "0.00".into()
    )));
}

#[test]
fn case_8_ytd_true_up() {
    let req = json!({
        "plan": plan("quarter", json!([{"id": "b"}]), json!([{"measure": "b", "annual": 400000}]),
            json!([{"id": "c", "measure": "b", "cumulative": "year", "mechanism": {"type": "rate_table", "method": "retroactive",
                "tiers": [{"from": 0, "rate": "0.08"}, {"from": 1, "rate": "0.12"}]}}]), json!({})),
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
            "transactions": [
                {"id": "Q1", "date": "2027-02-01", "amount": "90000", "owner": "A"},
                {"id": "Q2", "date": "2027-05-01", "amount": "150000", "owner": "A"},
                {"id": "Q3", "date": "2027-08-01", "amount": "40000", "owner": "A"},
                {"id": "Q4", "date": "2027-11-01", "amount": "200000", "owner": "A"}]}
    });
    let out = run(req);
    let got: Vec<String> = (1..=4)
        .map(|q| net(&out, "A", &format!("2027-Q{q}")))
        .collect();
    assert_eq!(got, ["7200.00", "21600.00", "0.00", "28800.00"]);
}

#[test]
fn case_9_ramp() {
    let req = json!({
        "plan": plan("quarter", json!([{"id": "b"}]), json!([{"measure": "b", "per_month": 30000, "ramp": [0.25, 0.5, 0.75]}]),
            json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate_table", "method": "retroactive",
                "tiers": [{"from": 0, "rate": "0.10"}, {"from": 1, "rate": "0.15"}]}}]), json!({})),
        "inputs": {"payees": [{"id": "A", "hire_date": "2027-02-15"}], "assignments": [{"payee": "A", "plan": "p"}],
            "transactions": [{"id": "T", "date": "2027-03-01", "amount": "22500", "owner": "A"}]}
    });
    let out = run(req);
    let s = &out["statements"][0];
    assert_eq!(s["lines"][0]["quota"], "18750.00");
    assert_eq!(s["lines"][0]["attainment"], "1.2000");
    assert_eq!(s["net_payable"], "3375.00");
}

#[test]
fn case_10_draws() {
    for (kind, expect) in [
        ("recoverable", ["3000.00", "3000.00", "5500.00"]),
        ("non_recoverable", ["3000.00", "4500.00", "6000.00"]),
    ] {
        let req = json!({
            "plan": plan("month", json!([{"id": "b"}]), json!([]),
                json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "1"}}]),
                json!({"draw": {"amount": 3000, "kind": kind}})),
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
                "transactions": [
                    {"id": "J", "date": "2027-01-10", "amount": "1000", "owner": "A"},
                    {"id": "F", "date": "2027-02-10", "amount": "4500", "owner": "A"},
                    {"id": "M", "date": "2027-03-10", "amount": "6000", "owner": "A"}]}
        });
        let out = run(req);
        let got: Vec<String> = ["2027-01", "2027-02", "2027-03"]
            .iter()
            .map(|m| net(&out, "A", m))
            .collect();
        assert_eq!(got, expect, "{kind}");
    }
}

#[test]
fn case_11_and_13_clawback_and_holdback() {
    let base = |cancel: &str| {
        json!({
            "plan": plan("month", json!([{"id": "b"}]), json!([]),
                json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.10"}}]),
                json!({"clawback": {"window_days": 90}})),
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
                "transactions": [
                    {"id": "D", "date": "2027-01-10", "amount": "50000", "owner": "A"},
                    {"id": "X", "kind": "cancellation", "date": cancel, "reference": "D"}]}
        })
    };
    let out = run(base("2027-03-05"));
    assert_eq!(net(&out, "A", "2027-01"), "5000.00");
    assert_eq!(net(&out, "A", "2027-03"), "-5000.00");
    let out = run(base("2027-05-01"));
    assert_eq!(net(&out, "A", "2027-05"), "0.00");

    let req = json!({
        "plan": plan("month", json!([{"id": "b"}]), json!([]),
            json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.10"}}]),
            json!({"holdback": {"share": "0.2", "release": "payment"}})),
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
            "transactions": [
                {"id": "D", "date": "2027-01-10", "amount": "50000", "owner": "A"},
                {"id": "P", "kind": "payment", "date": "2027-02-20", "reference": "D"}]}
    });
    let out = run(req);
    assert_eq!(net(&out, "A", "2027-01"), "4000.00");
    assert_eq!(net(&out, "A", "2027-02"), "1000.00");
}

#[test]
fn recalculating_with_the_payments_a_run_produced_gives_the_same_statements() {
    let mut req = json!({
        "plan": plan("quarter", json!([{"id": "b"}]), json!([{"measure": "b", "annual": 400000}]),
            json!([{"id": "c", "measure": "b", "cumulative": "year", "mechanism": {"type": "rate_table", "method": "retroactive",
                "tiers": [{"from": 0, "rate": "0.08"}, {"from": 1, "rate": "0.12"}]}}]), json!({})),
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
            "transactions": [
                {"id": "Q1", "date": "2027-02-01", "amount": "90000", "owner": "A"},
                {"id": "Q2", "date": "2027-05-01", "amount": "150000", "owner": "A"},
                {"id": "Q3", "date": "2027-08-01", "amount": "40000", "owner": "A"},
                {"id": "Q4", "date": "2027-11-01", "amount": "200000", "owner": "A"}]}
    });
    let full = run(req.clone());
    for through in 1..=3usize {
        let payments: Vec<Value> = full["statements"].as_array().unwrap()[..through]
            .iter()
            .map(|s| json!({"payee": "A", "period": s["period"], "component": "c", "amount": s["lines"][0]["amount"], "closed": true}))
            .collect();
        req["inputs"]["payments"] = json!(payments);
        req["options"] = json!({"closed_through": format!("2027-Q{through}")});
        let again = run(req.clone());
        for q in 0..4 {
            let (a, b) = (&full["statements"][q], &again["statements"][q]);
            assert_eq!(
                a["net_payable"],
                b["net_payable"],
                "Q{} closed through Q{through}",
                q + 1
            );
            if q >= through {
                assert_eq!(a["lines"], b["lines"], "open Q{} unchanged", q + 1);
            } else {
                assert_eq!(b["status"], "closed");
            }
        }
        assert_eq!(again["reconciliation"], json!([]));
    }
}

#[test]
fn case_7_overrides_and_case_12_fx() {
    let req = json!({
        "plan": plan("quarter", json!([{"id": "direct", "credit": "direct_reports"}, {"id": "all", "credit": "all_reports"}]), json!([]),
            json!([{"id": "m", "measure": "direct", "mechanism": {"type": "rate", "rate": "0.02"}},
                   {"id": "d", "measure": "all", "mechanism": {"type": "rate", "rate": "0.01"}}]), json!({})),
        "inputs": {
            "payees": [{"id": "D"}, {"id": "M", "manager": "D"}, {"id": "A", "manager": "M"}, {"id": "B", "manager": "M"}],
            "assignments": [{"payee": "D", "plan": "p"}, {"payee": "M", "plan": "p"}],
            "transactions": [
                {"id": "T1", "date": "2027-01-10", "amount": "50000", "owner": "A"},
                {"id": "T2", "date": "2027-01-11", "amount": "30000", "owner": "B"},
                {"id": "T3", "date": "2027-01-12", "amount": "10000", "owner": "M"}]}
    });
    let out = run(req);
    let m = amounts(&out, "M");
    assert!(m.contains(&(
        "2027-Q1".into(),
        "component".into(),
        "m".into(),
        "1600.00".into()
    )));
    let d = amounts(&out, "D");
    assert!(d.contains(&(
        "2027-Q1".into(),
        "component".into(),
        "d".into(),
        "900.00".into()
    )));

    let req = json!({
        "plan": plan("month", json!([{"id": "b"}]), json!([]),
            json!([{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.10"}}]), json!({})),
        "inputs": {"payees": [{"id": "A", "currency": "EUR"}], "assignments": [{"payee": "A", "plan": "p"}],
            "transactions": [{"id": "T", "date": "2027-03-15", "amount": "10000", "currency": "USD", "owner": "A"}],
            "fx_rates": [{"from": "USD", "to": "EUR", "rate": "0.90", "effective": "2027-03-20"},
                         {"from": "USD", "to": "EUR", "rate": "0.92", "effective": "2027-03-01"}]}
    });
    assert_eq!(net(&run(req), "A", "2027-03"), "920.00");
}

#[test]
fn bad_inputs_name_their_path() {
    let err = payplan_core::run_json(
        r#"{"plan": {"payplan": 2, "id": "p", "currency": "EUR", "calendar": {"year": 2027}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unsupported_version", "plan.payplan")
    );
    let err = payplan_core::run_json(r#"{"plan": {"payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027},
        "measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate_table",
        "tiers": [{"from": 0, "to": "1.2", "rate": "0.1"}, {"from": 1, "rate": "0.2"}]}}, {"id": "d", "measure": "x",
        "mechanism": {"type": "rate"}}]}}"#).unwrap_err();
    let problems: Vec<(&str, String)> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.path.clone()))
        .collect();
    assert_eq!(
        problems,
        vec![
            (
                "tiers_overlap",
                "plan.components[0].mechanism.tiers[0].to".to_string()
            ),
            (
                "unknown_reference",
                "plan.components[1].measure".to_string()
            ),
            (
                "missing_field",
                "plan.components[1].mechanism.rate".to_string()
            ),
        ]
    );
    assert_eq!(err.category(), "plan");
}

#[test]
fn curve_rounds_an_exact_half_cent_as_declared() {
    // attainment 1/3 (not a finite decimal); 30.05 target × 0.3 weight × 1/3 = 3.005 exactly → 3.01.
    let req = json!({
        "plan": plan("month", json!([{"id": "b"}]), json!([{"measure": "b", "per_month": 3}]),
            json!([{"id": "c", "measure": "b", "weight": "0.3", "mechanism": {"type": "curve", "above": "extend",
                "points": [{"attainment": 0, "payout": 0}, {"attainment": 1, "payout": 1}]}},
                   {"id": "i", "measure": "b", "weight": "0.3", "mechanism": {"type": "rate_table", "method": "interpolated", "basis": "attainment",
                "tiers": [{"from": 0, "rate": 0}, {"from": 1, "rate": "30.05"}]}}]), json!({})),
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p", "target_incentive": "360.60"}],
            "transactions": [{"id": "T", "date": "2027-01-10", "amount": "1", "owner": "A"}]}
    });
    let out = run(req);
    let a = amounts(&out, "A");
    assert!(
        a.contains(&(
            "2027-01".into(),
            "component".into(),
            "c".into(),
            "3.01".into()
        )),
        "{a:?}"
    );
    // interpolated: rate at 1/3 = 30.05/3; × 1 × 0.3 = 3.005 → 3.01
    assert!(
        a.contains(&(
            "2027-01".into(),
            "component".into(),
            "i".into(),
            "3.01".into()
        )),
        "{a:?}"
    );
}
