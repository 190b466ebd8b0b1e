//! Rate tables: marginal, retroactive and interpolated tiers, with an explicit boundary policy.
//! Thresholds are compared in value space (`from × quota`) so boundaries are exact.

use crate::decimal::{add, div, mul, sub};
use crate::error::Result;
use crate::plan::Boundary;
use rust_decimal::Decimal;

/// One tier in value space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueTier {
    /// Start of the tier in measure units.
    pub from: Decimal,
    pub rate: Decimal,
}

/// A slice of the measure paid at one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub tier: usize,
    pub from: Decimal,
    pub to: Decimal,
    pub rate: Decimal,
    pub amount: Decimal,
}

/// Marginal: each slice of `value` at its own tier's rate. A negative value is paid at the
/// first tier's rate. Boundaries do not matter here.
///
/// ```
/// use payplan_core::tiers::{marginal, ValueTier};
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let tiers = [ValueTier { from: d("0"), rate: d("0.10") },
///              ValueTier { from: d("100000"), rate: d("0.15") },
///              ValueTier { from: d("120000"), rate: d("0.20") }];
/// let (amount, _) = marginal(d("130000"), &tiers, "x").unwrap();
/// assert_eq!(amount, d("15000")); // CASES.md case 2
/// ```
pub fn marginal(value: Decimal, tiers: &[ValueTier], path: &str) -> Result<(Decimal, Vec<Slice>)> {
    let mut slices = Vec::new();
    let mut total = Decimal::ZERO;
    if value <= Decimal::ZERO {
        let rate = tiers.first().map(|t| t.rate).unwrap_or_default();
        let amount = mul(value, rate, path)?;
        slices.push(Slice {
            tier: 0,
            from: value,
            to: Decimal::ZERO,
            rate,
            amount,
        });
        return Ok((amount, slices));
    }
    for (j, t) in tiers.iter().enumerate() {
        if value <= t.from {
            break;
        }
        let end = tiers.get(j + 1).map(|n| n.from.min(value)).unwrap_or(value);
        let width = sub(end, t.from, path)?;
        let amount = mul(width, t.rate, path)?;
        total = add(total, amount, path)?;
        slices.push(Slice {
            tier: j,
            from: t.from,
            to: end,
            rate: t.rate,
            amount,
        });
    }
    Ok((total, slices))
}

/// Index of the tier `value` reaches under `boundary`.
///
/// ```
/// use payplan_core::tiers::{reached, ValueTier};
/// use payplan_core::plan::Boundary;
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let tiers = [ValueTier { from: d("0"), rate: d("0.10") },
///              ValueTier { from: d("100000"), rate: d("0.15") },
///              ValueTier { from: d("120000"), rate: d("0.20") }];
/// assert_eq!(reached(d("120000"), &tiers, Boundary::Upper), 2); // CASES.md case 3
/// assert_eq!(reached(d("120000"), &tiers, Boundary::Lower), 1);
/// ```
pub fn reached(value: Decimal, tiers: &[ValueTier], boundary: Boundary) -> usize {
    let mut idx = 0;
    for (j, t) in tiers.iter().enumerate().skip(1) {
        let inside = match boundary {
            Boundary::Upper => value >= t.from,
            Boundary::Lower => value > t.from,
        };
        if inside {
            idx = j;
        }
    }
    idx
}

/// Retroactive: the reached tier's rate on the whole value.
pub fn retroactive(
    value: Decimal,
    tiers: &[ValueTier],
    boundary: Boundary,
    path: &str,
) -> Result<(Decimal, usize)> {
    let j = reached(value, tiers, boundary);
    let rate = tiers.get(j).map(|t| t.rate).unwrap_or_default();
    Ok((mul(value, rate, path)?, j))
}

/// Interpolated: the rate linearly interpolated between tier starts (`x` in the same units as
/// the tiers' `from`), held after the last tier. Returns the rate.
pub fn interpolated_rate(x: Decimal, points: &[(Decimal, Decimal)], path: &str) -> Result<Decimal> {
    let Some(first) = points.first() else {
        return Ok(Decimal::ZERO);
    };
    if x <= first.0 {
        return Ok(first.1);
    }
    for w in points.windows(2) {
        let ((x0, r0), (x1, r1)) = (w[0], w[1]);
        if x < x1 {
            // r0 + (x − x0) × (r1 − r0) ÷ (x1 − x0), multiplying before dividing.
            let num = mul(sub(x, x0, path)?, sub(r1, r0, path)?, path)?;
            return add(r0, div(num, sub(x1, x0, path)?, path)?, path);
        }
    }
    Ok(points.last().map(|p| p.1).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn case2() -> Vec<ValueTier> {
        vec![
            ValueTier {
                from: d("0"),
                rate: d("0.10"),
            },
            ValueTier {
                from: d("100000"),
                rate: d("0.15"),
            },
            ValueTier {
                from: d("120000"),
                rate: d("0.20"),
            },
        ]
    }

    #[test]
    fn cases_2_and_3() {
        let t = case2();
        assert_eq!(marginal(d("130000"), &t, "").unwrap().0, d("15000"));
        assert_eq!(
            retroactive(d("130000"), &t, Boundary::Upper, "").unwrap().0,
            d("26000")
        );
        assert_eq!(
            retroactive(d("120000"), &t, Boundary::Upper, "").unwrap().0,
            d("24000")
        );
        assert_eq!(
            retroactive(d("120000"), &t, Boundary::Lower, "").unwrap().0,
            d("18000")
        );
        assert_eq!(marginal(d("120000"), &t, "").unwrap().0, d("13000"));
        assert_eq!(marginal(d("50000"), &t, "").unwrap().0, d("5000"));
        assert_eq!(marginal(d("-1000"), &t, "").unwrap().0, d("-100"));
        assert_eq!(marginal(d("0"), &t, "").unwrap().0, d("0"));
    }

    #[test]
    fn interpolation() {
        let pts = [(d("0"), d("0.10")), (d("1"), d("0.20"))];
        assert_eq!(interpolated_rate(d("0.5"), &pts, "").unwrap(), d("0.15"));
        assert_eq!(interpolated_rate(d("2"), &pts, "").unwrap(), d("0.20"));
        assert_eq!(interpolated_rate(d("-1"), &pts, "").unwrap(), d("0.10"));
    }
}
