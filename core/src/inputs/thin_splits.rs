//! A split deal's shares in 8 bytes (native builds).

use super::Split;
use serde::{Deserialize, Deserializer, Serialize};

/// A split deal's shares behind one thin pointer (8 bytes; none: no allocation), read as a
/// slice and written as a JSON list.
///
/// ```
/// use payplan_core::inputs::{Split, ThinSplits};
/// let s: ThinSplits = serde_json::from_str(r#"[{"payee": "A", "share": "1"}]"#).unwrap();
/// assert_eq!((s.len(), s[0].payee.as_str()), (1, "A"));
/// assert!(ThinSplits::default().is_empty());
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"[{"payee":"A","share":"1"}]"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThinSplits(Option<Box<Box<[Split]>>>);

impl From<Vec<Split>> for ThinSplits {
    fn from(list: Vec<Split>) -> ThinSplits {
        ThinSplits((!list.is_empty()).then(|| Box::new(list.into_boxed_slice())))
    }
}

impl std::ops::Deref for ThinSplits {
    type Target = [Split];
    fn deref(&self) -> &[Split] {
        self.0.as_deref().map_or(&[], |s| s)
    }
}

impl std::ops::DerefMut for ThinSplits {
    fn deref_mut(&mut self) -> &mut [Split] {
        self.0.as_deref_mut().map_or(&mut [], |s| s)
    }
}

impl Serialize for ThinSplits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for ThinSplits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ThinSplits, D::Error> {
        Vec::<Split>::deserialize(d).map(ThinSplits::from)
    }
}
