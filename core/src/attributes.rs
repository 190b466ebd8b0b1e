//! Free attributes of a payee or transaction (`attributes` in JSON, extra columns in CSV):
//! a small map kept sorted by name, one attribute held inline.

use crate::inputs::Word;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

/// A free attribute value (text; numbers keep their digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Attr(pub Word);

impl<'de> Deserialize<'de> for Attr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Attr, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Attr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, number or boolean attribute value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Attr, E> {
                Ok(Attr(v.into()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Attr, E> {
                Ok(Attr(v.into()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Attr, E> {
                Ok(Attr(if v { "true" } else { "false" }.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Attr, E> {
                Ok(Attr(v.to_string().into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Attr, E> {
                Ok(Attr(v.to_string().into()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Attr, A::Error> {
                let k: Option<String> = m.next_key()?;
                match k {
                    Some(_) => Ok(Attr(m.next_value::<Word>()?)),
                    None => Err(de::Error::custom("expected a scalar attribute value")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Free attributes of a payee or transaction: a small map kept sorted by name (read and
/// written as a JSON object in name order, like a `BTreeMap`, at a fraction of its memory —
/// a million transactions with one attribute each hold 500 MB less).
///
/// ```
/// use payplan_core::inputs::{Attr, Attributes};
/// let mut a = Attributes::new();
/// a.insert("segment".into(), Attr("mid".into()));
/// a.insert("product".into(), Attr("cloud".into()));
/// assert_eq!(a.get("product").map(|v| v.0.as_str()), Some("cloud"));
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"product":"cloud","segment":"mid"}"#);
/// ```
///
/// One attribute is held inline (a CSV with one attribute column gives every row one): no
/// allocation, 16 bytes. More are held in a boxed slice of exactly their number (a growing
/// list would hold room for four), behind one more pointer. The size-budgeted WebAssembly
/// build always boxes them.
#[derive(Clone, Default)]
pub struct Attributes(Pairs);

/// One pair inline, or none or more behind one thin pointer: 16 bytes (the tag sits in the
/// niche of the first pair's name).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
enum Pairs {
    One([(Word, Attr); 1]),
    More(Option<Box<Many>>),
}

/// Two or more pairs (boxed once more, so that `Pairs::More` is one thin pointer).
#[cfg(not(target_arch = "wasm32"))]
type Many = Box<[(Word, Attr)]>;

#[cfg(not(target_arch = "wasm32"))]
impl Default for Pairs {
    fn default() -> Pairs {
        Pairs::More(None)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Pairs {
    /// The pairs of `list` (sorted, unique names), held by their number.
    fn of(mut list: Vec<(Word, Attr)>) -> Pairs {
        match list.len() {
            0 => Pairs::default(),
            1 => match list.pop() {
                Some(pair) => Pairs::One([pair]),
                None => Pairs::default(),
            },
            _ => Pairs::More(Some(Box::new(list.into_boxed_slice()))),
        }
    }

    fn one(pair: (Word, Attr)) -> Pairs {
        Pairs::One([pair])
    }

    fn as_slice(&self) -> &[(Word, Attr)] {
        match self {
            Pairs::One(one) => one,
            Pairs::More(None) => &[],
            Pairs::More(Some(many)) => many,
        }
    }

    fn into_vec(self) -> Vec<(Word, Attr)> {
        match self {
            Pairs::One(one) => one.into(),
            Pairs::More(None) => Vec::new(),
            Pairs::More(Some(many)) => many.into_vec(),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [(Word, Attr)] {
        match self {
            Pairs::One(one) => one,
            Pairs::More(None) => &mut [],
            Pairs::More(Some(many)) => many,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Attributes {
    /// The names and values, to share their text (their order is kept).
    pub(crate) fn words_mut(&mut self) -> impl Iterator<Item = (&mut Word, &mut Word)> {
        self.0.as_mut_slice().iter_mut().map(|(k, v)| (k, &mut v.0))
    }
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone, Default)]
struct Pairs(Box<[(Word, Attr)]>);

#[cfg(target_arch = "wasm32")]
impl Pairs {
    fn of(list: Vec<(Word, Attr)>) -> Pairs {
        Pairs(list.into_boxed_slice())
    }

    fn one(pair: (Word, Attr)) -> Pairs {
        Pairs(Box::new([pair]))
    }

    fn as_slice(&self) -> &[(Word, Attr)] {
        &self.0
    }

    fn into_vec(self) -> Vec<(Word, Attr)> {
        self.0.into_vec()
    }
}

/// Equal when the same names hold the same values.
impl PartialEq for Attributes {
    fn eq(&self, other: &Attributes) -> bool {
        self.0.as_slice() == other.0.as_slice()
    }
}

impl Eq for Attributes {}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Attributes")
            .field(&self.0.as_slice())
            .finish()
    }
}

impl Attributes {
    pub fn new() -> Attributes {
        Attributes::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.as_slice().is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.as_slice().len()
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Attr> {
        let pairs = self.0.as_slice();
        pairs
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &pairs[i].1)
    }

    /// Set attribute `name`; returns the value it replaces.
    pub fn insert(&mut self, name: Word, value: Attr) -> Option<Attr> {
        let mut pairs = std::mem::take(&mut self.0).into_vec();
        let old = put(&mut pairs, name, value);
        self.0 = Pairs::of(pairs);
        old
    }

    /// The attributes in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&Word, &Attr)> {
        self.0.as_slice().iter().map(|(k, v)| (k, v))
    }
}

/// Set `name` in `pairs`, kept sorted by name; returns the value it replaces.
fn put(pairs: &mut Vec<(Word, Attr)>, name: Word, value: Attr) -> Option<Attr> {
    match pairs.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(i) => Some(std::mem::replace(&mut pairs[i].1, value)),
        Err(i) => {
            pairs.insert(i, (name, value));
            None
        }
    }
}

/// A repeated name keeps its last value, as in a map.
impl FromIterator<(Word, Attr)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (Word, Attr)>>(pairs: I) -> Attributes {
        let mut pairs = pairs.into_iter();
        let Some(first) = pairs.next() else {
            return Attributes::default();
        };
        let Some(second) = pairs.next() else {
            return Attributes(Pairs::one(first));
        };
        // Room for the most there can be (a CSV row's attribute columns): one allocation.
        let mut kept = Vec::with_capacity(pairs.size_hint().1.unwrap_or(0).min(14) + 2);
        for (name, value) in [first, second].into_iter().chain(pairs) {
            put(&mut kept, name, value);
        }
        Attributes(Pairs::of(kept))
    }
}

impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.as_slice().iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Attributes, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of attributes")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Attributes, A::Error> {
                // A repeated name keeps its last value, as in a map.
                let mut pairs = Vec::new();
                while let Some((k, v)) = m.next_entry::<Word, Attr>()? {
                    put(&mut pairs, k, v);
                }
                Ok(Attributes(Pairs::of(pairs)))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(a: &Attributes) -> Vec<(&str, &str)> {
        a.iter().map(|(k, v)| (k.as_str(), v.0.as_str())).collect()
    }

    #[test]
    fn attributes_are_sorted_by_name_and_a_repeated_name_keeps_its_last_value() {
        let given = [("segment", "mid"), ("product", "cloud"), ("segment", "smb")];
        let a: Attributes = given
            .iter()
            .map(|&(k, v)| (k.into(), Attr(v.into())))
            .collect();
        assert_eq!(pairs(&a), [("product", "cloud"), ("segment", "smb")]);
        // The JSON reader and `insert` agree with collecting.
        let json: Attributes =
            serde_json::from_str(r#"{"segment": "mid", "product": "cloud", "segment": "smb"}"#)
                .unwrap();
        assert_eq!(json, a);
        let mut b = Attributes::new();
        for &(k, v) in &given {
            b.insert(k.into(), Attr(v.into()));
        }
        assert_eq!(b, a);
        assert_eq!(
            b.insert("product".into(), Attr("onprem".into())),
            Some(Attr("cloud".into()))
        );
        assert_eq!(pairs(&b), [("product", "onprem"), ("segment", "smb")]);
        assert_eq!(b.get("segment"), Some(&Attr("smb".into())));
        assert_eq!(b.get("region"), None);
    }

    #[test]
    fn zero_one_and_many_attributes_read_alike() {
        let attr = |k: &str, v: &str| (Word::from(k), Attr(v.into()));
        let none: Attributes = std::iter::empty().collect();
        assert!(none.is_empty() && none.get("a").is_none());
        assert_eq!(none, Attributes::new());
        let one: Attributes = [attr("a", "1")].into_iter().collect();
        assert_eq!((one.len(), one.get("a")), (1, Some(&Attr("1".into()))));
        assert_eq!(one.get("b"), None);
        let two: Attributes = [attr("b", "2"), attr("a", "1")].into_iter().collect();
        assert_eq!(pairs(&two), [("a", "1"), ("b", "2")]);
        // Two pairs of one name are one attribute, equal to one pair.
        let same: Attributes = [attr("a", "0"), attr("a", "1")].into_iter().collect();
        assert_eq!(same, one);
        // Growing from one to two, and serde's map, see the same pairs.
        let mut grown = one.clone();
        grown.insert("b".into(), Attr("2".into()));
        assert_eq!(grown, two);
        assert_eq!(serde_json::to_string(&two).unwrap(), r#"{"a":"1","b":"2"}"#);
        assert_eq!(format!("{none:?}"), "Attributes([])");
    }
}
