//! The attribute map and the sizes of the rows.

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

/// One attribute is held inline: a native `Attributes` is one pair of words (its tag in
/// their niche), and a transaction row (repeated text in words, a thin pointer to its
/// splits, a 4-byte date, a 16-byte origin) holds 136 bytes, where it held 264 with inline
/// text (a million rows: 128 MB less).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn one_attribute_is_held_inline() {
    use std::mem::size_of;
    assert_eq!(size_of::<(Word, Attr)>(), 16);
    assert_eq!(size_of::<Attributes>(), 16);
    assert_eq!((size_of::<Word>(), size_of::<Option<Word>>()), (8, 8));
    assert_eq!(size_of::<Origin>(), 16);
    assert_eq!(size_of::<Transaction>(), 136);
    assert_eq!(size_of::<QuotaRow>(), 56);
}
