//! Human-readable views of the core's canonical output. Every number printed is a decimal
//! string from the output (or an exact decimal sum of them); nothing goes through floats.

use std::fmt::Write;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn dec(v: &Value, key: &str) -> Decimal {
    Decimal::from_str(&s(v, key)).unwrap_or_default()
}

/// `1234567.5` → `1,234,567.5` (string manipulation only).
pub fn group(amount: &str) -> String {
    let (sign, rest) = match amount.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", amount),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return amount.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn money(d: Decimal, scale: u32) -> String {
    let mut d = d;
    d.rescale(scale);
    group(&d.to_string())
}

/// `0.0476` → `4.76 %` (exact: a decimal times 100).
fn percent(share: &str) -> String {
    match Decimal::from_str(share) {
        Ok(d) => {
            let mut p = d * Decimal::ONE_HUNDRED;
            p.rescale(2);
            format!("{p} %")
        }
        Err(_) => share.to_string(),
    }
}

fn scale_of(amount: &str) -> u32 {
    amount
        .split_once('.')
        .map(|(_, f)| f.len() as u32)
        .unwrap_or(0)
}

fn empty() -> &'static Vec<Value> {
    static EMPTY: Vec<Value> = Vec::new();
    &EMPTY
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v.get(key).and_then(Value::as_array).unwrap_or(empty())
}

const AMOUNT_WIDTH: usize = 14;

