//! Payout mechanisms: rate, rate table, curve, per unit, bonus. Each returns its amount in
//! full precision with the trace steps and a sentence fragment that explain it.

use crate::curve;
use crate::decimal::{add, div, fmt_full, fmt_scaled, mul, round, sub, RoundingMode};
use crate::error::Result;
use crate::plan::{Above, Basis, Boundary, Mechanism, MechanismKind, Per, TierMethod};
use crate::statement::{Step, Text};
use crate::tiers::{interpolated_rate, marginal, reached, retroactive, ValueTier};
use rust_decimal::Decimal;

/// What a mechanism is evaluated on.
pub(crate) struct MechInput<'a> {
    /// The measure in scope (the period, or to date for cumulative components).
    pub value: Decimal,
    /// The quota in scope, when there is one (> 0 when the mechanism needs it).
    pub quota: Option<Decimal>,
    /// Target incentive in scope.
    pub target: Decimal,
    /// Values of the credits in scope, in date order (for per-transaction evaluation).
    pub items: &'a [Decimal],
    pub boundary: Boundary,
    /// Round each transaction's share (scale, mode) when the plan says so.
    pub round_tx: Option<(u32, RoundingMode)>,
    pub scale: u32,
    pub mode: RoundingMode,
    pub path: &'a str,
    /// The component's weight (1 without one), applied by [`evaluate`].
    pub weight: Decimal,
    /// Build the trace steps and the sentence (false: the amount only; it is the same).
    pub explain: bool,
}

/// A mechanism's result.
pub(crate) struct MechOutput {
    pub amount: Decimal,
    pub steps: Vec<Step>,
    pub sentence: String,
}

/// `x` as a percentage to 4 decimals (`0.125` → `12.5 %`), written where it is used in a
/// trace (no string of its own).
pub(crate) fn pct(x: Decimal) -> Pct {
    Pct(x)
}

pub(crate) struct Pct(Decimal);

impl std::fmt::Display for Pct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // × 100 is exact as two fewer decimals (most rates and attainments have two or more);
        // rounding to 4 decimals changes only a number with more.
        let mut p = self.0;
        let scaled = if p.scale() >= 2 && p.set_scale(p.scale() - 2).is_ok() {
            Some(p)
        } else {
            self.0.checked_mul(Decimal::ONE_HUNDRED)
        };
        match scaled {
            Some(p) => {
                f.write_str(&fmt_full(if p.scale() > 4 { p.round_dp(4) } else { p }))?;
                f.write_str(" %")
            }
            None => f.write_str(&fmt_full(self.0)),
        }
    }
}

impl MechInput<'_> {
    fn money(&self, d: Decimal) -> Text {
        fmt_scaled(round(d, self.scale, self.mode), self.scale)
    }

    fn attainment(&self) -> Result<Decimal> {
        match self.quota {
            Some(q) if !q.is_zero() => div(self.value, q, self.path),
            _ => Ok(Decimal::ZERO),
        }
    }

    fn maybe_round(&self, d: Decimal) -> Decimal {
        match self.round_tx {
            Some((scale, mode)) => round(d, scale, mode),
            None => d,
        }
    }
}

fn step(step: &'static str, detail: String, value: Decimal) -> Step {
    Step {
        step,
        detail,
        value: fmt_full(value),
    }
}

/// Evaluate `m` on `inp`; the amount includes the component's weight.
pub(crate) fn evaluate(m: &Mechanism, inp: &MechInput) -> Result<MechOutput> {
    let mut out = evaluate_mechanism(m, inp)?;
    let weighted = m.kind == MechanismKind::Curve
        || (m.kind == MechanismKind::RateTable
            && m.method == Some(TierMethod::Interpolated)
            && m.per.unwrap_or_default() == Per::Period);
    if !weighted && inp.weight != Decimal::ONE {
        out.amount = mul(out.amount, inp.weight, inp.path)?;
    }
    Ok(out)
}

