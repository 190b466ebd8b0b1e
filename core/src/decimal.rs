//! Exact decimals: parsing from text, checked arithmetic that reports overflow with a path,
//! declared rounding, and canonical formatting.

use crate::error::{Error, Result};
use crate::inputs::Text;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A decimal read from a JSON string, an exact JSON number (never through a binary float) or an integer.
///
/// ```
/// use payplan_core::decimal::Dec;
/// let d: Dec = serde_json::from_str("\"10.10\"").unwrap();
/// assert_eq!(d.0.to_string(), "10.10");
/// let n: Dec = serde_json::from_str("0.1").unwrap();
/// assert_eq!(n.0.to_string(), "0.1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

/// Parse decimal text exactly. Too many digits is `overflow`, anything else not a number
/// is `invalid_decimal`; both messages start with the code so callers can map them.
pub fn parse_decimal(text: &str) -> std::result::Result<Decimal, String> {
    let t = text.trim();
    let looks_numeric = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_'))
        && t.chars().any(|c| c.is_ascii_digit());
    if !looks_numeric || t.contains('_') {
        return Err(format!(
            "invalid_decimal: expected a decimal number, found {text:?}"
        ));
    }
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str_exact(t)
    };
    parsed.map_err(|_| {
        let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
        if digits > 28 || t.contains(['e', 'E']) {
            format!("overflow: {text:?} does not fit the engine's decimals (28 significant digits, at most about 7.9e28)")
        } else {
            format!("invalid_decimal: expected a decimal number, found {text:?}")
        }
    })
}

impl FromStr for Dec {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        parse_decimal(s).map(Dec)
    }
}

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

struct DecVisitor;

