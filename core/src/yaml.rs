//! YAML text to JSON text, keeping every number's digits (no float conversion).

use crate::error::{Error, Result};
use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

fn number(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty()
        || t.starts_with('+')
        || t.starts_with('.')
        || t.ends_with('.')
        || t.contains('_')
    {
        return None;
    }
    t.parse::<Number>().ok().map(Value::Number)
}

fn convert(y: &Yaml, path: &str) -> Result<Value> {
    Ok(match y {
        Yaml::Real(s) => number(s).unwrap_or_else(|| Value::String(s.clone())),
        Yaml::Integer(i) => Value::Number((*i).into()),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Null => Value::Null,
        Yaml::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(convert(item, &format!("{path}[{i}]"))?);
            }
            Value::Array(out)
        }
        Yaml::Hash(h) => {
            let mut out = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => {
                        return Err(Error::Syntax {
                            path: path.to_string(),
                            message: "expected text keys in YAML mappings".into(),
                        })
                    }
                };
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.insert(key, convert(v, &child)?);
            }
            Value::Object(out)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err(Error::Syntax {
                path: path.to_string(),
                message: "unsupported YAML value (aliases are not allowed)".into(),
            })
        }
    })
}

/// Convert one YAML document to JSON text.
///
/// ```
/// let json = payplan_core::yaml_to_json("rate: 0.05\nname: x\n").unwrap();
/// assert_eq!(json, r#"{"name":"x","rate":0.05}"#);
/// ```
pub fn yaml_to_json(text: &str) -> Result<String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| Error::Syntax {
        path: format!(
            "line {}, column {}",
            e.marker().line(),
            e.marker().col() + 1
        ),
        message: format!("malformed YAML: {e}"),
    })?;
    let doc = match docs.len() {
        0 => Value::Null,
        1 => convert(&docs[0], "")?,
        n => {
            return Err(Error::Syntax {
                path: String::new(),
                message: format!("expected one YAML document, found {n}"),
            })
        }
    };
    Ok(serde_json::to_string(&doc).unwrap_or_default())
}
