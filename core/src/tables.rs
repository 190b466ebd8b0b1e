//! CSV tables: the header names the fields, extra columns become attributes, and a bad cell
//! is an error naming `file row N, column C` (row 1 is the header). Text in, rows out; no I/O.

use crate::error::{Error, Result};
use crate::inputs::{Origin, Row};
use serde_json::{Map, Value};

/// Fields each table knows (other columns are attributes where the table has them).
fn known_fields(table: &str) -> &'static [&'static str] {
    match table {
        "payees" => &[
            "id",
            "name",
            "manager",
            "team",
            "hire_date",
            "termination_date",
            "currency",
            "leaves",
        ],
        "assignments" => &["payee", "plan", "from", "to", "target_incentive"],
        "transactions" => &[
            "id",
            "kind",
            "date",
            "amount",
            "currency",
            "owner",
            "splits",
            "quantity",
            "reference",
        ],
        "quotas" => &["payee", "measure", "period", "amount"],
        "fx_rates" => &["from", "to", "rate", "effective"],
        "payments" => &["payee", "period", "component", "amount", "closed"],
        "adjustments" => &["id", "payee", "period", "amount", "reason", "approver"],
        _ => &[],
    }
}

fn cell_error(name: &str, row: usize, column: &str, message: &str) -> Error {
    crate::request::shape_error(format!("{name} row {row}, column {column}"), message)
}

/// `A:0.5;B:0.5` → `[{"payee": "A", "share": "0.5"}, …]`.
fn splits(text: &str, name: &str, row: usize) -> Result<Value> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (payee, share) = part.split_once(':').ok_or_else(|| {
            cell_error(
                name,
                row,
                "splits",
                &format!("expected PAYEE:SHARE;…, found {part:?}"),
            )
        })?;
        let mut m = Map::new();
        m.insert("payee".into(), Value::String(payee.trim().to_string()));
        m.insert("share".into(), Value::String(share.trim().to_string()));
        out.push(Value::Object(m));
    }
    Ok(Value::Array(out))
}

/// `2027-06-01/2027-06-30;…` → `[{"from": …, "to": …}, …]`.
fn leaves(text: &str, name: &str, row: usize) -> Result<Value> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = part.split_once('/').ok_or_else(|| {
            cell_error(
                name,
                row,
                "leaves",
                &format!("expected FROM/TO;…, found {part:?}"),
            )
        })?;
        let mut m = Map::new();
        m.insert("from".into(), Value::String(from.trim().to_string()));
        m.insert("to".into(), Value::String(to.trim().to_string()));
        out.push(Value::Object(m));
    }
    Ok(Value::Array(out))
}

/// Native builds try a fast parse first and track the column only on an error; the
/// WebAssembly build keeps the one path-tracking parser to stay small.
fn deserialize_row<T: Row>(
    value: &Value,
) -> std::result::Result<T, serde_path_to_error::Error<serde_json::Error>> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(item) = T::deserialize(value) {
        return Ok(item);
    }
    serde_path_to_error::deserialize(value)
}

/// Read the rows of table `T` from CSV text called `name`.
pub fn read_csv<T: Row>(text: &str, name: &str) -> Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Syntax {
            path: format!("{name} row 1"),
            message: format!("malformed CSV: {e}"),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let known = known_fields(T::TABLE);
    for h in &headers {
        if !known.contains(&h.as_str()) && !T::HAS_ATTRIBUTES {
            return Err(Error::input(
                "unknown_field",
                format!("{name} row 1, column {h}"),
                format!("unknown column {h:?}; expected one of {}", known.join(", ")),
            ));
        }
    }
    let mut out = Vec::new();
    let file: std::sync::Arc<str> = name.into();
    let mut record = csv::StringRecord::new();
    let mut row = 1;
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Error::Syntax {
                    path: format!("{name} row {row}"),
                    message: format!("malformed CSV: {e}"),
                })
            }
        }
        let mut obj = Map::new();
        let mut attrs = Map::new();
        for (h, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = match h.as_str() {
                "splits" => splits(cell, name, row)?,
                "leaves" => leaves(cell, name, row)?,
                "closed" => Value::Bool(matches!(cell, "true" | "1" | "yes")),
                _ => Value::String(cell.to_string()),
            };
            if known.contains(&h.as_str()) {
                obj.insert(h.clone(), value);
            } else {
                attrs.insert(h.clone(), value);
            }
        }
        if !attrs.is_empty() {
            obj.insert("attributes".into(), Value::Object(attrs));
        }
        let value = Value::Object(obj);
        let mut item: T = deserialize_row(&value).map_err(|e| {
            let column = e
                .path()
                .iter()
                .next()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let column = if column.is_empty() {
                "?".to_string()
            } else {
                column
            };
            let msg = e.into_inner().to_string();
            let column = if msg.starts_with("missing field") {
                msg.split('`').nth(1).unwrap_or(&column).to_string()
            } else {
                column
            };
            cell_error(name, row, &column, &msg)
        })?;
        item.set_origin(Origin::Csv {
            name: file.clone(),
            row,
        });
        out.push(item);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Transaction;

    #[test]
    fn reads_rows_and_attributes() {
        let text = "id,date,amount,owner,segment\nT1,2027-01-05,10.05,A,mid\nT2,2027-01-06,5,,\n";
        let rows: Vec<Transaction> = read_csv(text, "transactions.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].amount.0.to_string(), "10.05");
        assert_eq!(rows[0].attributes["segment"].0, "mid");
        assert_eq!(rows[1].owner, None);
        assert_eq!(
            rows[1].origin.field("amount"),
            "transactions.csv row 3, column amount"
        );
    }

    #[test]
    fn bad_cell_names_row_and_column() {
        let text = "id,date,amount,owner\nT1,2027-01-05,10.05,A\nT2,2027-01-06,ten,A\n";
        let err = read_csv::<Transaction>(text, "transactions.csv").unwrap_err();
        assert_eq!(err.code(), "invalid_decimal");
        assert_eq!(err.path(), "transactions.csv row 3, column amount");
        let text = "id,date,amount,owner\nT1,2027-02-30,1,A\n";
        let err = read_csv::<Transaction>(text, "t.csv").unwrap_err();
        assert_eq!(err.code(), "invalid_date");
        assert_eq!(err.path(), "t.csv row 2, column date");
    }

    #[test]
    fn splits_cell() {
        let text = "id,date,amount,splits\nT1,2027-01-05,100.01,A:0.5;B:0.5\n";
        let rows: Vec<Transaction> = read_csv(text, "t.csv").unwrap();
        assert_eq!(rows[0].splits.len(), 2);
        assert_eq!(rows[0].splits[1].payee, "B");
    }
}