impl<'de> de::Visitor<'de> for DecVisitor {
    type Value = Dec;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number (string or exact number)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Dec, E> {
        parse_decimal(v).map(Dec).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Dec, E> {
        Err(E::custom(format!(
            "invalid_decimal: expected a decimal number, found {v}"
        )))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Dec, A::Error> {
        // serde_json's arbitrary_precision hands numbers over as a one-entry map holding the text.
        let key: Option<String> = map.next_key()?;
        match key {
            Some(_) => {
                let text: String = map.next_value()?;
                parse_decimal(&text).map(Dec).map_err(de::Error::custom)
            }
            None => Err(de::Error::custom(
                "invalid_decimal: expected a decimal number, found an object",
            )),
        }
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> std::result::Result<Dec, A::Error> {
        Err(de::Error::custom(
            "invalid_decimal: expected a decimal number, found a list",
        ))
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Dec, D::Error> {
        d.deserialize_any(DecVisitor)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Dec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A decimal number: a string such as \"0.05\" or an exact number",
            "type": ["string", "number", "integer"],
            "pattern": "^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"
        })
    }
}

/// Rounding modes a plan may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 0.125 → 0.13, −0.125 → −0.13 (the default).
    #[default]
    HalfAwayFromZero,
    /// Banker's rounding: 0.125 → 0.12.
    HalfEven,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// Round `d` to `scale` places with `mode`.
///
/// ```
/// use payplan_core::decimal::{round, RoundingMode};
/// use rust_decimal::Decimal;
/// let x: Decimal = "0.125".parse().unwrap();
/// assert_eq!(round(x, 2, RoundingMode::HalfAwayFromZero).to_string(), "0.13");
/// assert_eq!(round(x, 2, RoundingMode::HalfEven).to_string(), "0.12");
/// ```
pub fn round(d: Decimal, scale: u32, mode: RoundingMode) -> Decimal {
    d.round_dp_with_strategy(scale, mode.strategy())
}

/// Text of `d` with exactly `scale` decimals (no negative zero). Held inline up to 24
/// bytes (an output line's amounts allocate nothing; see [`Text`]).
pub fn fmt_scaled(d: Decimal, scale: u32) -> Text {
    #[cfg(not(target_arch = "wasm32"))]
    if d.scale() <= scale && scale <= 28 {
        // Zero has scale ≤ `scale` too: its mantissa's text is "0" with the zeros padded.
        return decimal_text(if d.is_zero() { Decimal::ZERO } else { d }, scale);
    }
    if d.is_zero() {
        return format!("{:.*}", scale as usize, Decimal::ZERO).into();
    }
    format!("{:.*}", scale as usize, d).into()
}

/// `d`'s own text (its scale kept), exactly `Decimal`'s `Display`, without the formatter.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn fmt_display(d: Decimal) -> Text {
    decimal_text(d, d.scale())
}

/// Full-precision text of `d` without trailing zeros (used in traces).
pub fn fmt_full(d: Decimal) -> Text {
    if d.is_zero() {
        return "0".into();
    }
    let n = d.normalize();
    // The size-budgeted WebAssembly build formats through `Display` (the same text).
    #[cfg(target_arch = "wasm32")]
    return n.to_string();
    #[cfg(not(target_arch = "wasm32"))]
    decimal_text(n, n.scale())
}

#[cfg(not(target_arch = "wasm32"))]
/// `d` as text with `scale` (≥ `d.scale()`) decimals: the mantissa's digits with the point
/// put in, and zeros padded on the right. Same text as `Decimal`'s `Display`, without its
/// general formatting machinery (it is most of a statement's formatting time).
fn decimal_text(d: Decimal, scale: u32) -> Text {
    let m = d.mantissa();
    let mut buf = [0u8; 40];
    let digits = mantissa_digits(m.unsigned_abs(), &mut buf);
    let own = d.scale() as usize;
    let pad = (scale as usize).saturating_sub(own);
    // Sign, "0.", up to 28 leading zeros, 29 digits, the point and up to 28 padding zeros.
    let mut text = [b'0'; 96];
    let mut n = 0;
    if m < 0 {
        text[n] = b'-';
        n += 1;
    }
    if digits.len() > own {
        let (int, frac) = digits.split_at(digits.len() - own);
        text[n..n + int.len()].copy_from_slice(int);
        n += int.len();
        if own + pad > 0 {
            text[n] = b'.';
            n += 1;
            text[n..n + frac.len()].copy_from_slice(frac);
            n += frac.len();
        }
    } else {
        text[n + 1] = b'.';
        n += 2 + (own - digits.len()); // "0." and the zeros already in `text`
        text[n..n + digits.len()].copy_from_slice(digits);
        n += digits.len();
    }
    n += pad; // padding zeros are already in `text`
    match std::str::from_utf8(&text[..n]) {
        Ok(t) => Text::from(t),
        Err(_) => Text::from(d.to_string()),
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// The decimal digits of `v` (at least one), written at the end of `buf`.
fn mantissa_digits(v: u128, buf: &mut [u8; 40]) -> &[u8] {
    const E19: u128 = 10_000_000_000_000_000_000;
    let mut end = buf.len();
    // "00" to "99": two digits per division (the loop's chain of divisions is halved).
    const PAIRS: [u8; 200] = {
        let mut t = [0u8; 200];
        let mut i = 0;
        while i < 100 {
            t[2 * i] = b'0' + (i / 10) as u8;
            t[2 * i + 1] = b'0' + (i % 10) as u8;
            i += 1;
        }
        t
    };
    let mut push_u64 = |mut x: u64, min: usize, end: &mut usize| {
        let stop = end.saturating_sub(min);
        while x >= 10 {
            let r = (x % 100) as usize * 2;
            x /= 100;
            *end -= 2;
            buf[*end..*end + 2].copy_from_slice(&PAIRS[r..r + 2]);
        }
        if x > 0 {
            *end -= 1;
            buf[*end] = b'0' + x as u8;
        }
        // Zeros up to `min` digits (the low chunk's leading zeros, or a lone "0").
        while *end > stop {
            *end -= 1;
            buf[*end] = b'0';
        }
    };
    // A 96-bit mantissa has at most 29 digits: at most two 19-digit chunks.
    if v >= E19 {
        push_u64((v % E19) as u64, 19, &mut end);
        push_u64((v / E19) as u64, 0, &mut end);
    } else {
        push_u64(v as u64, 1, &mut end);
    }
    &buf[end..]
}

/// `a × b`, or an overflow error naming `path`.
pub fn mul(a: Decimal, b: Decimal, path: &str) -> Result<Decimal> {
    a.checked_mul(b)
        .ok_or_else(|| mul_overflow(path.to_string(), a, b))
}

/// `a × b`, or an overflow error naming the path `path()` gives (written only then: hot
/// loops do not format paths; one copy of the code serves every caller).
#[cfg(not(target_arch = "wasm32"))]
pub fn mul_at(a: Decimal, b: Decimal, path: &dyn Fn() -> String) -> Result<Decimal> {
    match a.checked_mul(b) {
        Some(x) => Ok(x),
        None => Err(mul_overflow(path(), a, b)),
    }
}

#[cold]
fn mul_overflow(path: String, a: Decimal, b: Decimal) -> Error {
    Error::overflow(path, format!("{a} × {b}"))
}

/// `a + b`, or an overflow error naming `path`.
pub fn add(a: Decimal, b: Decimal, path: &str) -> Result<Decimal> {
    add_at(a, b, &|| path.to_string())
}

/// `a + b`, or an overflow error naming the path `path()` gives (written only then).
pub fn add_at(a: Decimal, b: Decimal, path: &dyn Fn() -> String) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow(path(), format!("{a} + {b}")))
}

/// `a − b`, or an overflow error naming `path`.
pub fn sub(a: Decimal, b: Decimal, path: &str) -> Result<Decimal> {
    a.checked_sub(b)
        .ok_or_else(|| Error::overflow(path, format!("{a} − {b}")))
}

/// `a ÷ b` (b ≠ 0 is the caller's duty), or an overflow error naming `path`.
pub fn div(a: Decimal, b: Decimal, path: &str) -> Result<Decimal> {
    a.checked_div(b)
        .ok_or_else(|| Error::overflow(path, format!("{a} ÷ {b}")))
}

/// Sum of an iterator, checked.
pub fn sum<I: IntoIterator<Item = Decimal>>(items: I, path: &str) -> Result<Decimal> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, x| add(acc, x, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The hand-written text of a decimal is exactly `Decimal`'s own.
        #[test]
        fn text_matches_decimal_display(lo in proptest::num::u32::ANY, mid in proptest::num::u32::ANY,
                                        hi in proptest::num::u32::ANY, neg in proptest::bool::ANY,
                                        scale in 0u32..=28, small in 0u64..1_000_000_000, pick in 0u8..3,
                                        extra in 0u32..6) {
            let x = match pick {
                0 => Decimal::from_parts(lo, mid, hi, neg, scale),
                1 => Decimal::from_parts(lo, 0, 0, neg, scale),
                _ => Decimal::new(small as i64, scale.min(12)),
            };
            proptest::prop_assert_eq!(fmt_display(x), x.to_string());
            proptest::prop_assert_eq!(fmt_full(x), if x.is_zero() { "0".to_string() } else { x.normalize().to_string() });
            let want = (x.scale() + extra).min(28);
            // rust_decimal's own Display overflows its buffer past ~30 characters.
            proptest::prop_assume!(x.to_string().len() + (want - x.scale()) as usize <= 30);
            proptest::prop_assert_eq!(fmt_scaled(x, want), format!("{:.*}", want as usize, if x.is_zero() { Decimal::ZERO } else { x }));
        }
    }