/// The statement summary of a run: per payee and period the lines and net payable,
/// then the payee's year, then the run's totals and warnings.
pub fn run(out: &Value, names: &[(String, String)], only: Option<&str>, detail: bool) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} · fingerprint {}",
        s(out, "engine"),
        s(out, "fingerprint").chars().take(16).collect::<String>()
    );
    let name_of = |id: &str| {
        names
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or("")
    };

    // statements are sorted by (payee, period) already; keep that order
    let mut by_payee: Vec<(String, Vec<&Value>)> = Vec::new();
    for st in arr(out, "statements") {
        let p = s(st, "payee");
        if only.is_some_and(|o| o != p) {
            continue;
        }
        match by_payee.last_mut() {
            Some((last, list)) if *last == p => list.push(st),
            _ => by_payee.push((p, vec![st])),
        }
    }
    if let Some(o) = only {
        if by_payee.is_empty() {
            let _ = writeln!(text, "\nno statement for payee {o}");
        }
    }

    let mut scale = 2;
    for (payee, statements) in &by_payee {
        let first = statements[0];
        let mut plans: Vec<String> = statements.iter().map(|st| s(st, "plan")).collect();
        plans.dedup();
        let _ = writeln!(
            text,
            "\n{payee}  {}  ({}, {})",
            name_of(payee),
            plans.join(", "),
            s(first, "currency")
        );
        let mut year = Decimal::ZERO;
        for st in statements {
            let net = s(st, "net_payable");
            scale = scale_of(&net);
            year += dec(st, "net_payable");
            let period = s(st, "period");
            for (i, line) in arr(st, "lines").iter().enumerate() {
                let label = {
                    let name = s(line, "name");
                    let id = s(line, "id");
                    let kind = s(line, "kind");
                    let what = if !name.is_empty() { name } else { id };
                    let word = kind.replace('_', " ");
                    if kind == "component" || what.to_lowercase().contains(&word) {
                        what
                    } else {
                        format!("{word}: {what}")
                    }
                };
                let mut facts = Vec::new();
                if !s(line, "measure").is_empty() {
                    facts.push(format!("measure {}", group(&s(line, "measure"))));
                }
                if !s(line, "attainment").is_empty() {
                    facts.push(format!("attainment {}", percent(&s(line, "attainment"))));
                }
                let middle = if facts.is_empty() {
                    label
                } else {
                    format!("{label:<40} {}", facts.join(", "))
                };
                let _ = writeln!(
                    text,
                    "  {:<9} {:<83} {:>w$}",
                    if i == 0 { period.as_str() } else { "" },
                    middle,
                    group(&s(line, "amount")),
                    w = AMOUNT_WIDTH
                );
                if detail {
                    let expl = s(line, "explanation");
                    if !expl.is_empty() {
                        let _ = writeln!(text, "            {expl}");
                    }
                    for step in arr(line, "trace") {
                        let _ = writeln!(
                            text,
                            "              · {}: {} = {}",
                            s(step, "step"),
                            s(step, "detail"),
                            s(step, "value")
                        );
                    }
                }
            }
            let prior = s(st, "prior_paid");
            if Decimal::from_str(&prior).is_ok_and(|p| !p.is_zero()) {
                let _ = writeln!(
                    text,
                    "  {:<9} {:<83} {:>w$}",
                    "",
                    "already paid",
                    group(&prior),
                    w = AMOUNT_WIDTH
                );
            }
            let closed = s(st, "status") == "closed";
            let _ = writeln!(
                text,
                "  {:<9} {:<83} {:>w$}",
                if arr(st, "lines").is_empty() {
                    period.as_str()
                } else {
                    ""
                },
                if closed {
                    "net payable (closed period: as paid)"
                } else {
                    "net payable"
                },
                group(&net),
                w = AMOUNT_WIDTH
            );
        }
        let _ = writeln!(
            text,
            "  {:<9} {:<83} {:>w$}",
            "year",
            "net payable",
            money(year, scale),
            w = AMOUNT_WIDTH
        );
    }

    if only.is_none() {
        text.push_str(&totals(out, by_payee.len()));
    }
    let recon: Vec<&Value> = arr(out, "reconciliation")
        .iter()
        .filter(|r| match only {
            Some(o) => s(r, "payee") == o,
            None => true,
        })
        .collect();
    if !recon.is_empty() {
        let _ = writeln!(text, "\nReconciliation (calculated vs paid):");
        for r in recon {
            let _ = writeln!(
                text,
                "  {:<10} {:<9} {:<16} calculated {:>w$}  paid {:>w$}  difference {:>w$}  {} (true-up in {})",
                s(r, "payee"),
                s(r, "period"),
                s(r, "component"),
                group(&s(r, "calculated")),
                group(&s(r, "paid")),
                group(&s(r, "difference")),
                s(r, "status").replace('_', " "),
                s(r, "fixed_in"),
                w = AMOUNT_WIDTH
            );
        }
    }
    let warnings = arr(out, "warnings");
    if !warnings.is_empty() {
        let _ = writeln!(text, "\n{} warning(s):", warnings.len());
        for w in warnings {
            let _ = writeln!(
                text,
                "  warning[{}] at {}: {}",
                s(w, "code"),
                s(w, "path"),
                s(w, "message")
            );
        }
    }
    text
}

/// One row per payee: net payable per period and for the year, then the run's totals.
pub fn short(out: &Value, names: &[(String, String)]) -> String {
    let mut periods: Vec<String> = arr(out, "statements")
        .iter()
        .map(|st| s(st, "period"))
        .collect();
    periods.sort();
    periods.dedup();
    let mut rows: Vec<(String, Vec<Option<String>>, Decimal, u32)> = Vec::new();
    for st in arr(out, "statements") {
        let payee = s(st, "payee");
        if rows.last().map(|r| &r.0) != Some(&payee) {
            rows.push((payee, vec![None; periods.len()], Decimal::ZERO, 2));
        }
        let row = rows.last_mut().expect("pushed above");
        let net = s(st, "net_payable");
        if let Some(i) = periods.iter().position(|p| *p == s(st, "period")) {
            row.1[i] = Some(group(&net));
        }
        row.2 += dec(st, "net_payable");
        row.3 = scale_of(&net);
    }
    let w = 12;
    let mut text = String::new();
    let _ = write!(text, "{:<10} {:<22}", "payee", "name");
    for p in &periods {
        let _ = write!(text, " {p:>w$}");
    }
    let _ = writeln!(text, " {:>w$}", "year");
    for (payee, cells, year, scale) in &rows {
        let name = names
            .iter()
            .find(|(i, _)| i == payee)
            .map(|(_, n)| n.as_str())
            .unwrap_or("");
        let _ = write!(text, "{payee:<10} {name:<22}");
        for c in cells {
            let _ = write!(text, " {:>w$}", c.as_deref().unwrap_or("-"));
        }
        let _ = writeln!(text, " {:>w$}", money(*year, *scale));
    }
    text.push_str(&totals(out, rows.len()));
    text
}

