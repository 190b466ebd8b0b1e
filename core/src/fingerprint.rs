//! SHA-256 fingerprint of the canonical request (plans, inputs in canonical order, options):
//! the digest of the request's compact JSON. Large tables are written to JSON in parallel
//! chunks (the `parallel` feature) and hashed in order, which gives the same digest.

use crate::inputs::Request;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Rows written per chunk, and chunks written at once (bounds the memory held).
#[cfg(not(target_arch = "wasm32"))]
const ROWS: usize = 4096;
#[cfg(not(target_arch = "wasm32"))]
const BATCH: usize = 8;

/// Compact JSON of `value`. Serialising plain data cannot fail; an error would only leave
/// the digest different.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// A row's compact JSON, as serde writes it.
#[cfg(not(target_arch = "wasm32"))]
trait RowJson {
    fn write_row(&self, out: &mut Vec<u8>);
}

/// Rows other than transactions: serde's writing (as in `json`: cannot fail on plain data).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! serde_rows {
    ($($t:ty),*) => {$(
        impl RowJson for $t {
            fn write_row(&self, out: &mut Vec<u8>) {
                let _ = serde_json::to_writer(&mut *out, self);
            }
        }
    )*};
}
#[cfg(not(target_arch = "wasm32"))]
serde_rows!(
    crate::inputs::Payee,
    crate::inputs::Assignment,
    crate::inputs::QuotaRow,
    crate::inputs::FxRate,
    crate::inputs::Payment,
    crate::inputs::Adjustment
);

/// A transaction's JSON written directly: the bytes serde writes (the test below compares
/// them), at a fraction of its cost for the largest table.
#[cfg(not(target_arch = "wasm32"))]
impl RowJson for crate::inputs::Transaction {
    fn write_row(&self, out: &mut Vec<u8>) {
        use crate::canonical::write_str;
        use crate::decimal::fmt_display;
        let key = |out: &mut Vec<u8>, k: &str| {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"\":");
        };
        out.extend_from_slice(b"{\"id\":");
        write_str(out, &self.id);
        key(out, "kind");
        write_str(out, &self.kind);
        key(out, "date");
        write_date(out, self.date.get());
        key(out, "amount");
        write_str(out, &fmt_display(self.amount.0));
        if let Some(c) = &self.currency {
            key(out, "currency");
            write_str(out, c);
        }
        if let Some(o) = &self.owner {
            key(out, "owner");
            write_str(out, o);
        }
        if !self.splits.is_empty() {
            key(out, "splits");
            out.push(b'[');
            for (i, s) in self.splits.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"payee\":");
                write_str(out, &s.payee);
                out.extend_from_slice(b",\"share\":");
                write_str(out, &fmt_display(s.share.0));
                out.push(b'}');
            }
            out.push(b']');
        }
        if let Some(q) = &self.quantity {
            key(out, "quantity");
            write_str(out, &fmt_display(q.0));
        }
        if let Some(r) = &self.reference {
            key(out, "reference");
            write_str(out, r);
        }
        if !self.attributes.is_empty() {
            key(out, "attributes");
            out.push(b'{');
            for (i, (k, v)) in self.attributes.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_str(out, &v.0);
            }
            out.push(b'}');
        }
        out.push(b'}');
    }
}

/// `"YYYY-MM-DD"` (the text of `Date`'s `Display`) without the formatter.
#[cfg(not(target_arch = "wasm32"))]
fn write_date(out: &mut Vec<u8>, d: crate::date::Date) {
    let digit = |n: u32| b'0' + (n % 10) as u8;
    match u32::try_from(d.year) {
        Ok(y) if y <= 9999 && d.month <= 99 && d.day <= 99 => out.extend_from_slice(&[
            b'"',
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(d.month / 10),
            digit(d.month),
            b'-',
            digit(d.day / 10),
            digit(d.day),
            b'"',
        ]),
        _ => crate::canonical::write_str(out, &d.to_string()),
    }
}

/// Rows joined by commas, as inside a JSON array.
#[cfg(not(target_arch = "wasm32"))]
fn joined<T: RowJson>(rows: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 128);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        r.write_row(&mut out);
    }
    out
}

