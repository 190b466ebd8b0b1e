//! CSV tables: the header names the fields, extra columns become attributes, and a bad cell
//! is an error naming `file row N, column C` (row 1 is the header). Text in, rows out; no I/O.

use crate::error::{Error, Result};
use crate::inputs::{Origin, Row, Shared};
use csv::StringRecord;
use serde_json::{Map, Value};

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use crate::csv_rows::{CsvRow, Words};
/// The WebAssembly build shares no text between rows (it has no typed fast path).
#[cfg(target_arch = "wasm32")]
#[derive(Default)]
pub(crate) struct Words(());

/// A table's row type (the WebAssembly build has no typed fast path: every row goes the
/// general way, to stay small).
#[cfg(target_arch = "wasm32")]
pub(crate) trait CsvRow: Row + Send {}
#[cfg(target_arch = "wasm32")]
impl<T: Row + Send> CsvRow for T {}

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

/// A table's header, read once.
struct Header {
    headers: Vec<String>,
    known: &'static [&'static str],
    /// Cells of the typed fast path (`None`: every row goes the general way).
    #[cfg(not(target_arch = "wasm32"))]
    layout: Option<crate::csv_rows::Layout>,
}

/// How the reader trims: natively the header only, and cells where they are read (the
/// reader's own trimming copies every record twice) with the same `str::trim`; the
/// WebAssembly build lets the reader trim everything, as it always did.
#[cfg(not(target_arch = "wasm32"))]
const TRIM: csv::Trim = csv::Trim::Headers;
#[cfg(target_arch = "wasm32")]
const TRIM: csv::Trim = csv::Trim::All;

fn reader(text: &str, has_headers: bool, trim: csv::Trim) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .trim(trim)
        .from_reader(text.as_bytes())
}

fn read_header<T: Row>(reader: &mut csv::Reader<&[u8]>, name: &str) -> Result<Header> {
    header_of(reader, name, T::TABLE, T::HAS_ATTRIBUTES)
}

fn header_of(
    reader: &mut csv::Reader<&[u8]>,
    name: &str,
    table: &str,
    has_attributes: bool,
) -> Result<Header> {
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Syntax {
            path: format!("{name} row 1"),
            message: format!("malformed CSV: {e}"),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let known = known_fields(table);
    for h in &headers {
        if !known.contains(&h.as_str()) && !has_attributes {
            return Err(Error::input(
                "unknown_field",
                format!("{name} row 1, column {h}"),
                format!("unknown column {h:?}; expected one of {}", known.join(", ")),
            ));
        }
    }
    Ok(Header {
        #[cfg(not(target_arch = "wasm32"))]
        layout: crate::csv_rows::Layout::new(known, &headers),
        headers,
        known,
    })
}

/// The general path: the row as a JSON object, deserialised, naming the column on an error.
fn value_row<T: Row>(header: &Header, record: &StringRecord, name: &str, row: usize) -> Result<T> {
    let value = row_value(header, record, name, row)?;
    deserialize_row(&value).map_err(|e| row_error(e, name, row))
}

/// The row as a JSON object (empty cells left out, unknown columns under `attributes`).
fn row_value(header: &Header, record: &StringRecord, name: &str, row: usize) -> Result<Value> {
    let known = header.known;
    let mut obj = Map::new();
    let mut attrs = Map::new();
    for (h, cell) in header.headers.iter().zip(record.iter()) {
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
    Ok(Value::Object(obj))
}

/// A deserialisation error as `name row N, column C`.
fn row_error(e: serde_path_to_error::Error<serde_json::Error>, name: &str, row: usize) -> Error {
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
}

/// One row of an untrimmed record: the typed fast path where it applies, else the general
/// path on the trimmed record.
fn parse_row<T: CsvRow>(
    header: &Header,
    record: &mut StringRecord,
    words: &mut Words,
    name: &str,
    row: usize,
) -> Result<T> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(item) = header
        .layout
        .as_ref()
        .and_then(|l| T::from_cells(&mut l.cells(record, words)))
    {
        return Ok(item);
    }
    #[cfg(not(target_arch = "wasm32"))]
    record.trim();
    #[cfg(target_arch = "wasm32")]
    let Words(()) = words;
    value_row(header, record, name, row)
}

/// Read the rows of table `T` from CSV text called `name`.
pub(crate) fn read_csv<T: CsvRow>(text: &str, name: &str) -> Result<Vec<T>> {
    let mut reader = reader(text, true, TRIM);
    let header = read_header::<T>(&mut reader, name)?;
    #[cfg(all(feature = "parallel", not(target_arch = "wasm32")))]
    if let Some(rows) = read_chunked(text, name, &header) {
        return Ok(rows);
    }
    read_rows(reader, &header, name)
}

/// Line `row` of CSV file `file` (rows past 4 billion read as 4294967295).
fn csv_origin(file: &Shared, row: usize) -> Origin {
    Origin::Csv {
        name: file.clone(),
        row: u32::try_from(row).unwrap_or(u32::MAX),
    }
}

/// The records after the header, one after the other.
fn read_rows<T: CsvRow>(
    mut reader: csv::Reader<&[u8]>,
    header: &Header,
    name: &str,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let file: Shared = name.into();
    let mut record = StringRecord::new();
    let mut words = Words::default();
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
        let mut item: T = parse_row(header, &mut record, &mut words, name, row)?;
        item.set_origin(csv_origin(&file, row));
        out.push(item);
    }
    Ok(out)
}

