//! The floor: the least any engine must do with this data — read the same request text,
//! parse every booking's decimal amount and credit, and sum it per payee × month
//! (rust_decimal, a hash map from payee id to twelve monthly sums). No plan, no currency
//! conversion, no tiers: the cost of touching the data once.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Deserialize)]
struct Request {
    inputs: Inputs,
}

#[derive(Deserialize)]
struct Inputs {
    transactions: Table,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Table {
    Csv { csv: String },
    Rows(Vec<Row>),
}

#[derive(Deserialize)]
struct Row {
    #[serde(default)]
    kind: Option<String>,
    date: String,
    amount: serde_json::Value,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    splits: Option<Vec<Split>>,
}

#[derive(Deserialize)]
struct Split {
    payee: String,
    share: serde_json::Value,
}

/// Per payee (in first-seen order) the twelve monthly sums of booking credits.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sums {
    pub payees: Vec<String>,
    pub months: Vec<[Decimal; 12]>,
}

impl Sums {
    fn add(&mut self, index: &mut HashMap<String, usize>, payee: &str, month: usize, v: Decimal) {
        let i = match index.get(payee) {
            Some(&i) => i,
            None => {
                index.insert(payee.to_string(), self.payees.len());
                self.payees.push(payee.to_string());
                self.months.push([Decimal::ZERO; 12]);
                self.payees.len() - 1
            }
        };
        self.months[i][month] += v;
    }

    /// Number of non-zero payee × month cells.
    pub fn cells(&self) -> usize {
        self.months
            .iter()
            .flatten()
            .filter(|d| !d.is_zero())
            .count()
    }

    pub fn total(&self) -> Decimal {
        self.months.iter().flatten().copied().sum()
    }
}

fn dec(v: &serde_json::Value) -> Result<Decimal, String> {
    match v {
        serde_json::Value::String(s) => Decimal::from_str(s).map_err(|e| e.to_string()),
        other => Decimal::from_str(&other.to_string()).map_err(|e| e.to_string()),
    }
}

fn month_of(date: &[u8]) -> Result<usize, String> {
    if date.len() < 7 {
        return Err(format!("bad date {:?}", String::from_utf8_lossy(date)));
    }
    let m = (date[5].wrapping_sub(b'0') as usize) * 10 + date[6].wrapping_sub(b'0') as usize;
    if !(1..=12).contains(&m) {
        return Err(format!("bad month {:?}", String::from_utf8_lossy(date)));
    }
    Ok(m - 1)
}

/// Parse `request` (JSON, transactions as CSV text or objects) and sum booking credits
/// per payee × month.
pub fn floor(request: &str) -> Result<Sums, String> {
    let mut sums = Sums::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for_each_credit(request, |payee, month, amount| {
        sums.add(&mut index, payee, month, amount)
    })?;
    Ok(sums)
}

/// One booking credit, already parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    pub payee: String,
    pub month: u8,
    pub amount: Decimal,
}

/// Every booking credit of `request`, parsed (for the sum-only floor).
pub fn credits(request: &str) -> Result<Vec<Credit>, String> {
    let mut out = Vec::new();
    for_each_credit(request, |payee, month, amount| {
        out.push(Credit {
            payee: payee.to_string(),
            month: month as u8,
            amount,
        })
    })?;
    Ok(out)
}

/// The sum-only floor: group already-parsed credits by payee × month.
pub fn group_sum(credits: &[Credit]) -> HashMap<(&str, u8), Decimal> {
    let mut m: HashMap<(&str, u8), Decimal> = HashMap::with_capacity(credits.len() / 8 + 16);
    for c in credits {
        *m.entry((c.payee.as_str(), c.month))
            .or_insert(Decimal::ZERO) += c.amount;
    }
    m
}

fn for_each_credit(request: &str, mut add: impl FnMut(&str, usize, Decimal)) -> Result<(), String> {
    let req: Request = serde_json::from_str(request).map_err(|e| e.to_string())?;
    match req.inputs.transactions {
        Table::Csv { csv } => {
            let mut rdr = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
            let headers = rdr.byte_headers().map_err(|e| e.to_string())?.clone();
            let col = |name: &str| headers.iter().position(|h| h == name.as_bytes());
            let (c_kind, c_date, c_amount, c_owner, c_splits) = (
                col("kind"),
                col("date"),
                col("amount"),
                col("owner"),
                col("splits"),
            );
            let c_date = c_date.ok_or("no date column")?;
            let c_amount = c_amount.ok_or("no amount column")?;
            let mut rec = csv::ByteRecord::new();
            while rdr.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
                let kind = c_kind.and_then(|c| rec.get(c)).unwrap_or(b"");
                if !(kind.is_empty() || kind == b"booking") {
                    continue;
                }
                let month = month_of(rec.get(c_date).unwrap_or(b""))?;
                let amount = std::str::from_utf8(rec.get(c_amount).unwrap_or(b""))
                    .map_err(|e| e.to_string())?;
                let amount = Decimal::from_str(amount).map_err(|e| e.to_string())?;
                let splits = c_splits.and_then(|c| rec.get(c)).unwrap_or(b"");
                if splits.is_empty() {
                    let owner =
                        std::str::from_utf8(c_owner.and_then(|c| rec.get(c)).unwrap_or(b""))
                            .map_err(|e| e.to_string())?;
                    add(owner, month, amount);
                } else {
                    let splits = std::str::from_utf8(splits).map_err(|e| e.to_string())?;
                    for part in splits.split(';') {
                        let (payee, share) = part.split_once(':').ok_or("bad split")?;
                        let share = Decimal::from_str(share).map_err(|e| e.to_string())?;
                        add(payee, month, amount * share);
                    }
                }
            }
        }
        Table::Rows(rows) => {
            for r in rows {
                if !matches!(r.kind.as_deref(), None | Some("booking")) {
                    continue;
                }
                let month = month_of(r.date.as_bytes())?;
                let amount = dec(&r.amount)?;
                match (&r.splits, &r.owner) {
                    (Some(splits), _) if !splits.is_empty() => {
                        for s in splits {
                            add(&s.payee, month, amount * dec(&s.share)?);
                        }
                    }
                    (_, Some(owner)) => add(owner, month, amount),
                    _ => return Err("transaction without owner or splits".into()),
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::{generate, Spec};

    #[test]
    fn csv_and_objects_give_the_same_sums() {
        let ds = generate(Spec::for_transactions(3_000));
        let a = floor(&ds.request_csv_json(&ds.tables())).unwrap();
        let b = floor(&ds.request_objects_json()).unwrap();
        assert_eq!(a, b);
        // sum of credits = sum of booking amounts (splits are exact halves)
        let expected: i64 = ds
            .transactions
            .iter()
            .filter(|t| t.kind == crate::gen::Kind::Booking)
            .map(|t| t.cents)
            .sum();
        assert_eq!(a.total(), Decimal::new(expected, 2));
        let c = credits(&ds.request_csv_json(&ds.tables())).unwrap();
        let g = group_sum(&c);
        assert_eq!(g.values().copied().sum::<Decimal>(), a.total());
        assert_eq!(g.values().filter(|d| !d.is_zero()).count(), a.cells());
    }
}
