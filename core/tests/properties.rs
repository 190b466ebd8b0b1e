//! Property tests of the engine's invariants.

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

fn base_plan(period: &str, component: Value, extra: Value) -> Value {
    let mut p = json!({
        "payplan": 1, "id": "p", "currency": "EUR",
        "calendar": {"year": 2027, "period": period},
        "measures": [{"id": "b"}],
        "quotas": [{"measure": "b", "per_period": "100000"}],
        "components": [component]
    });
    for (k, v) in extra.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

fn run(req: &Value) -> Value {
    let text =
        payplan_core::run_json(&req.to_string()).unwrap_or_else(|e| panic!("{}", e.to_json()));
    serde_json::from_str(&text).unwrap()
}

fn nets(out: &Value) -> Vec<Decimal> {
    out["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| d(s["net_payable"].as_str().unwrap()))
        .collect()
}

fn company(txns: &[(u8, u8, i64)], payees: u8) -> Value {
    let payees_json: Vec<Value> = (0..payees)
        .map(|i| {
            if i == 0 {
                json!({"id": "P0"})
            } else {
                json!({"id": format!("P{i}"), "manager": "P0"})
            }
        })
        .collect();
    let assignments: Vec<Value> = (0..payees)
        .map(|i| json!({"payee": format!("P{i}"), "plan": "p", "target_incentive": "12000"}))
        .collect();
    let transactions: Vec<Value> = txns
        .iter()
        .enumerate()
        .map(|(k, (who, month, c))| {
            json!({"id": format!("T{k:04}"), "date": format!("2027-{:02}-{:02}", month % 12 + 1, (k % 28) + 1),
                   "amount": cents(*c), "owner": format!("P{}", who % payees)})
        })
        .collect();
    json!({
        "plan": {
            "payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027, "period": "month"},
            "measures": [{"id": "b"}, {"id": "team", "credit": "all_reports"}],
            "quotas": [{"measure": "b", "per_month": "10000"}],
            "components": [
                {"id": "c", "measure": "b", "cumulative": "year", "mechanism": {"type": "rate_table", "method": "marginal",
                  "tiers": [{"from": 0, "rate": "0.05"}, {"from": 1, "rate": "0.08"}]}},
                {"id": "o", "measure": "team", "mechanism": {"type": "rate", "rate": "0.01"}}
            ]
        },
        "inputs": {"payees": payees_json, "assignments": assignments, "transactions": transactions}
    })
}

fn shuffled(mut v: Value, seed: u64) -> Value {
    let mut s = seed | 1;
    for table in ["payees", "assignments", "transactions"] {
        let rows = v["inputs"][table].as_array_mut().unwrap();
        for i in (1..rows.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            rows.swap(i, (s % (i as u64 + 1)) as usize);
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn split_credits_sum_to_the_deal(amount in 1i64..10_000_000_000, parts in proptest::collection::vec(1u32..1000, 1..6)) {
        let total: u32 = parts.iter().sum();
        let mut shares: Vec<Decimal> = parts.iter().map(|p| Decimal::from(*p) / Decimal::from(total)).collect();
        // Shares must sum to exactly 1: put the rounding remainder on the last one.
        let sum: Decimal = shares[..shares.len() - 1].iter().sum();
        let last = shares.len() - 1;
        shares[last] = Decimal::ONE - sum;
        prop_assume!(shares.iter().all(|s| *s > Decimal::ZERO));
        let splits: Vec<Value> = shares.iter().enumerate().map(|(i, s)| json!({"payee": format!("S{i}"), "share": s.to_string()})).collect();
        let payees: Vec<Value> = (0..shares.len()).map(|i| json!({"id": format!("S{i}")})).collect();
        let assignments: Vec<Value> = (0..shares.len()).map(|i| json!({"payee": format!("S{i}"), "plan": "p"})).collect();
        let req = json!({
            "plan": base_plan("month", json!({"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "1"}}), json!({})),
            "inputs": {"payees": payees, "assignments": assignments,
                       "transactions": [{"id": "T", "date": "2027-01-05", "amount": cents(amount), "splits": splits}]}
        });
        let out = run(&req);
        let mut credited = Decimal::ZERO;
        for s in out["statements"].as_array().unwrap().iter().filter(|s| s["period"] == "2027-01") {
            let step = s["lines"][0]["trace"].as_array().unwrap().iter().find(|t| t["step"] == "measure").unwrap();
            credited += d(step["value"].as_str().unwrap());
        }
        prop_assert_eq!(credited, Decimal::new(amount, 2));
    }

    #[test]
    fn row_order_reruns_and_threads_never_change_bytes(
        txns in proptest::collection::vec((0u8..6, 0u8..12, 1i64..5_000_000), 1..40), seed in any::<u64>()) {
        let req = company(&txns, 5);
        let a = payplan_core::run_json(&req.to_string()).unwrap();
        let b = payplan_core::run_json(&shuffled(req.clone(), seed).to_string()).unwrap();
        prop_assert_eq!(&a, &b);
        let again = payplan_core::run_json(&req.to_string()).unwrap();
        prop_assert_eq!(&a, &again);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let single = pool.install(|| payplan_core::run_json(&req.to_string()).unwrap());
        prop_assert_eq!(&a, &single);
    }

    #[test]
    fn caps_and_floors_hold(amounts in proptest::collection::vec(0i64..50_000_000, 1..10)) {
        let txns: Vec<Value> = amounts.iter().enumerate().map(|(k, c)| json!({"id": format!("T{k}"), "date": format!("2027-{:02}-10", k % 12 + 1), "amount": cents(*c), "owner": "A"})).collect();
        let req = json!({
            "plan": base_plan("month", json!({"id": "c", "measure": "b", "cap": "1500", "floor": "100",
                "mechanism": {"type": "rate", "rate": "0.1"}}), json!({"cap": "1200"})),
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}], "transactions": txns}
        });
        let out = run(&req);
        for s in out["statements"].as_array().unwrap() {
            let line = d(s["lines"][0]["amount"].as_str().unwrap());
            prop_assert!(line <= d("1500") && line >= d("100"));
            prop_assert!(d(s["earned"].as_str().unwrap()) <= d("1200"));
        }
    }

    #[test]
    fn marginal_never_decreases_and_retroactive_is_rate_times_measure(a in 0i64..40_000_000, extra in 0i64..10_000_000) {
        let tiers = json!([{"from": 0, "rate": "0.10"}, {"from": "1.0", "rate": "0.15"}, {"from": "1.2", "rate": "0.20"}]);
        let req = |method: &str, c: i64| json!({
            "plan": base_plan("quarter", json!({"id": "c", "measure": "b", "mechanism": {"type": "rate_table", "method": method, "tiers": tiers}}), json!({"rounding": {"scale": 6}})),
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}],
                       "transactions": [{"id": "T", "date": "2027-01-10", "amount": cents(c), "owner": "A"}]}
        });
        let lo = nets(&run(&req("marginal", a)))[0];
        let hi = nets(&run(&req("marginal", a + extra)))[0];
        prop_assert!(hi >= lo);
        let retro = nets(&run(&req("retroactive", a)))[0];
        let value = Decimal::new(a, 2);
        let rate = if value >= d("120000") { d("0.20") } else if value >= d("100000") { d("0.15") } else { d("0.10") };
        prop_assert_eq!(retro, (value * rate).round_dp(6));
    }

    #[test]
    fn cumulative_year_pays_year_end_earned(q in proptest::collection::vec(0i64..20_000_000, 4)) {
        let txns: Vec<Value> = q.iter().enumerate().map(|(k, c)| json!({"id": format!("Q{k}"), "date": format!("2027-{:02}-15", k * 3 + 1), "amount": cents(*c), "owner": "A"})).collect();
        let req = json!({
            "plan": {"payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027, "period": "quarter"},
                "measures": [{"id": "b"}], "quotas": [{"measure": "b", "annual": "400000"}],
                "components": [{"id": "c", "measure": "b", "cumulative": "year", "mechanism": {"type": "rate_table", "method": "retroactive",
                    "tiers": [{"from": 0, "rate": "0.08"}, {"from": 1, "rate": "0.12"}]}}]},
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}], "transactions": txns}
        });
        let out = run(&req);
        let paid: Decimal = nets(&out).iter().sum();
        let year: Decimal = q.iter().map(|c| Decimal::new(*c, 2)).sum();
        let rate = if year >= d("400000") { d("0.12") } else { d("0.08") };
        let earned = (year * rate).round_dp(2);
        // Over-payments are carried, never reclaimed: the year pays max(earned, paid so far).
        prop_assert!(paid >= earned);
        let last_to_date = out["statements"][3]["lines"][0]["trace"].as_array().unwrap().iter().find(|t| t["step"] == "to_date").unwrap();
        if d(last_to_date["value"].as_str().unwrap()) > Decimal::ZERO {
            prop_assert_eq!(paid, earned);
        }
    }

    #[test]
    fn draw_balance_is_conserved(e in proptest::collection::vec(0i64..1_000_000, 12)) {
        let txns: Vec<Value> = e.iter().enumerate().map(|(k, c)| json!({"id": format!("M{k}"), "date": format!("2027-{:02}-10", k + 1), "amount": cents(*c), "owner": "A"})).collect();
        let req = json!({
            "plan": {"payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027, "period": "month"},
                "measures": [{"id": "b"}], "draw": {"amount": "3000", "kind": "recoverable"},
                "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "1"}}]},
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}], "transactions": txns}
        });
        let out = run(&req);
        let mut balance = Decimal::ZERO;
        for (k, s) in out["statements"].as_array().unwrap().iter().enumerate() {
            let paid = d(s["net_payable"].as_str().unwrap());
            let earned = Decimal::new(e[k], 2);
            let next = d(s["draw_balance"].as_str().unwrap());
            prop_assert_eq!(paid - earned, next - balance);
            prop_assert!(paid >= d("3000"));
            prop_assert!(next >= Decimal::ZERO);
            balance = next;
        }
    }
}

