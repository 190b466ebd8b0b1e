use super::*;
use crate::inputs::Transaction;

#[test]
fn reads_rows_and_attributes() {
    let text = "id,date,amount,owner,segment\nT1,2027-01-05,10.05,A,mid\nT2,2027-01-06,5,,\n";
    let rows: Vec<Transaction> = read_csv(text, "transactions.csv").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].amount.0.to_string(), "10.05");
    assert_eq!(rows[0].attributes.get("segment").unwrap().0, "mid");
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

// The typed fast path and the chunked parallel read against the general path.

use crate::inputs::{Adjustment, Assignment, FxRate, Payee, Payment, QuotaRow, Word};
use proptest::prelude::*;
use serde::Serialize;
use std::fmt::Debug;

/// The serial read with the fast path (never chunked).
fn serial<T: CsvRow>(text: &str, name: &str) -> Result<Vec<T>> {
    let mut r = reader(text, true, TRIM);
    let header = read_header::<T>(&mut r, name)?;
    read_rows(r, &header, name)
}

/// The chunked read with chunks of about `size` bytes (`None` when it does not apply).
fn chunked<T: CsvRow>(text: &str, name: &str, size: usize) -> Option<Vec<T>> {
    let header = read_header::<T>(&mut reader(text, true, TRIM), name).ok()?;
    read_in_chunks(text, name, &header, size)
}

fn json<T: Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).unwrap_or_default()
}

/// Same rows (origins included, decimals to the digit) and same errors on every path.
fn same<T: CsvRow + PartialEq + Debug + Serialize>(text: &str) {
    let general = read_csv_general::<T>(text, "t.csv");
    for (how, got) in [
        ("fast", serial::<T>(text, "t.csv")),
        ("read_csv", read_csv::<T>(text, "t.csv")),
    ] {
        match (&got, &general) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{how} on {text:?}");
                assert_eq!(json(a), json(b), "{how} on {text:?}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{how} on {text:?}"),
            _ => panic!("{how} on {text:?}: {got:?} vs {general:?}"),
        }
    }
    for size in [1, 16, 64] {
        if let Some(rows) = chunked::<T>(text, "t.csv", size) {
            match &general {
                Ok(b) => {
                    assert_eq!(&rows, b, "chunks of {size} on {text:?}");
                    assert_eq!(json(&rows), json(b), "chunks of {size} on {text:?}");
                }
                Err(e) => panic!("chunks of {size} on {text:?} read rows, serial: {e:?}"),
            }
        } else {
            assert!(general.is_err() || text.contains('"'), "{text:?}");
        }
    }
}

fn same_any(table: &str, text: &str) {
    match table {
        "payees" => same::<Payee>(text),
        "assignments" => same::<Assignment>(text),
        "transactions" => same::<Transaction>(text),
        "quotas" => same::<QuotaRow>(text),
        "fx_rates" => same::<FxRate>(text),
        "payments" => same::<Payment>(text),
        _ => same::<Adjustment>(text),
    }
}

const TABLES: [&str; 7] = [
    "payees",
    "assignments",
    "transactions",
    "quotas",
    "fx_rates",
    "payments",
    "adjustments",
];