    #[test]
    fn text_of_decimals() {
        assert_eq!(fmt_scaled(d("1126.5"), 2), "1126.50");
        assert_eq!(fmt_scaled(d("-0.05"), 2), "-0.05");
        assert_eq!(fmt_scaled(d("-0.00"), 2), "0.00");
        assert_eq!(fmt_scaled(d("12"), 0), "12");
        for text in ["-0.00", "0.00", "0", "-0", "-1.0500", "0.0001"] {
            assert_eq!(fmt_display(d(text)), d(text).to_string(), "{text}");
        }
        assert_eq!(fmt_scaled(d("12"), 4), "12.0000");
        assert_eq!(fmt_full(d("0.0100")), "0.01");
        assert_eq!(fmt_full(d("-250.000")), "-250");
        assert_eq!(fmt_full(Decimal::MAX), "79228162514264337593543950335");
        assert_eq!(
            fmt_full(d("0.0000000000000000000000000001")),
            "0.0000000000000000000000000001"
        );
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_decimal("10.10").unwrap().to_string(), "10.10");
        assert_eq!(parse_decimal("1e3").unwrap(), d("1000"));
        assert!(parse_decimal("abc")
            .unwrap_err()
            .starts_with("invalid_decimal"));
        assert!(parse_decimal("")
            .unwrap_err()
            .starts_with("invalid_decimal"));
        assert!(parse_decimal("1_000")
            .unwrap_err()
            .starts_with("invalid_decimal"));
        assert!(parse_decimal("123456789012345678901234567890")
            .unwrap_err()
            .starts_with("overflow"));
    }

    #[test]
    fn json_numbers_are_read_from_text() {
        let v: Vec<Dec> =
            serde_json::from_str("[0.1, \"2.50\", 3, 1.0000000000000000000001]").unwrap();
        assert_eq!(v[0].0, d("0.1"));
        assert_eq!(v[1].0.to_string(), "2.50");
        assert_eq!(v[2].0, d("3"));
        assert_eq!(v[3].0.to_string(), "1.0000000000000000000001");
        assert!(serde_json::from_str::<Dec>("true").is_err());
    }

    #[test]
    fn rounding_modes_case_15() {
        assert_eq!(
            fmt_scaled(round(d("0.125"), 2, RoundingMode::HalfAwayFromZero), 2),
            "0.13"
        );
        assert_eq!(
            fmt_scaled(round(d("0.125"), 2, RoundingMode::HalfEven), 2),
            "0.12"
        );
        assert_eq!(
            fmt_scaled(round(d("-0.125"), 2, RoundingMode::HalfAwayFromZero), 2),
            "-0.13"
        );
        assert_eq!(
            fmt_scaled(round(d("-0.001"), 2, RoundingMode::HalfAwayFromZero), 2),
            "0.00"
        );
        assert_eq!(fmt_scaled(d("5"), 2), "5.00");
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Decimal::MAX;
        let e = mul(big, d("2"), "x").unwrap_err();
        assert_eq!(e.code(), "overflow");
        assert_eq!(e.path(), "x");
        assert!(add(big, big, "y").is_err());
        assert_eq!(fmt_full(d("1.500")), "1.5");
    }
}