#[test]
fn clawback_then_rebooking_nets_to_zero() {
    let req = json!({
        "plan": {"payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027, "period": "month"},
            "measures": [{"id": "b"}], "clawback": {"window_days": 90},
            "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
        "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}], "transactions": [
            {"id": "D", "date": "2027-01-10", "amount": "50000", "owner": "A"},
            {"id": "X", "kind": "cancellation", "date": "2027-02-01", "reference": "D"},
            {"id": "D2", "date": "2027-02-15", "amount": "50000", "owner": "A"}]}
    });
    let out = run(&req);
    let total: Decimal = nets(&out).iter().sum();
    assert_eq!(
        total,
        d("5000"),
        "one deal's commission once: paid, clawed back, paid again"
    );
    let feb = &out["statements"][1];
    assert_eq!(feb["net_payable"], "0.00");
}

#[test]
fn a_closed_statement_never_changes() {
    let mk = |extra_deal: bool| {
        let mut txns =
            vec![json!({"id": "T1", "date": "2027-01-10", "amount": "1000", "owner": "A"})];
        if extra_deal {
            txns.push(json!({"id": "T0", "date": "2027-01-20", "amount": "500", "owner": "A"}));
        }
        json!({
            "plan": {"payplan": 1, "id": "p", "currency": "EUR", "calendar": {"year": 2027, "period": "month"},
                "measures": [{"id": "b"}],
                "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
            "inputs": {"payees": [{"id": "A"}], "assignments": [{"payee": "A", "plan": "p"}], "transactions": txns,
                "payments": [{"payee": "A", "period": "2027-01", "component": "c", "amount": "100.00", "closed": true}]},
            "options": {"closed_through": "2027-01"}
        })
    };
    let before = run(&mk(false));
    let after = run(&mk(true));
    assert_eq!(
        before["statements"][0], after["statements"][0],
        "January is closed"
    );
    let feb = &after["statements"][1];
    let true_up = feb["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "true_up")
        .unwrap();
    assert_eq!(true_up["amount"], "50.00");
    assert_eq!(after["reconciliation"][0]["difference"], "50.00");
    assert_eq!(after["reconciliation"][0]["fixed_in"], "2027-02");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Nothing a user can type crashes the engine: any edit of a valid request gives a run or an error.
    #[test]
    fn edited_requests_never_panic(pos in any::<prop::sample::Index>(), with in "[0-9a-z\\-\\.\":,{}\\[\\] ]{0,4}") {
        let req = json!({
            "plan": base_plan("quarter", json!({"id": "c", "measure": "b", "cap": "9000", "mechanism": {"type": "rate_table", "method": "retroactive",
                "tiers": [{"from": 0, "rate": "0.10"}, {"from": "1.0", "rate": "0.15"}]}}),
                json!({"draw": {"amount": "100"}, "clawback": {"window_days": 30}, "holdback": {"share": "0.1", "after_days": 20}})),
            "inputs": {"payees": [{"id": "A", "hire_date": "2027-02-10", "manager": "M"}, {"id": "M"}],
                "assignments": [{"payee": "A", "plan": "p", "target_incentive": "1000"}, {"payee": "M", "plan": "p"}],
                "transactions": [{"id": "T1", "date": "2027-03-10", "amount": "99999.99", "splits": [{"payee": "A", "share": "0.5"}, {"payee": "M", "share": "0.5"}]},
                                 {"id": "X", "kind": "cancellation", "date": "2027-03-20", "reference": "T1"}],
                "adjustments": [{"payee": "A", "period": "2027-Q2", "amount": "5", "reason": "r", "approver": "x"}]}
        }).to_string();
        let i = pos.index(req.len());
        let mut edited = String::with_capacity(req.len() + with.len());
        edited.push_str(&req[..i]);
        edited.push_str(&with);
        edited.push_str(&req[(i + 1).min(req.len())..]);
        match payplan_core::run_json(&edited) {
            Ok(out) => prop_assert!(out.starts_with('{'), "output is a JSON object"),
            Err(e) => prop_assert!(!e.code().is_empty()),
        }
    }
}

/// Every line of a full run, by (payee, period, kind, id): (amount, explanation, trace).
fn lines_of(out: &Value) -> std::collections::BTreeMap<(String, String, String, String), Value> {
    let mut m = std::collections::BTreeMap::new();
    for s in out["statements"].as_array().unwrap() {
        for l in s["lines"].as_array().unwrap() {
            let key = (
                s["payee"].as_str().unwrap().to_string(),
                s["period"].as_str().unwrap().to_string(),
                l["kind"].as_str().unwrap().to_string(),
                l["id"].as_str().unwrap().to_string(),
            );
            m.insert(
                key,
                json!([l["amount"], l["explanation"], l["trace"], l["name"]]),
            );
        }
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// A what-if on a prepared engine (kept lines, statements before the deal left out, the
    /// per-payee cache) says exactly what a full rerun with the deal says: every changed line,
    /// with the rerun's amount, explanation and trace, and each payee's change of net payable.
    #[test]
    fn what_if_equals_a_full_rerun(
        txns in proptest::collection::vec((0u8..6, 0u8..12, 0i64..3_000_000), 0..30),
        deal in (0u8..6, 0u8..12, 1i64..5_000_000),
        warm in (0u8..6, 0u8..12, 1i64..5_000_000),
        variant in 0u8..4,
    ) {
        let mut req = company(&txns, 6);
        match variant {
            1 => {
                // A draw carries a balance through the year; a gate and a plan cap.
                req["plan"]["draw"] = json!({"kind": "recoverable", "amount": "300"});
                req["plan"]["cap"] = json!("2500");
                req["plan"]["components"][1]["gates"] = json!([{"measure": "b", "min_value": "5000"}]);
            }
            2 => {
                req["plan"]["quotas"] = json!([{"measure": "b", "per_month": "10000"}, {"measure": "team", "per_month": "30000"}]);
                req["plan"]["components"][1]["mechanism"] = json!({"type": "curve",
                    "points": [{"attainment": "0.5", "payout": "0.25"}, {"attainment": "1", "payout": "1"}, {"attainment": "2", "payout": "2"}]});
                req["plan"]["components"][1]["weight"] = json!("0.3");
            }
            3 => {
                // Holdbacks released after 45 days: a deal's share depends on its period's others.
                req["plan"]["holdback"] = json!({"share": "0.25", "release": "time", "after_days": 45});
            }
            _ => {}
        }
        let engine = payplan_core::Engine::from_json(&req.to_string()).unwrap();
        let deal_json = |(who, month, c): (u8, u8, i64), id: &str| json!({"id": id, "date": format!("2027-{:02}-15", month + 1),
            "amount": cents(c), "owner": format!("P{}", who % 6)});
        // A first what-if fills the cache for some payees; the second must not be affected by it.
        engine.estimate_json(&deal_json(warm, "W0").to_string()).unwrap();
        let est: Value = serde_json::from_str(&engine.estimate_json(&deal_json(deal, "W1").to_string()).unwrap()).unwrap();

        let before = run(&req);
        let mut with = req.clone();
        with["inputs"]["transactions"].as_array_mut().unwrap().push(deal_json(deal, "W1"));
        let after = run(&with);
        let (b, a) = (lines_of(&before), lines_of(&after));
        let mut want = std::collections::BTreeMap::new();
        for (key, now) in &a {
            let was = b.get(key).map(|v| d(v[0].as_str().unwrap())).unwrap_or_default();
            if d(now[0].as_str().unwrap()) != was {
                want.insert(key.clone(), json!([now[0], now[1], now[2]]));
            }
        }
        for (key, was) in &b {
            if !a.contains_key(key) && !d(was[0].as_str().unwrap()).is_zero() {
                let gone = format!("{} no longer applies.", was[3].as_str().unwrap());
                want.insert(key.clone(), json!(["0.00", gone, []]));
            }
        }
        let mut got = std::collections::BTreeMap::new();
        for l in est["lines"].as_array().unwrap() {
            let key = (l["payee"].as_str().unwrap().to_string(), l["period"].as_str().unwrap().to_string(),
                       l["kind"].as_str().unwrap().to_string(), l["id"].as_str().unwrap().to_string());
            got.insert(key, json!([l["after"], l["explanation"], l["trace"]]));
        }
        prop_assert_eq!(got, want);
        let net_of = |out: &Value, who: &str| -> Decimal {
            out["statements"].as_array().unwrap().iter()
                .filter(|s| s["payee"] == who)
                .map(|s| d(s["net_payable"].as_str().unwrap()))
                .sum()
        };
        let mut total = Decimal::ZERO;
        for p in est["payees"].as_array().unwrap() {
            let who = p["payee"].as_str().unwrap();
            let change = net_of(&after, who) - net_of(&before, who);
            prop_assert_eq!(d(p["change"].as_str().unwrap()), change, "payee {}", who);
            prop_assert_eq!(d(p["before"].as_str().unwrap()), net_of(&before, who));
            total += change;
        }
        prop_assert_eq!(d(est["change"].as_str().unwrap()), total);
    }
}