#[test]
fn fast_path_matches_general_path_on_examples() {
    let cases = [
        ("transactions", "id,date,amount,owner,segment\nT1,2027-01-05,10.05,A,mid\nT2,2027-01-06,5,,\n"),
        ("transactions", "id,date,amount\r\nT1,2027-01-05,10.050\r\nT2,2027-01-06,"),
        ("transactions", "id,kind,date,amount,splits,quantity,reference\nT1,,2027-01-05,,A:0.5; B:0.50,2,r\nT2,refund,2027-01-06,-1,A:1,,\n"),
        ("transactions", "id,date,splits\nT1,2027-01-05,A:0.5;B\n"),
        ("transactions", "id,date,splits\nT1,2027-01-05,A:x\n"),
        ("transactions", "id,date,amount\nT1,2027-01-05,1_000\n"),
        ("transactions", "id,date,amount\nT1,2027-01-05,123456789012345678901234567890\n"),
        ("transactions", "id,date,amount\nT1,2027-01-05,1e3\nT2,2027-02-29,1\n"),
        ("transactions", "id,amount\nT1,1\n"),
        ("transactions", "id,date,amount\nT1,2027-01-05,\"1,5\"\n"),
        ("transactions", "id,date,note\nT1,2027-01-05,\"two\nlines\"\nT2,2027-01-06,x\n"),
        ("transactions", "id,date,closed,leaves\nT1,2027-01-05,yes,\nT2,2027-01-05,,\n"),
        ("transactions", "id,date,leaves\nT1,2027-01-05,2027-01-01/2027-01-02\n"),
        ("transactions", "id,date,amount,amount\nT1,2027-01-05,1,2\nT2,2027-01-05,3,\n"),
        ("transactions", "id,date,attributes,origin\nT1,2027-01-05,a,b\n"),
        ("transactions", "id,date\nT1,2027-01-05,extra\n"),
        ("transactions", "id,date\n\nT1,2027-01-05\n\n\nT2,2027-01-06\n"),
        ("transactions", " id , date \n T1 , 2027-01-05 \n"),
        ("transactions", "id,date,amount\tx\n\tT1\u{a0},\u{2003}2027-01-05, 1.0\u{b},\u{b}\n"),
        ("transactions", "id,date,amount,seg\nT1,2027-01-05,\u{3000},\u{a0}\n"),
        ("transactions", "id,date\n"),
        ("transactions", "id,date\rT1,2027-01-05\rT2,2027-01-06\r"),
        ("transactions", "id,date\rT1,2027-01-05\nT2,2027-01-06\r\nT3,2027-01-07"),
        ("transactions", "id,date\n   \nT1,2027-01-05\n"),
        ("transactions", ""),
        ("payees", "id,name,hire_date,termination_date,leaves,region\nA,Ann,2027-01-01,,2027-06-01/2027-06-30;2027-08-01/2027-08-02,west\nB,,,2027-12-31,,\n"),
        ("payees", "id,leaves\nA,2027-06-01\n"),
        ("payees", "id,leaves\nA,2027-06-01/2027-06-31\n"),
        ("payees", "id,hire_date\nA,2027-1-1\n"),
        ("payees", "name\nAnn\n"),
        ("payees", "id,splits\nA,B:1\n"),
        ("assignments", "payee,plan,from,to,target_incentive\nA,p,2027-01-01,,96000\nB,p,,2027-06-30,0.5\n"),
        ("assignments", "payee,plan,target_incentive\nA,p,lots\n"),
        ("assignments", "payee,plan,region\nA,p,west\n"),
        ("quotas", "payee,measure,period,amount\nA,bookings,2027-01,115400\nA,bookings,2027-02,\n"),
        ("fx_rates", "from,to,rate,effective\nUSD,EUR,0.9075,2027-01-01\nUSD,EUR,0.9,2027-13-01\n"),
        ("payments", "payee,period,component,amount,closed\nA,2027-01,c,10,true\nA,2027-02,,10,no\nA,2027-03,,10,1\nA,2027-04,,10,\n"),
        ("payments", "payee,period,amount,closed\nA,2027-01,x,true\n"),
        ("adjustments", "id,payee,period,amount,reason,approver\n,A,2027-01,-5.00,fix,B\nJ2,A,2027-02,1,,\n"),
        ("adjustments", "payee,period,amount\nA,2027-01,\n"),
    ];
    for (table, text) in cases {
        same_any(table, text);
    }
}