fn evaluate_mechanism(m: &Mechanism, inp: &MechInput) -> Result<MechOutput> {
    let path = inp.path;
    match m.kind {
        MechanismKind::Rate => {
            let rate = m.rate.map(|r| r.0).unwrap_or_default();
            if inp.round_tx.is_some() {
                let mut total = Decimal::ZERO;
                for v in inp.items {
                    total = add(total, inp.maybe_round(mul(*v, rate, path)?), path)?;
                }
                let steps = if !inp.explain {
                    Vec::new()
                } else {
                    vec![step(
                        "rate",
                        explain!(
                            "{} × {} on each of {} transactions, each rounded, summed",
                            pct(rate),
                            "credit",
                            inp.items.len()
                        ),
                        total,
                    )]
                };
                let sentence = if !inp.explain {
                    String::new()
                } else {
                    explain!(
                        "{} of each of {} credits, rounded per transaction",
                        pct(rate),
                        inp.items.len()
                    )
                };
                return Ok(MechOutput {
                    amount: total,
                    steps,
                    sentence,
                });
            }
            let amount = mul(inp.value, rate, path)?;
            Ok(MechOutput {
                amount,
                steps: if inp.explain {
                    vec![step(
                        "rate",
                        explain!("{} × {}", fmt_full(inp.value), pct(rate)),
                        amount,
                    )]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    explain!("{} of {}", pct(rate), inp.money(inp.value))
                } else {
                    String::new()
                },
            })
        }
        MechanismKind::PerUnit => {
            let each = m.amount.map(|a| a.0).unwrap_or_default();
            let amount = mul(inp.value, each, path)?;
            Ok(MechOutput {
                amount,
                steps: if inp.explain {
                    vec![step(
                        "per_unit",
                        explain!("{} units × {}", fmt_full(inp.value), fmt_full(each)),
                        amount,
                    )]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    explain!("{} units at {} each", fmt_full(inp.value), inp.money(each))
                } else {
                    String::new()
                },
            })
        }
        MechanismKind::Bonus => {
            let amount = m.amount.map(|a| a.0).unwrap_or_default();
            let (reached, what) = if let Some(min) = m.min_attainment {
                let att = inp.attainment()?;
                (
                    att >= min.0,
                    explain!(
                        "attainment {} against the threshold {}",
                        pct(att),
                        pct(min.0)
                    ),
                )
            } else {
                let min = m.min_value.map(|x| x.0).unwrap_or_default();
                (
                    inp.value >= min,
                    explain!(
                        "{} against the threshold {}",
                        inp.money(inp.value),
                        inp.money(min)
                    ),
                )
            };
            let paid = if reached { amount } else { Decimal::ZERO };
            Ok(MechOutput {
                amount: paid,
                steps: if inp.explain {
                    vec![step(
                        "bonus",
                        explain!(
                            "{what}: {}",
                            if reached { "reached" } else { "not reached" }
                        ),
                        paid,
                    )]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    if reached {
                        explain!("a bonus of {} for {what}", inp.money(amount))
                    } else {
                        explain!("no bonus: {what} was not reached")
                    }
                } else {
                    String::new()
                },
            })
        }
        MechanismKind::Curve => {
            let att = inp.attainment()?;
            let points: Vec<(Decimal, Decimal)> = m
                .points
                .iter()
                .map(|p| (p.attainment.0, p.payout.0))
                .collect();
            // The weight is folded in before the one division (exact half cents).
            let factor = mul(inp.target, inp.weight, path)?;
            let (s, amount) = curve::exact_payout(
                inp.value,
                inp.quota.unwrap_or(Decimal::ONE),
                &points,
                m.above.unwrap_or(Above::Hold),
                m.max_payout.map(|x| x.0),
                factor,
                path,
            )?;
            Ok(MechOutput {
                amount,
                steps: if inp.explain {
                    vec![
                        step(
                            "curve",
                            explain!(
                                "attainment {} on the payout curve pays {} of target",
                                fmt_full(att),
                                pct(s)
                            ),
                            s,
                        ),
                        step(
                            "target",
                            explain!("{} × target incentive {}", pct(s), fmt_full(inp.target)),
                            div(amount, inp.weight, path).unwrap_or(amount),
                        ),
                    ]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    explain!(
                        "attainment {} pays {} of the {} target",
                        pct(att),
                        pct(s),
                        inp.money(inp.target)
                    )
                } else {
                    String::new()
                },
            })
        }
        MechanismKind::RateTable => rate_table(m, inp),
    }
}

