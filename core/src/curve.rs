//! Payout curves: share of target incentive by attainment, linear between points.

use crate::decimal::{add, div, mul, sub};
use crate::error::Result;
use crate::plan::Above;
use rust_decimal::Decimal;

/// The share of target paid at attainment `att`: 0 below the first point, linear between
/// points, held or extended past the last, then capped by `max`.
///
/// ```
/// use payplan_core::curve::share;
/// use payplan_core::plan::Above;
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let pts = [(d("0.5"), d("0.25")), (d("1"), d("1")), (d("1.5"), d("2"))];
/// assert_eq!(share(d("0.8"), &pts, Above::Hold, Some(d("2")), "").unwrap(), d("0.7")); // case 4
/// assert_eq!(share(d("0.45"), &pts, Above::Hold, Some(d("2")), "").unwrap(), d("0"));
/// ```
pub fn share(
    att: Decimal,
    points: &[(Decimal, Decimal)],
    above: Above,
    max: Option<Decimal>,
    path: &str,
) -> Result<Decimal> {
    let raw = raw_share(att, points, above, path)?;
    Ok(match max {
        Some(m) if raw > m => m,
        _ => raw,
    })
}

fn lerp(
    x: Decimal,
    (x0, y0): (Decimal, Decimal),
    (x1, y1): (Decimal, Decimal),
    path: &str,
) -> Result<Decimal> {
    let num = mul(sub(x, x0, path)?, sub(y1, y0, path)?, path)?;
    add(y0, div(num, sub(x1, x0, path)?, path)?, path)
}

fn raw_share(
    att: Decimal,
    points: &[(Decimal, Decimal)],
    above: Above,
    path: &str,
) -> Result<Decimal> {
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return Ok(Decimal::ZERO);
    };
    if att < first.0 {
        return Ok(Decimal::ZERO);
    }
    for w in points.windows(2) {
        if att < w[1].0 {
            return lerp(att, w[0], w[1], path);
        }
    }
    if att == last.0 || points.len() < 2 || above == Above::Hold {
        return Ok(last.1);
    }
    let before = points[points.len() - 2];
    lerp(att, before, last, path)
}

/// The curve's payout for measure `value` against `quota`, times `factor` (target × weight),
/// with one division at the very end, so a payout that is exactly a half cent rounds as the
/// plan says: `factor × (y0·(x1−x0)·q + (v−x0·q)·(y1−y0)) ÷ ((x1−x0)·q)`. Returns
/// (share of target, amount).
///
/// ```
/// use payplan_core::curve::exact_payout;
/// use payplan_core::plan::Above;
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let pts = [(d("0.5"), d("0.25")), (d("1"), d("1")), (d("1.5"), d("2"))];
/// let (share, amount) = exact_payout(d("80000"), d("100000"), &pts, Above::Hold, Some(d("2")), d("10000"), "").unwrap();
/// assert_eq!((share, amount), (d("0.7"), d("7000"))); // CASES.md case 4
/// ```
pub fn exact_payout(
    value: Decimal,
    quota: Decimal,
    points: &[(Decimal, Decimal)],
    above: Above,
    max: Option<Decimal>,
    factor: Decimal,
    path: &str,
) -> Result<(Decimal, Decimal)> {
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return Ok((Decimal::ZERO, Decimal::ZERO));
    };
    let at = |x: Decimal| mul(x, quota, path);
    // (numerator, denominator) of the share; both exact.
    let fraction = if value < at(first.0)? {
        (Decimal::ZERO, Decimal::ONE)
    } else {
        let segment = points
            .windows(2)
            .map(|w| (w[0], w[1]))
            .find(|(_, b)| value < at(b.0).unwrap_or(Decimal::MAX));
        let segment = match segment {
            Some(s) => Some(s),
            None if above == Above::Extend && points.len() >= 2 && value != at(last.0)? => {
                Some((points[points.len() - 2], last))
            }
            None => None,
        };
        match segment {
            Some(((x0, y0), (x1, y1))) => {
                let width = sub(x1, x0, path)?;
                let den = mul(width, quota, path)?;
                let base = mul(mul(y0, width, path)?, quota, path)?;
                let rise = mul(sub(value, at(x0)?, path)?, sub(y1, y0, path)?, path)?;
                (add(base, rise, path)?, den)
            }
            None => (last.1, Decimal::ONE),
        }
    };
    let (num, den) = match max {
        Some(m) if fraction.0 > mul(m, fraction.1, path)? => (m, Decimal::ONE),
        _ => fraction,
    };
    let share = div(num, den, path)?;
    let amount = div(mul(factor, num, path)?, den, path)?;
    Ok((share, amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn case_4() {
        let pts = [(d("0.5"), d("0.25")), (d("1"), d("1")), (d("1.5"), d("2"))];
        let s = |a: &str| share(d(a), &pts, Above::Hold, Some(d("2")), "").unwrap();
        assert_eq!(s("0.80"), d("0.7"));
        assert_eq!(s("1.30"), d("1.6"));
        assert_eq!(s("1.80"), d("2"));
        assert_eq!(s("0.45"), d("0"));
        assert_eq!(s("0.5"), d("0.25"));
        let e = share(d("1.8"), &pts, Above::Extend, None, "").unwrap();
        assert_eq!(e, d("2.6"));
        let e = share(d("1.8"), &pts, Above::Extend, Some(d("2")), "").unwrap();
        assert_eq!(e, d("2"));
    }

    #[test]
    fn linear_from_zero() {
        let pts = [(d("0"), d("0")), (d("1"), d("1"))];
        assert_eq!(
            share(d("1.1"), &pts, Above::Extend, None, "").unwrap(),
            d("1.1")
        );
        assert_eq!(
            share(d("0.75"), &pts, Above::Extend, None, "").unwrap(),
            d("0.75")
        );
    }
}
