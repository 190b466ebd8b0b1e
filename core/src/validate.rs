//! Plan validation: every problem is collected and reported with its path, what was
//! expected and what was found.

use crate::error::Problem;
use crate::plan::{Basis, Mechanism, MechanismKind, Plan};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// Every problem of `plan`, with paths prefixed by `at` (`plans[0]`, `plan` or empty).
///
/// ```
/// let plan: payplan_core::plan::Plan = serde_json::from_str(r#"{"payplan": 1, "id": "p",
///   "currency": "EUR", "calendar": {"year": 2027}, "measures": [],
///   "components": [{"id": "c", "measure": "nope", "mechanism": {"type": "rate", "rate": 1}}]}"#).unwrap();
/// let problems = payplan_core::validate::plan_problems(&plan, "plan");
/// assert_eq!(problems[0].code, "unknown_reference");
/// assert_eq!(problems[0].path, "plan.components[0].measure");
/// ```
pub fn plan_problems(plan: &Plan, at: &str) -> Vec<Problem> {
    let mut v = Validator {
        at,
        problems: Vec::new(),
    };
    v.plan(plan);
    v.problems
}

struct Validator<'a> {
    at: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn path(&self, rest: &str) -> String {
        if self.at.is_empty() {
            rest.to_string()
        } else {
            format!("{}.{rest}", self.at)
        }
    }

    fn push(&mut self, code: &'static str, rest: &str, message: String) {
        let path = self.path(rest);
        self.problems.push(Problem::new(code, path, message));
    }

    fn non_negative(&mut self, value: Option<Decimal>, rest: &str) {
        if let Some(x) = value {
            if x.is_sign_negative() && !x.is_zero() {
                self.push(
                    "invalid_value",
                    rest,
                    format!("expected a number ≥ 0, found {x}"),
                );
            }
        }
    }

    fn plan(&mut self, plan: &Plan) {
        if plan.payplan != 1 {
            self.push(
                "unsupported_version",
                "payplan",
                format!("expected format version 1, found {}", plan.payplan),
            );
        }
        if plan.id.trim().is_empty() {
            self.push("invalid_value", "id", "expected a non-empty plan id".into());
        }
        if plan.currency.trim().is_empty() {
            self.push(
                "invalid_value",
                "currency",
                "expected a currency code such as EUR".into(),
            );
        }
        if !(1..=12).contains(&plan.calendar.start_month) {
            self.push(
                "invalid_value",
                "calendar.start_month",
                format!(
                    "expected a month 1..12, found {}",
                    plan.calendar.start_month
                ),
            );
        }
        if !(1..=9000).contains(&plan.calendar.year) {
            self.push(
                "invalid_value",
                "calendar.year",
                format!("expected a year, found {}", plan.calendar.year),
            );
        }
        if plan.rounding.scale > 10 {
            self.push(
                "invalid_value",
                "rounding.scale",
                format!("expected 0..=10 decimals, found {}", plan.rounding.scale),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, m) in plan.measures.iter().enumerate() {
            if !seen.insert(m.id.as_str()) {
                self.push(
                    "duplicate_id",
                    &format!("measures[{i}].id"),
                    format!("measure {:?} is defined twice", m.id),
                );
            }
            if m.kinds.is_empty() {
                self.push(
                    "invalid_value",
                    &format!("measures[{i}].kinds"),
                    "expected at least one transaction kind".into(),
                );
            }
        }
        let known = |id: &str| plan.measures.iter().any(|m| m.id == id);
        for (i, q) in plan.quotas.iter().enumerate() {
            if !known(&q.measure) {
                self.unknown_measure(&format!("quotas[{i}].measure"), &q.measure, plan);
            }
            let given = [
                q.annual.is_some(),
                q.per_period.is_some(),
                q.per_month.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if given != 1 {
                self.push(
                    "invalid_value",
                    &format!("quotas[{i}]"),
                    format!("expected exactly one of annual, per_period, per_month; found {given}"),
                );
            }
            for amount in [q.annual, q.per_period, q.per_month].into_iter().flatten() {
                self.non_negative(Some(amount.0), &format!("quotas[{i}]"));
            }
            for (j, r) in q.ramp.iter().enumerate() {
                self.non_negative(Some(r.0), &format!("quotas[{i}].ramp[{j}]"));
            }
        }
        let mut seen = BTreeSet::new();
        for (i, c) in plan.components.iter().enumerate() {
            let at = format!("components[{i}]");
            if !seen.insert(c.id.as_str()) {
                self.push(
                    "duplicate_id",
                    &format!("{at}.id"),
                    format!("component {:?} is defined twice", c.id),
                );
            }
            if !known(&c.measure) {
                self.unknown_measure(&format!("{at}.measure"), &c.measure, plan);
            }
            self.non_negative(c.weight.map(|w| w.0), &format!("{at}.weight"));
            if let (Some(cap), Some(floor)) = (c.cap, c.floor) {
                if floor.0 > cap.0 {
                    self.push(
                        "invalid_value",
                        &format!("{at}.floor"),
                        format!("floor {} is above cap {}", floor.0, cap.0),
                    );
                }
            }
            for (g, gate) in c.gates.iter().enumerate() {
                if !known(&gate.measure) {
                    self.unknown_measure(&format!("{at}.gates[{g}].measure"), &gate.measure, plan);
                }
                if gate.min_attainment.is_some() == gate.min_value.is_some() {
                    self.push(
                        "invalid_value",
                        &format!("{at}.gates[{g}]"),
                        "expected exactly one of min_attainment, min_value".into(),
                    );
                }
            }
            self.mechanism(&c.mechanism, &format!("{at}.mechanism"));
        }
        if let (Some(cap), Some(floor)) = (plan.cap, plan.floor) {
            if floor.0 > cap.0 {
                self.push(
                    "invalid_value",
                    "floor",
                    format!("floor {} is above cap {}", floor.0, cap.0),
                );
            }
        }
        if let Some(d) = &plan.draw {
            self.non_negative(Some(d.amount.0), "draw.amount");
        }
        if let Some(c) = &plan.clawback {
            if c.window_days == 0 {
                self.push(
                    "invalid_value",
                    "clawback.window_days",
                    "expected a window of at least 1 day".into(),
                );
            }
        }
        if let Some(h) = &plan.holdback {
            if h.share.0 < Decimal::ZERO || h.share.0 > Decimal::ONE {
                self.push(
                    "invalid_value",
                    "holdback.share",
                    format!("expected a share 0..=1, found {}", h.share.0),
                );
            }
        }
    }

    fn unknown_measure(&mut self, rest: &str, id: &str, plan: &Plan) {
        let ids: Vec<&str> = plan.measures.iter().map(|m| m.id.as_str()).collect();
        self.push(
            "unknown_reference",
            rest,
            format!(
                "unknown measure {id:?}; the plan defines [{}]",
                ids.join(", ")
            ),
        );
    }

    fn require<T>(&mut self, value: &Option<T>, at: &str, field: &str, kind: &str) {
        if value.is_none() {
            self.push(
                "missing_field",
                &format!("{at}.{field}"),
                format!("a {kind} mechanism needs `{field}`"),
            );
        }
    }

    fn misplaced(&mut self, present: bool, at: &str, field: &str, kind: &str) {
        if present {
            self.push(
                "unexpected_field",
                &format!("{at}.{field}"),
                format!("`{field}` does not apply to a {kind} mechanism"),
            );
        }
    }

    fn mechanism(&mut self, m: &Mechanism, at: &str) {
        let kind = match m.kind {
            MechanismKind::Rate => "rate",
            MechanismKind::RateTable => "rate_table",
            MechanismKind::Curve => "curve",
            MechanismKind::PerUnit => "per_unit",
            MechanismKind::Bonus => "bonus",
        };
        let is = |k: MechanismKind| m.kind == k;
        self.misplaced(
            m.rate.is_some() && !is(MechanismKind::Rate),
            at,
            "rate",
            kind,
        );
        let table = is(MechanismKind::RateTable);
        self.misplaced(!m.tiers.is_empty() && !table, at, "tiers", kind);
        self.misplaced(m.basis.is_some() && !table, at, "basis", kind);
        self.misplaced(m.method.is_some() && !table, at, "method", kind);
        self.misplaced(m.per.is_some() && !table, at, "per", kind);
        self.misplaced(m.boundary.is_some() && !table, at, "boundary", kind);
        let curve = is(MechanismKind::Curve);
        self.misplaced(!m.points.is_empty() && !curve, at, "points", kind);
        self.misplaced(m.above.is_some() && !curve, at, "above", kind);
        self.misplaced(m.max_payout.is_some() && !curve, at, "max_payout", kind);
        let fixed = is(MechanismKind::PerUnit) || is(MechanismKind::Bonus);
        self.misplaced(m.amount.is_some() && !fixed, at, "amount", kind);
        let bonus = is(MechanismKind::Bonus);
        self.misplaced(
            m.min_attainment.is_some() && !bonus,
            at,
            "min_attainment",
            kind,
        );
        self.misplaced(m.min_value.is_some() && !bonus, at, "min_value", kind);
        match m.kind {
            MechanismKind::Rate => self.require(&m.rate, at, "rate", kind),
            MechanismKind::PerUnit => self.require(&m.amount, at, "amount", kind),
            MechanismKind::Bonus => {
                self.require(&m.amount, at, "amount", kind);
                if m.min_attainment.is_some() == m.min_value.is_some() {
                    self.push(
                        "invalid_value",
                        at,
                        "a bonus needs exactly one of min_attainment, min_value".into(),
                    );
                }
            }
            MechanismKind::RateTable => self.tiers(m, at),
            MechanismKind::Curve => self.points(m, at),
        }
    }

    fn tiers(&mut self, m: &Mechanism, at: &str) {
        if m.tiers.is_empty() {
            self.push(
                "missing_field",
                &format!("{at}.tiers"),
                "a rate_table needs at least one tier".into(),
            );
            return;
        }
        if !m.tiers[0].from.0.is_zero() {
            self.push(
                "tiers_out_of_order",
                &format!("{at}.tiers[0].from"),
                format!(
                    "expected the first tier to start at 0, found {}",
                    m.tiers[0].from.0
                ),
            );
        }
        for (j, t) in m.tiers.iter().enumerate() {
            self.non_negative(Some(t.rate.0), &format!("{at}.tiers[{j}].rate"));
            if j > 0 {
                let prev = &m.tiers[j - 1];
                if t.from.0 <= prev.from.0 {
                    self.push(
                        "tiers_out_of_order",
                        &format!("{at}.tiers[{j}].from"),
                        format!(
                            "expected a start above {} (tiers ascending), found {}",
                            prev.from.0, t.from.0
                        ),
                    );
                }
            }
            if let Some(to) = t.to {
                if to.0 <= t.from.0 {
                    self.push(
                        "tiers_out_of_order",
                        &format!("{at}.tiers[{j}].to"),
                        format!(
                            "expected an end above the tier's start {}, found {}",
                            t.from.0, to.0
                        ),
                    );
                } else if let Some(next) = m.tiers.get(j + 1) {
                    if to.0 > next.from.0 {
                        self.push(
                            "tiers_overlap",
                            &format!("{at}.tiers[{j}].to"),
                            format!(
                                "tier ends at {} but the next starts at {}: they overlap",
                                to.0, next.from.0
                            ),
                        );
                    } else if to.0 < next.from.0 {
                        self.push(
                            "tiers_gap",
                            &format!("{at}.tiers[{j}].to"),
                            format!(
                                "tier ends at {} but the next starts at {}: a gap",
                                to.0, next.from.0
                            ),
                        );
                    }
                } else {
                    self.push(
                        "invalid_value",
                        &format!("{at}.tiers[{j}].to"),
                        "the last tier is open-ended; remove `to`".into(),
                    );
                }
            }
        }
        if m.basis == Some(Basis::Value) && m.per.is_none() {
            // fine: per period by default
        }
    }

    fn points(&mut self, m: &Mechanism, at: &str) {
        if m.points.is_empty() {
            self.push(
                "missing_field",
                &format!("{at}.points"),
                "a curve needs at least one point".into(),
            );
            return;
        }
        for (j, p) in m.points.iter().enumerate() {
            self.non_negative(
                Some(p.attainment.0),
                &format!("{at}.points[{j}].attainment"),
            );
            self.non_negative(Some(p.payout.0), &format!("{at}.points[{j}].payout"));
            if j > 0 && p.attainment.0 <= m.points[j - 1].attainment.0 {
                self.push(
                    "points_out_of_order",
                    &format!("{at}.points[{j}].attainment"),
                    format!(
                        "expected an attainment above {} (points ascending), found {}",
                        m.points[j - 1].attainment.0,
                        p.attainment.0
                    ),
                );
            }
        }
        self.non_negative(m.max_payout.map(|x| x.0), &format!("{at}.max_payout"));
    }
}
