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