/// Texts larger than this are read in chunks of about this size on all threads.
#[cfg(any(test, all(feature = "parallel", not(target_arch = "wasm32"))))]
const CHUNK_BYTES: usize = 1 << 20;

/// Starts of line-aligned chunks of about `size` bytes, and the end of the text.
#[cfg(any(test, all(feature = "parallel", not(target_arch = "wasm32"))))]
fn chunk_bounds(text: &str, size: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    let mut from = size.max(1);
    while let Some(newline) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
    {
        let cut = from + newline + 1;
        if cut >= bytes.len() {
            break;
        }
        bounds.push(cut);
        from = cut + size.max(1);
    }
    bounds.push(bytes.len());
    bounds
}

/// The rows of a large text read in line-aligned chunks in parallel, numbered as the serial
/// read numbers them. Only for text without a `"` (so every newline ends a record) and more
/// than one thread. `None` when it does not apply or on any problem: the serial read then
/// reports the first problem exactly as always.
#[cfg(all(feature = "parallel", not(target_arch = "wasm32")))]
fn read_chunked<T: CsvRow>(text: &str, name: &str, header: &Header) -> Option<Vec<T>> {
    if text.len() <= CHUNK_BYTES || rayon::current_num_threads() < 2 {
        return None;
    }
    if T::ID_ORDER {
        if let Some(rows) = id_order::read_in_id_order(text, name, header, CHUNK_BYTES) {
            return Some(rows);
        }
    }
    read_in_chunks(text, name, header, CHUNK_BYTES)
}

#[cfg(any(test, all(feature = "parallel", not(target_arch = "wasm32"))))]
mod id_order;

/// The chunked read with chunks of about `size` bytes (stops early at a problem). Every row
/// is a line here, so the rows are counted first and parsed straight into their places in
/// one table of blank rows (filled on all threads): no row is moved after it is parsed.
#[cfg(any(test, all(feature = "parallel", not(target_arch = "wasm32"))))]
fn read_in_chunks<T: CsvRow>(
    text: &str,
    name: &str,
    header: &Header,
    size: usize,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    if text.contains('"') {
        return None;
    }
    let bounds = chunk_bounds(text, size);
    // Lines per chunk (the first one's header is not a row).
    let lines: Vec<usize> = bounds
        .par_windows(2)
        .enumerate()
        .map(|(i, w)| {
            let part = text.as_bytes().get(w[0]..w[1]).unwrap_or_default();
            // Lines end as the reader ends them: `\n`, `\r\n` or a lone `\r`.
            let ends = part
                .iter()
                .enumerate()
                .filter(|&(k, &b)| b == b'\n' || b == b'\r' && part.get(k + 1) != Some(&b'\n'))
                .count();
            let open = part.last().is_some_and(|&b| b != b'\n' && b != b'\r');
            let n = ends + usize::from(open);
            n.saturating_sub(usize::from(i == 0))
        })
        .collect();
    let total: usize = lines.iter().sum();
    let mut out: Vec<T> = Vec::with_capacity(total);
    out.par_extend((0..total).into_par_iter().map(|_| T::default()));
    // Each chunk's rows, and the number of its first row (1 is the header).
    let mut places = Vec::with_capacity(lines.len());
    let mut rest = out.as_mut_slice();
    let mut first = 2;
    for &n in &lines {
        let (rows, tail) = rest.split_at_mut_checked(n)?;
        places.push((rows, first));
        rest = tail;
        first += n;
    }
    // Rows filled per chunk: fewer than its lines where a line is blank.
    let filled: Vec<usize> = bounds
        .par_windows(2)
        .zip(places)
        .enumerate()
        .map_init(Words::default, |words, (i, (w, (rows, first)))| {
            // The first chunk starts with the header, which its reader skips.
            let part = text.get(w[0]..w[1])?;
            let mut reader = reader(part, i == 0, TRIM);
            let mut record = StringRecord::new();
            // One name per chunk: the threads do not share one count of references.
            let file: Shared = name.into();
            let mut slots = rows.iter_mut();
            let mut row = first;
            loop {
                match reader.read_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(_) => return None,
                }
                // Row numbers only appear in errors, and an error sends the text to the
                // serial read.
                let (Some(slot), true) = (slots.next(), record.len() == header.headers.len())
                else {
                    return None;
                };
                let mut item = parse_row::<T>(header, &mut record, words, name, 0).ok()?;
                item.set_origin(csv_origin(&file, row));
                *slot = item;
                row += 1;
            }
            Some(row - first)
        })
        .collect::<Option<_>>()?;
    if filled != lines {
        // Close the gaps of blank lines and number the rows as the serial read does, by
        // record (rare: rows move only here).
        let (mut to, mut start) = (0, 0);
        for (&n, &f) in lines.iter().zip(&filled) {
            for j in start..start + f {
                out.swap(to, j);
                to += 1;
            }
            start += n;
        }
        out.truncate(to);
        let file: Shared = name.into();
        for (k, item) in out.iter_mut().enumerate() {
            item.set_origin(csv_origin(&file, k + 2));
        }
    }
    Some(out)
}

/// The serial read as it was before the fast paths: the reader trims, every row goes the
/// general way (to compare the fast paths against).
#[cfg(test)]
fn read_csv_general<T: CsvRow>(text: &str, name: &str) -> Result<Vec<T>> {
    let mut reader = reader(text, true, csv::Trim::All);
    let mut header = read_header::<T>(&mut reader, name)?;
    #[cfg(not(target_arch = "wasm32"))]
    {
        header.layout = None;
    }
    read_rows(reader, &header, name)
}

#[cfg(test)]
mod tests;