/// Cells of a column: mostly valid, some not.
fn pool(table: &str, column: &str) -> &'static [&'static str] {
    let dates = &[
        "2027-01-05",
        "2028-02-29",
        "",
        "2027-02-30",
        "x",
        "2027-1-05",
        " 2027-01-05\t",
    ];
    let decimals = &[
        "10.05", "5", "-1.50", "0.100", "", "1e3", "ten", "1_000", "1.2.3", " 7 ", "\u{a0}8",
    ];
    match (table, column) {
        ("fx_rates", "from" | "to") => &["USD", "EUR", ""],
        (_, "date" | "from" | "to" | "hire_date" | "termination_date" | "effective") => dates,
        (_, "amount" | "rate" | "quantity" | "target_incentive") => decimals,
        (_, "splits") => &[
            "A:0.5;B:0.5",
            "A:1",
            "",
            ";",
            "A:0.5; ;B:0.50",
            "A",
            "A:x",
            ":1",
        ],
        (_, "leaves") => &["2027-06-01/2027-06-30", "", "2027-06-01", "x/2027-01-01"],
        (_, "closed") => &["true", "1", "yes", "no", ""],
        _ => &[
            "A",
            "B",
            "",
            "some text",
            "\"quoted, comma\"",
            "\"two\nlines\"",
            " pad ",
            "\t\u{a0}x\u{2003}",
            "\u{b}",
            "\" q \"",
        ],
    }
}

/// A CSV text for `table` from `seed`: a random header (known fields, attribute columns,
/// now and then a repeated column), rows from the pools, LF or CRLF, with or without a
/// trailing newline, now and then a blank line or a short row.
fn text_for(table: &str, seed: u64) -> String {
    let mut s = seed | 1;
    let mut next = move |n: usize| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % n.max(1) as u64) as usize
    };
    let mut columns: Vec<&str> = known_fields(table)
        .iter()
        .copied()
        .filter(|_| next(3) > 0)
        .collect();
    if matches!(table, "payees" | "transactions") {
        for extra in ["segment", "region", "closed", "splits", "leaves"] {
            if next(4) == 0 {
                columns.push(extra);
            }
        }
    }
    if next(12) == 0 && !columns.is_empty() {
        columns.push(columns[0]);
    }
    for i in (1..columns.len()).rev() {
        columns.swap(i, next(i + 1));
    }
    let eol = if next(2) == 0 { "\n" } else { "\r\n" };
    let mut text = columns.join(",");
    for _ in 0..next(6) {
        text.push_str(eol);
        if next(10) == 0 {
            text.push_str(eol);
        }
        let cells: Vec<&str> = columns
            .iter()
            .map(|c| {
                let p = pool(table, c);
                p[next(p.len())]
            })
            .collect();
        let keep = if next(15) == 0 {
            cells.len().saturating_sub(1)
        } else {
            cells.len()
        };
        text.push_str(&cells[..keep].join(","));
    }
    if next(2) == 0 {
        text.push_str(eol);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn fast_path_matches_general_path(seed in any::<u64>()) {
        for table in TABLES {
            same_any(table, &text_for(table, seed));
        }
    }
}

/// A multi-MB transactions text (`rows` rows, the first one valid everywhere else).
fn big_text(rows: usize, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = format!("id,kind,date,amount,currency,owner,splits,reference,product{eol}");
    for i in 0..rows {
        let splits = if i % 7 == 0 { "R1:0.5;R2:0.5" } else { "" };
        let product = if i % 3 == 0 { "cloud" } else { "" };
        text.push_str(&format!(
            "T{i:08},booking,2027-{:02}-{:02},{}.{:02},EUR,R{:06},{splits},,{product}{eol}",
            i % 12 + 1,
            i % 28 + 1,
            i * 37 % 100_000,
            i % 100,
            i % 5000
        ));
    }
    text
}

#[test]
fn chunked_read_equals_serial_read() {
    for crlf in [false, true] {
        let text = big_text(60_000, crlf);
        assert!(text.len() > 3 * CHUNK_BYTES);
        let serial_rows = serial::<Transaction>(&text, "t.csv").unwrap();
        let general = read_csv_general::<Transaction>(&text, "t.csv").unwrap();
        assert_eq!(serial_rows, general);
        assert_eq!(serial_rows.len(), 60_000);
        for size in [CHUNK_BYTES, 100_000, 777] {
            let rows = chunked::<Transaction>(&text, "t.csv", size).unwrap();
            assert_eq!(rows, serial_rows);
            assert_eq!(json(&rows), json(&serial_rows));
        }
        assert_eq!(
            read_csv::<Transaction>(&text, "t.csv").unwrap(),
            serial_rows
        );
        assert_eq!(
            serial_rows[59_999].origin.field("amount"),
            "t.csv row 60001, column amount"
        );
    }
}