fn rate_table(m: &Mechanism, inp: &MechInput) -> Result<MechOutput> {
    let path = inp.path;
    let basis = m.basis.unwrap_or_default();
    let method = m.method.unwrap_or_default();
    let per = m.per.unwrap_or_default();
    let boundary = m.boundary.unwrap_or(inp.boundary);
    let scale_to_value = |x: Decimal| -> Result<Decimal> {
        match (basis, inp.quota) {
            (Basis::Attainment, Some(q)) => mul(x, q, path),
            (Basis::Attainment, None) => Ok(x),
            (Basis::Value, _) => Ok(x),
        }
    };
    let mut tiers = Vec::with_capacity(m.tiers.len());
    for t in &m.tiers {
        tiers.push(ValueTier {
            from: scale_to_value(t.from.0)?,
            rate: t.rate.0,
        });
    }
    let interp_points: Vec<(Decimal, Decimal)> = tiers.iter().map(|t| (t.from, t.rate)).collect();
    let basis_word = match basis {
        Basis::Attainment => "attainment",
        Basis::Value => "value",
    };
    // Amount of the table on a total `x` (value space).
    let on_total = |x: Decimal| -> Result<Decimal> {
        Ok(match method {
            TierMethod::Marginal => marginal(x, &tiers, path)?.0,
            TierMethod::Retroactive => retroactive(x, &tiers, boundary, path)?.0,
            TierMethod::Interpolated => mul(x, interpolated_rate(x, &interp_points, path)?, path)?,
        })
    };
    if per == Per::Transaction {
        let mut total = Decimal::ZERO;
        let mut running = Decimal::ZERO;
        for v in inp.items {
            let amount = match (basis, method) {
                (Basis::Value, _) => on_total(*v)?,
                (Basis::Attainment, TierMethod::Marginal) => {
                    let after = add(running, *v, path)?;
                    sub(on_total(after)?, on_total(running)?, path)?
                }
                (Basis::Attainment, TierMethod::Retroactive) => {
                    let after = add(running, *v, path)?;
                    let j = reached(after, &tiers, boundary);
                    mul(*v, tiers.get(j).map(|t| t.rate).unwrap_or_default(), path)?
                }
                (Basis::Attainment, TierMethod::Interpolated) => {
                    let after = add(running, *v, path)?;
                    mul(*v, interpolated_rate(after, &interp_points, path)?, path)?
                }
            };
            running = add(running, *v, path)?;
            total = add(total, inp.maybe_round(amount), path)?;
        }
        let how = if basis == Basis::Value {
            "each transaction's own amount through the table"
        } else {
            "each transaction at the tier reached by the running total"
        };
        return Ok(MechOutput {
            amount: total,
            steps: if inp.explain {
                vec![step(
                    "tiers",
                    explain!("{} transactions, {how}", inp.items.len()),
                    total,
                )]
            } else {
                Vec::new()
            },
            sentence: if inp.explain {
                explain!(
                    "{} transactions paid by the rate table, {how}",
                    inp.items.len()
                )
            } else {
                String::new()
            },
        });
    }
    let value = inp.value;
    match method {
        TierMethod::Marginal => {
            let (amount, slices) = marginal(value, &tiers, path)?;
            let slices = if inp.explain { slices } else { Vec::new() };
            let steps: Vec<Step> = slices
                .iter()
                .map(|s| {
                    step(
                        "tier",
                        explain!(
                            "tier {}: {} to {} at {}",
                            s.tier + 1,
                            fmt_full(s.from),
                            fmt_full(s.to),
                            pct(s.rate)
                        ),
                        s.amount,
                    )
                })
                .collect();
            let parts: Vec<String> = slices
                .iter()
                .map(|s| {
                    explain!(
                        "{} at {}",
                        inp.money(sub(s.to, s.from, path).unwrap_or_default()),
                        pct(s.rate)
                    )
                })
                .collect();
            Ok(MechOutput {
                amount,
                steps,
                sentence: if inp.explain {
                    explain!("marginal tiers pay {}", parts.join(" + "))
                } else {
                    String::new()
                },
            })
        }
        TierMethod::Retroactive => {
            let (amount, j) = retroactive(value, &tiers, boundary, path)?;
            let rate = tiers.get(j).map(|t| t.rate).unwrap_or_default();
            let from = m.tiers.get(j).map(|t| t.from.0).unwrap_or_default();
            let from_text = if !inp.explain {
                String::new()
            } else if basis == Basis::Attainment {
                pct(from).to_string()
            } else {
                inp.money(from).into()
            };
            Ok(MechOutput {
                amount,
                steps: if inp.explain {
                    vec![step(
                    "tier",
                    explain!("{basis_word} reaches tier {} (from {from_text}, boundary {}): {} on all {}", j + 1, boundary_word(boundary), pct(rate), fmt_full(value)),
                    amount,
                )]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    explain!(
                        "the tier reached (from {from_text}) pays {} on all {}",
                        pct(rate),
                        inp.money(value)
                    )
                } else {
                    String::new()
                },
            })
        }
        TierMethod::Interpolated => {
            let rate = interpolated_rate(value, &interp_points, path)?;
            // value × weight × (r0·(x1−x0) + (v−x0)·(r1−r0)) ÷ (x1−x0): one division, at the end.
            let scaled = mul(value, inp.weight, path)?;
            let segment = interp_points
                .windows(2)
                .find(|w| value > w[0].0 && value < w[1].0);
            let amount = match segment {
                Some(w) => {
                    let ((x0, r0), (x1, r1)) = (w[0], w[1]);
                    let width = sub(x1, x0, path)?;
                    let num = add(
                        mul(r0, width, path)?,
                        mul(sub(value, x0, path)?, sub(r1, r0, path)?, path)?,
                        path,
                    )?;
                    div(mul(scaled, num, path)?, width, path)?
                }
                None => mul(scaled, rate, path)?,
            };
            Ok(MechOutput {
                amount,
                steps: if inp.explain {
                    vec![
                        step(
                            "rate",
                            explain!("rate interpolated between tiers at {}", fmt_full(value)),
                            rate,
                        ),
                        step(
                            "tier",
                            explain!("{} × {}", fmt_full(value), fmt_full(rate)),
                            amount,
                        ),
                    ]
                } else {
                    Vec::new()
                },
                sentence: if inp.explain {
                    explain!(
                        "an interpolated rate of {} on {}",
                        pct(rate),
                        inp.money(value)
                    )
                } else {
                    String::new()
                },
            })
        }
    }
}

