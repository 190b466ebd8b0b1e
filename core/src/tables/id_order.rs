//! The chunked read of a table kept in id order (transactions): the ids are read first, their
//! order is sorted, and each row is then parsed straight into its place in that order, on all
//! threads. Sorting the parsed rows instead moved every (large) row once more, on one core:
//! about 160 ms for a million transactions.
//!
//! The order is the one `order::sort_by_id` gives (ids, then the rows' input order), so the
//! canonical sort finds the table already sorted. Anything this read does not cover gives
//! `None`, and the ordinary chunked or serial read takes over.

use super::{chunk_bounds, csv_origin, parse_row, CsvRow, Header, Words};
use csv::StringRecord;

/// Rows parsed per task.
const ROWS: usize = 4096;

/// The rows of `text` in id order, each numbered by its record (row 2 is the first after the
/// header), or `None` where this read does not apply: a `"` (a quoted cell may hold a line
/// break or a comma), a lone carriage return, no `id` column, a record with a different
/// number of cells, any cell the row parser rejects, or text past 4 GB.
pub(super) fn read_in_id_order<T: CsvRow>(
    text: &str,
    name: &str,
    header: &Header,
    size: usize,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    if text.contains('"') || u32::try_from(text.len()).is_err() {
        return None;
    }
    let id_column = header.headers.iter().position(|h| h == "id")?;
    let columns = header.headers.len();
    let bounds = chunk_bounds(text, size);
    let parts: Vec<Vec<(u32, u32)>> = bounds
        .par_windows(2)
        .enumerate()
        .map(|(i, w)| record_spans(text, w[0], w[1], i == 0))
        .collect::<Option<_>>()?;
    let spans = parts.concat();
    drop(parts);
    let record = |r: u32| {
        let (from, to) = spans[r as usize];
        text.get(from as usize..to as usize).unwrap_or_default()
    };
    // The id as the row parser reads it: the cell, trimmed.
    let id = |r: u32| crate::csv_rows::trim(nth_cell(record(r), id_column));
    let count = u32::try_from(spans.len()).ok()?;
    let mut keys: Vec<(u128, u32)> = (0..count)
        .into_par_iter()
        .map(|r| (crate::order::id_prefix(id(r)), r))
        .collect();
    // Keys are unique (the record breaks ties), so an unstable sort gives the one order.
    keys.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| id(a.1).cmp(id(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let order: Vec<u32> = keys.into_iter().map(|(_, r)| r).collect();
    let mut out: Vec<T> = Vec::with_capacity(order.len());
    out.par_extend((0..order.len()).into_par_iter().map(|_| T::default()));
    out.par_chunks_mut(ROWS)
        .zip(order.par_chunks(ROWS))
        .try_for_each_init(Words::default, |words, (slots, records)| {
            // One name per task: the threads do not share one count of references.
            let file: crate::inputs::Shared = name.into();
            let mut cells = StringRecord::new();
            for (slot, &r) in slots.iter_mut().zip(records) {
                cells.clear();
                // Cells end at a comma (ASCII, so every cut falls between characters).
                let text = record(r);
                let mut from = 0;
                for (k, b) in text.bytes().enumerate() {
                    if b == b',' {
                        cells.push_field(text.get(from..k).unwrap_or_default());
                        from = k + 1;
                    }
                }
                cells.push_field(text.get(from..).unwrap_or_default());
                if cells.len() != columns {
                    return None;
                }
                // Row numbers only appear in errors, and an error sends the text to the
                // other reads.
                let mut row = parse_row::<T>(header, &mut cells, words, name, 0).ok()?;
                row.set_origin(csv_origin(&file, r as usize + 2));
                *slot = row;
            }
            Some(())
        })?;
    Some(out)
}

/// Cell `column` of an unquoted `record` (empty past its last cell).
fn nth_cell(record: &str, column: usize) -> &str {
    let mut from = 0;
    let mut k = 0;
    for (i, b) in record.bytes().enumerate() {
        if b == b',' {
            if k == column {
                return record.get(from..i).unwrap_or_default();
            }
            k += 1;
            from = i + 1;
        }
    }
    match k == column {
        true => record.get(from..).unwrap_or_default(),
        false => "",
    }
}

/// Byte spans of the records in `text[from..to]` (line-aligned), as the CSV reader splits an
/// unquoted text: a line ends at `\n` or `\r\n`, a blank line is no record, and the first
/// chunk's first record is the header. `None` at a lone `\r` (the reader would end a line
/// there too; the other reads handle it).
fn record_spans(text: &str, from: usize, to: usize, first: bool) -> Option<Vec<(u32, u32)>> {
    let part = text.as_bytes().get(from..to)?;
    let mut spans = Vec::with_capacity(part.len() / 48 + 1);
    let mut header = first;
    let mut start = 0;
    while start < part.len() {
        let end = part[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(part.len(), |k| start + k);
        let mut line = &part[start..end];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        if line.contains(&b'\r') {
            return None;
        }
        if !line.is_empty() {
            if header {
                header = false;
            } else {
                let a = u32::try_from(from + start).ok()?;
                let b = u32::try_from(from + start + line.len()).ok()?;
                spans.push((a, b));
            }
        }
        start = end + 1;
    }
    Some(spans)
}

#[cfg(test)]
mod tests {
    use super::super::{read_header, read_in_chunks, reader, TRIM};
    use super::*;
    use crate::inputs::Transaction;

    fn header(text: &str) -> Header {
        let mut r = reader(text, true, TRIM);
        read_header::<Transaction>(&mut r, "t.csv").unwrap()
    }

    /// The rows the input-order read gives, sorted as `Ctx::prepare` sorts them.
    fn sorted_after(text: &str) -> Vec<Transaction> {
        let mut req = crate::inputs::Request {
            plans: Vec::new(),
            inputs: Default::default(),
            options: Default::default(),
            single_plan_key: false,
        };
        req.inputs.transactions = read_in_chunks(text, "t.csv", &header(text), 64).unwrap();
        crate::order::sort_request(&mut req);
        req.inputs.transactions
    }

    #[test]
    fn rows_come_in_id_order_numbered_by_record() {
        // Ids out of order, a duplicate (kept in input order), ids that share their first 16
        // bytes, spaces around an id, CRLF endings, blank lines and a missing final newline.
        let mut text = String::from("id,date,amount,owner,product\r\n");
        let ids = [
            "T9",
            "T10",
            " T1 ",
            "same-prefix-0000-b",
            "T10",
            "same-prefix-0000-a",
        ];
        for (k, id) in ids.iter().cycle().take(60).enumerate() {
            let id = if k >= ids.len() {
                format!("{}{k}", id.trim())
            } else {
                id.to_string()
            };
            text.push_str(&format!(
                "{id},2027-01-{:02},{k}.5,A,p{}\r\n",
                k % 28 + 1,
                k % 3
            ));
            if k % 17 == 0 {
                text.push_str("\r\n\n");
            }
        }
        text.push_str("T0,2027-02-01,1,B,");
        let want = sorted_after(&text);
        for size in [1, 40, 200, 1 << 20] {
            let got: Vec<Transaction> = read_in_id_order(&text, "t.csv", &header(&text), size)
                .expect("this text is read in id order");
            assert_eq!(got, want, "chunks of {size} bytes");
        }
        assert_eq!(want[0].id, "T0");
        assert_eq!(want[0].origin.row(), "t.csv row 62");
        // The duplicate T10s: the earlier record first.
        let tens: Vec<String> = want
            .iter()
            .filter(|t| t.id == "T10")
            .map(|t| t.origin.row())
            .collect();
        assert_eq!(tens, ["t.csv row 3", "t.csv row 6"]);
        assert_eq!(
            want.iter()
                .find(|t| t.id == "T1")
                .map(|t| t.origin.row())
                .as_deref(),
            Some("t.csv row 4")
        );
    }

    #[test]
    fn nth_cell_is_the_split_cell() {
        for record in ["", "a", "a,b", ",b,", "T1, x ,2027-01-05,,", "é,ü,,"] {
            for column in 0..6 {
                let want = record.split(',').nth(column).unwrap_or_default();
                assert_eq!(nth_cell(record, column), want, "{record:?} {column}");
            }
        }
    }

    #[test]
    fn what_it_does_not_cover_goes_to_the_other_reads() {
        for text in [
            "id,date,amount,owner\nT2,2027-01-05,1,A\n\"T1\",2027-01-05,1,A\n",
            "id,date,amount,owner\nT2,2027-01-05,1,A\rT1,2027-01-05,1,A\n",
            "id,date,amount,owner\nT2,2027-01-05,1,A,extra\n",
            "id,date,amount,owner\nT2,2027-01-05,ten,A\n",
            "date,amount,owner\n2027-01-05,1,A\n",
        ] {
            assert!(
                read_in_id_order::<Transaction>(text, "t.csv", &header(text), 8).is_none(),
                "{text:?}"
            );
        }
    }
}