#[test]
fn chunked_read_reports_the_first_bad_row() {
    let text = big_text(60_000, false);
    let lines: Vec<&str> = text.lines().collect();
    // Bad cells in late chunks (row N is line N); the first one by row order is reported.
    let mut bad: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    bad[55_001] = bad[55_001].replace(",booking,2027-", ",booking,2027-13-");
    bad[50_001] = bad[50_001].replace(",EUR,", ",EUR,R1,x,y,");
    bad[45_678] = bad[45_678].replace(",EUR,", "x,EUR,");
    let bad = bad.join("\n");
    for size in [CHUNK_BYTES, 4096] {
        assert!(chunked::<Transaction>(&bad, "t.csv", size).is_none());
    }
    let err = read_csv::<Transaction>(&bad, "t.csv").unwrap_err();
    assert_eq!(err.path(), "t.csv row 45679, column amount");
    assert_eq!(err.code(), "invalid_decimal");
    assert_eq!(Err(err), read_csv_general::<Transaction>(&bad, "t.csv"));
    // A malformed record (too many cells) after the last bad cell is reported when alone.
    let mut short: Vec<&str> = lines.clone();
    let long_row = format!("{},extra", lines[50_001]);
    short[50_001] = &long_row;
    let short = short.join("\n");
    let err = read_csv::<Transaction>(&short, "t.csv").unwrap_err();
    assert_eq!(err.code(), "syntax");
    assert_eq!(err.path(), "t.csv row 50002");
    assert_eq!(Err(err), read_csv_general::<Transaction>(&short, "t.csv"));
}

#[test]
fn fast_path_applies_to_valid_rows() {
    let text = big_text(100, false);
    let mut r = reader(&text, true, TRIM);
    let header = read_header::<Transaction>(&mut r, "t.csv").unwrap();
    let layout = header.layout.as_ref().unwrap();
    let mut record = StringRecord::new();
    let mut words = Words::default();
    while r.read_record(&mut record).unwrap() {
        assert!(Transaction::from_cells(&mut layout.cells(&record, &mut words)).is_some());
    }
    let text = "id,leaves,region\nA,2027-06-01/2027-06-30,west\n";
    let mut r = reader(text, true, TRIM);
    let header = read_header::<Payee>(&mut r, "p.csv").unwrap();
    assert!(r.read_record(&mut record).unwrap());
    let layout = header.layout.as_ref().unwrap();
    assert!(Payee::from_cells(&mut layout.cells(&record, &mut words)).is_some());
}

/// Each read shares one copy of a repeated kind, currency, owner, split payee or attribute
/// among its rows (the serial read and the chunked reads alike), and the rows read as before.
#[test]
fn repeated_cells_share_one_copy() {
    let text = "id,kind,date,amount,currency,owner,splits,reference,region\n\
        T1,booking,2027-01-05,10,EUR,A,,,west\n\
        T2,booking,2027-01-06,20,EUR,A,A:0.5;B:0.5,,west\n\
        T3,cancellation,2027-01-07,,EUR,A,,T1,west\n";
    let rows = serial::<Transaction>(text, "t.csv").unwrap();
    let same = |a: &Word, b: &Word| Word::ptr_eq(a, b);
    let [t1, t2, t3] = [&rows[0], &rows[1], &rows[2]];
    assert!(same(&t1.kind, &t2.kind) && !same(&t1.kind, &t3.kind));
    assert!(same(
        t1.currency.as_ref().unwrap(),
        t3.currency.as_ref().unwrap()
    ));
    assert!(same(t1.owner.as_ref().unwrap(), &t2.splits[0].payee));
    let (k1, v1) = t1.attributes.iter().next().unwrap();
    let (k3, v3) = t3.attributes.iter().next().unwrap();
    assert!(same(k1, k3) && same(&v1.0, &v3.0));
    assert_eq!(
        (t3.kind.as_str(), t3.reference.as_deref()),
        ("cancellation", Some("T1"))
    );
    assert_eq!(t2.splits[1].payee.as_str(), "B");
    // The chunked reads share per reader: rows of one chunk share their owner.
    let mut big = String::from("id,date,amount,owner\n");
    for i in 0..3000 {
        big.push_str(&format!("T{i:05},2027-01-05,1,R{}\n", i % 10));
    }
    let rows = chunked::<Transaction>(&big, "t.csv", 4096).unwrap();
    assert_eq!(rows.len(), 3000);
    let owners: Vec<&Word> = rows.iter().filter_map(|t| t.owner.as_ref()).collect();
    let copies = owners
        .iter()
        .enumerate()
        .filter(|(i, o)| !owners[..*i].iter().any(|p| same(p, o)))
        .count();
    let names: std::collections::BTreeSet<&str> = owners.iter().map(|o| o.as_str()).collect();
    assert!(
        copies < owners.len() / 4,
        "{copies} copies of {} owners",
        names.len()
    );
    // A word past the limit is its own copy, equal to the others.
    let mut words = Words::default();
    for k in 0..Words::LIMIT {
        words.word(&format!("w{k}"));
    }
    let (a, b) = (words.word("new"), words.word("new"));
    assert!(a == b && !same(&a, &b) && same(&words.word("w7"), &words.word("w7")));
}