/// `Totals: …` — one line per currency (`totals` is a list of per-currency objects, or
/// one object).
fn totals(out: &Value, payees: usize) -> String {
    let list: Vec<&Value> = match out.get("totals") {
        Some(Value::Array(l)) => l.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    let mut text = String::new();
    let _ = writeln!(text);
    for t in list {
        let currency = s(t, "currency");
        let _ = writeln!(
            text,
            "Totals{}: {payees} payees · earned {} · adjustments {} · net payable {} · discretionary share {}",
            if currency.is_empty() { String::new() } else { format!(" ({currency})") },
            group(&s(t, "earned")),
            group(&s(t, "adjustments")),
            group(&s(t, "net_payable")),
            percent(&s(t, "discretionary_share"))
        );
    }
    text
}

/// The summary of a what-if estimate.
pub fn estimate(out: &Value) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "What-if {}: net payable changes by {}",
        s(out, "deal"),
        group(&s(out, "change"))
    );
    let _ = writeln!(
        text,
        "\n  {:<12} {:>w$} {:>w$} {:>w$}",
        "payee",
        "before",
        "after",
        "change",
        w = AMOUNT_WIDTH
    );
    for p in arr(out, "payees") {
        let _ = writeln!(
            text,
            "  {:<12} {:>w$} {:>w$} {:>w$}",
            s(p, "payee"),
            group(&s(p, "before")),
            group(&s(p, "after")),
            group(&s(p, "change")),
            w = AMOUNT_WIDTH
        );
    }
    let lines = arr(out, "lines");
    if !lines.is_empty() {
        let _ = writeln!(text, "\n  lines that change:");
        for l in lines {
            let _ = writeln!(
                text,
                "  {:<12} {:<9} {:<28} {:>w$} {:>w$} {:>w$}",
                s(l, "payee"),
                s(l, "period"),
                format!("{} {}", s(l, "kind"), s(l, "id")),
                group(&s(l, "before")),
                group(&s(l, "after")),
                group(&s(l, "change")),
                w = AMOUNT_WIDTH
            );
            let expl = s(l, "explanation");
            if !expl.is_empty() {
                let _ = writeln!(text, "               {expl}");
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group("1234567.50"), "1,234,567.50");
        assert_eq!(group("-1000.00"), "-1,000.00");
        assert_eq!(group("999"), "999");
        assert_eq!(group("0.13"), "0.13");
        assert_eq!(group(""), "");
    }

    /// An output of the documented shape (docs/inputs-and-output.md), typed by hand.
    const SAMPLE: &str = r#"{
      "engine": "payplan-core 0.1.0", "fingerprint": "00112233445566778899aabbccddeeff",
      "statements": [
        {"payee": "A", "period": "2027-Q1", "plan": "ae-2027", "currency": "EUR",
         "lines": [
           {"kind": "component", "id": "commission", "name": "Commission on bookings",
            "measure": "130000.00", "quota": "100000.00", "attainment": "1.3000", "amount": "15000.00",
            "explanation": "You booked 130,000.00 against a quota of 100,000.00.",
            "trace": [{"step": "measure", "detail": "sum of amount over 3 booking credits", "value": "130000"}]},
           {"kind": "adjustment", "id": "ADJ1", "name": null, "measure": null, "quota": null,
            "attainment": null, "amount": "250.00", "explanation": "Q1 contest winner", "trace": []}],
         "earned": "15000.00", "net_payable": "15250.00"},
        {"payee": "A", "period": "2027-Q2", "plan": "ae-2027", "currency": "EUR",
         "lines": [], "earned": "0.00", "net_payable": "0.00"},
        {"payee": "B", "period": "2027-Q1", "plan": "ae-2027", "currency": "EUR",
         "lines": [{"kind": "component", "id": "commission", "name": "Commission on bookings",
            "measure": "1000.00", "quota": "100000.00", "attainment": "0.0100", "amount": "100.00",
            "explanation": "", "trace": []}],
         "earned": "100.00", "net_payable": "100.00"}],
      "totals": [{"currency": "EUR", "earned": "15100.00", "adjustments": "250.00", "net_payable": "15350.00",
                 "discretionary_share": "0.0163"}],
      "reconciliation": [{"payee": "A", "period": "2027-Q1", "component": "commission", "calculated": "1200.00",
                          "paid": "1000.00", "difference": "200.00", "status": "under_paid", "fixed_in": "2027-Q2"}],
      "warnings": [{"code": "no_quota", "path": "inputs.quotas", "message": "hypothetical"}]
    }"#;

    #[test]
    fn summary_lists_lines_nets_years_and_totals() {
        let out: Value = serde_json::from_str(SAMPLE).unwrap();
        let names = vec![("A".to_string(), "Ana".to_string())];
        let text = run(&out, &names, None, false);
        assert!(text.contains("\nA  Ana  (ae-2027, EUR)\n"), "{text}");
        assert!(text.contains("Commission on bookings"), "{text}");
        assert!(text.contains("attainment 130.00 %"), "{text}");
        assert!(text.contains("adjustment: ADJ1"), "{text}");
        assert!(text.contains("15,250.00"), "{text}");
        let year_a = text
            .lines()
            .find(|l| l.trim_start().starts_with("year"))
            .unwrap();
        assert!(year_a.ends_with("15,250.00"), "{text}");
        assert!(text.contains("Totals (EUR): 2 payees · earned 15,100.00 · adjustments 250.00 · net payable 15,350.00 · discretionary share 1.63 %"), "{text}");
        assert!(
            text.contains("warning[no_quota] at inputs.quotas: hypothetical"),
            "{text}"
        );
        assert!(
            !text.contains("You booked"),
            "explanations only with --payee"
        );

        let one = run(&out, &names, Some("A"), true);
        assert!(one.contains("You booked 130,000.00"), "{one}");
        assert!(
            one.contains("· measure: sum of amount over 3 booking credits = 130000"),
            "{one}"
        );
        assert!(!one.contains("\nB "), "{one}");
        assert!(!one.contains("Totals:"), "{one}");
    }

    #[test]
    fn short_has_one_row_per_payee() {
        let out: Value = serde_json::from_str(SAMPLE).unwrap();
        let text = short(&out, &[("A".to_string(), "Ana".to_string())]);
        let rows: Vec<&str> = text.lines().collect();
        assert!(
            rows[0].contains("2027-Q1") && rows[0].contains("2027-Q2") && rows[0].ends_with("year"),
            "{text}"
        );
        assert!(
            rows[1].starts_with("A ") && rows[1].contains("Ana") && rows[1].ends_with("15,250.00"),
            "{text}"
        );
        assert!(
            rows[2].starts_with("B ") && rows[2].contains(" - ") && rows[2].ends_with("100.00"),
            "{text}"
        );
        assert!(text.contains("Totals (EUR): 2 payees"), "{text}");
    }

    #[test]
    fn percent_is_exact() {
        assert_eq!(percent("0.0476"), "4.76 %");
        assert_eq!(percent("1.3000"), "130.00 %");
    }
}