fn boundary_word(b: Boundary) -> &'static str {
    match b {
        Boundary::Upper => "upper",
        Boundary::Lower => "lower",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text every percentage had before the shortcut: × 100, then 4 decimals.
    fn reference(x: Decimal) -> String {
        match x.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => format!("{} %", fmt_full(p.round_dp(4))),
            None => fmt_full(x).to_string(),
        }
    }

    proptest::proptest! {
        /// Writing × 100 as two fewer decimals (and rounding only past 4) changes no text.
        #[test]
        fn pct_text_is_the_rounded_hundredfold(lo in proptest::num::u32::ANY, mid in proptest::num::u32::ANY,
                                               hi in proptest::num::u32::ANY, neg in proptest::bool::ANY,
                                               scale in 0u32..=28) {
            let x = Decimal::from_parts(lo, mid, hi, neg, scale);
            proptest::prop_assert_eq!(pct(x).to_string(), reference(x));
        }
    }

    #[test]
    fn pct_of_worked_values() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(pct(d("0.02")).to_string(), "2 %");
        assert_eq!(pct(d("0.125")).to_string(), "12.5 %");
        assert_eq!(pct(d("1")).to_string(), "100 %");
        assert_eq!(pct(d("0.0000004")).to_string(), "0 %");
        assert_eq!(pct(d("0.6574035")).to_string(), "65.7404 %");
        assert_eq!(pct(d("-0.005")).to_string(), "-0.5 %");
    }
}