/// Timing of the three reads on a real file (not a check; medians of 5, dropping the rows
/// outside the clock):
/// `PAYPLAN_CSV_TIMING=transactions.csv cargo test --release -p payplan-core --lib csv_timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn csv_timing() {
    let Ok(path) = std::env::var("PAYPLAN_CSV_TIMING") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    type Read = fn(&str, &str) -> Result<Vec<Transaction>>;
    let median = |read: Read| {
        let mut times: Vec<_> = (0..5)
            .map(|_| {
                let t0 = std::time::Instant::now();
                let rows = read(&text, "t.csv").unwrap();
                let elapsed = t0.elapsed();
                assert_eq!(rows.len(), text.lines().count() - 1);
                drop(rows);
                elapsed
            })
            .collect();
        times.sort();
        times[2]
    };
    let threads = rayon::current_num_threads();
    println!("{path}: {} bytes, {threads} threads", text.len());
    println!(
        "  general path (as before), serial: {:?}",
        median(read_csv_general)
    );
    println!("  typed fast path, serial:          {:?}", median(serial));
    println!(
        "  read_csv (chunked when > 1 thread): {:?}",
        median(read_csv)
    );
}

/// Rows given as JSON objects share their repeated text as the CSV rows do.
#[test]
fn json_rows_share_one_copy() {
    let req = serde_json::json!({
        "plan": crate::test_plan("m"),
        "inputs": {"transactions": [
            {"id": "T1", "date": "2027-01-05", "amount": "1", "owner": "A", "currency": "EUR",
             "attributes": {"region": "west"}},
            {"id": "T2", "date": "2027-01-06", "amount": "2", "currency": "EUR",
             "splits": [{"payee": "A", "share": "1"}], "attributes": {"region": "west"}}],
            "quotas": [{"payee": "A", "measure": "m", "period": "2027-01", "amount": "1"},
                       {"payee": "A", "measure": "m", "period": "2027-02", "amount": "1"}]}
    });
    let req = crate::request::parse_request(&req.to_string()).unwrap();
    let (t, q) = (&req.inputs.transactions, &req.inputs.quotas);
    let same = |a: &Word, b: &Word| Word::ptr_eq(a, b);
    assert!(same(&t[0].kind, &t[1].kind) && t[0].kind == "booking");
    assert!(same(t[0].owner.as_ref().unwrap(), &t[1].splits[0].payee));
    assert!(same(
        t[0].currency.as_ref().unwrap(),
        t[1].currency.as_ref().unwrap()
    ));
    let attr = |k: usize| {
        t[k].attributes
            .iter()
            .next()
            .map(|(n, v)| (n.clone(), v.0.clone()))
    };
    let ((n0, v0), (n1, v1)) = (attr(0).unwrap(), attr(1).unwrap());
    assert!(same(&n0, &n1) && same(&v0, &v1) && v0 == "west");
    assert!(same(&q[0].payee, &q[1].payee) && same(&q[0].measure, &q[1].measure));
    assert!(!same(&q[0].period, &q[1].period));
}