/// `sep"name":[rows…]`, hashed.
#[cfg(not(target_arch = "wasm32"))]
fn table<T: RowJson + Sync>(h: &mut Sha256, sep: &str, name: &str, rows: &[T]) {
    h.update(sep.as_bytes());
    h.update(b"\"");
    h.update(name.as_bytes());
    h.update(b"\":[");
    let chunks: Vec<&[T]> = rows.chunks(ROWS).collect();
    for (b, batch) in chunks.chunks(BATCH).enumerate() {
        let parts = crate::run::map_payees(0..batch.len(), |i| joined(batch[i]));
        for (i, part) in parts.iter().enumerate() {
            if b > 0 || i > 0 {
                h.update(b",");
            }
            h.update(part);
        }
    }
    h.update(b"]");
}

/// Hex SHA-256 of the request's canonical JSON. Call on a request in canonical row order.
/// (The single-threaded WebAssembly build hashes serde's writing of the whole request: the
/// same digest, in less code.)
#[cfg(target_arch = "wasm32")]
pub fn fingerprint(req: &Request) -> String {
    Sha256::digest(json(req))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hex SHA-256 of the request's canonical JSON. Call on a request in canonical row order.
#[cfg(not(target_arch = "wasm32"))]
pub fn fingerprint(req: &Request) -> String {
    let mut h = Sha256::new();
    // The fields of `Request` and `Inputs` in their declared order, as serde writes them.
    h.update(b"{\"plans\":");
    h.update(json(&req.plans));
    h.update(b",\"inputs\":{");
    let i = &req.inputs;
    table(&mut h, "", "payees", &i.payees);
    table(&mut h, ",", "assignments", &i.assignments);
    table(&mut h, ",", "transactions", &i.transactions);
    table(&mut h, ",", "quotas", &i.quotas);
    table(&mut h, ",", "fx_rates", &i.fx_rates);
    table(&mut h, ",", "payments", &i.payments);
    table(&mut h, ",", "adjustments", &i.adjustments);
    h.update(b"},\"options\":");
    h.update(json(&req.options));
    h.update(b"}");
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest of serde's own writing of the whole request.
    fn whole(req: &Request) -> String {
        let digest = Sha256::digest(serde_json::to_vec(req).unwrap());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn dates_are_written_as_displayed() {
        use crate::date::Date;
        for d in [
            Date::new(1, 1, 1).unwrap(),
            Date::new(2027, 12, 31).unwrap(),
            Date::new(9999, 2, 3).unwrap(),
            Date::from_day_number(-400),
            Date::from_day_number(10_000_000),
        ] {
            let mut out = Vec::new();
            write_date(&mut out, d);
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{d}\""));
        }
    }

    #[test]
    fn chunked_digest_is_the_digest_of_the_whole_json() {
        for n in [0, 1, 2, ROWS - 1, ROWS, ROWS + 1, ROWS * BATCH + 3] {
            let txns: Vec<serde_json::Value> = (0..n)
                .map(|i| match i % 3 {
                    0 => serde_json::json!({"id": format!("T{i:06}"), "date": "2027-01-05",
                    "amount": format!("{i}.5"), "owner": "A", "attributes": {"x": "é\"\n"}}),
                    // Every optional field, escapes, splits and a negative amount.
                    1 => serde_json::json!({"id": format!("S\t{i:06}"), "kind": "book\u{1}ing",
                    "date": "2027-12-31", "amount": format!("-{i}.0500"), "currency": "USD",
                    "splits": [{"payee": "A", "share": "0.25"}, {"payee": "B", "share": "0.750"}],
                    "quantity": "3", "reference": "R\\1",
                    "attributes": {"z": 1, "a": "x", "m": true}}),
                    _ => serde_json::json!({"id": format!("C{i:06}"), "kind": "cancellation",
                    "date": "2027-02-01", "owner": "B", "reference": "T000000"}),
                })
                .collect();
            let req = serde_json::json!({"plan": {"payplan": 1, "id": "p", "currency": "EUR",
                "calendar": {"year": 2027, "period": "month"}, "measures": [{"id": "b"}],
                "components": [{"id": "c", "measure": "b", "mechanism": {"type": "rate", "rate": "0.1"}}]},
                "inputs": {"payees": [{"id": "A"}, {"id": "B"}], "transactions": txns},
                "options": {"closed_through": "2027-02"}});
            let req = crate::request::parse_request(&req.to_string()).unwrap();
            assert_eq!(fingerprint(&req), whole(&req), "{n} transactions");
        }
    }
}
