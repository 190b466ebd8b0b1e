//! Typed CSV rows: each table's struct built straight from the cells of a record, with the
//! same parsers, defaults and attribute rules as the general path in `tables` (which turns the
//! row into JSON and deserialises it). Anything not simple and valid gives `None`, and that
//! row goes the general way, so every error keeps its code, path and message.

use crate::date::Date;
use crate::decimal::{parse_decimal, Dec};
use crate::inputs::{
    Adjustment, Assignment, Attr, Attributes, FxRate, Leave, Payee, Payment, QuotaRow, Row, Split,
    Transaction, Word,
};
use csv::StringRecord;

/// One shared copy of each repeated cell among the rows one reader parses: a row's kind,
/// currency, owner, split payees, attribute names and values are clones of these copies (a
/// count, not a copy of the text). Each reader (one per thread's run of tasks) has its own, so
/// the threads do not share counts of references. Holds at most `Words::LIMIT` values; past
/// that a new value gets its own copy.
#[derive(Default)]
pub(crate) struct Words {
    kept: rustc_hash::FxHashSet<Word>,
    /// The last word of each column that mostly repeats the row before (a kind, a currency, an
    /// attribute; not an owner): found without hashing.
    last: Vec<Option<Word>>,
}

impl Words {
    /// Values kept (a table of unique values, such as references, stops growing here).
    pub(crate) const LIMIT: usize = 1 << 14;

    /// `cell` as a word: the kept copy, or a new one (kept while there is room).
    pub(crate) fn word(&mut self, cell: &str) -> Word {
        if let Some(word) = self.kept.get(cell) {
            return word.clone();
        }
        let word = Word::from(cell);
        if self.kept.len() < Self::LIMIT {
            self.kept.insert(word.clone());
        }
        word
    }

    /// `cell` of column `slot` as a word: the column's last word when it is the same (slots only
    /// spare the hashing: any slot gives an equal word).
    fn word_at(&mut self, slot: usize, cell: &str) -> Word {
        if let Some(Some(last)) = self.last.get(slot) {
            if last.as_str() == cell {
                return last.clone();
            }
        }
        let word = self.word(cell);
        if self.last.len() <= slot {
            self.last.resize(slot + 1, None);
        }
        self.last[slot] = Some(word.clone());
        word
    }

    /// `word` replaced by the kept copy of its text (a row read from JSON, whose words are
    /// each their own copy until then).
    pub(crate) fn share(&mut self, word: &mut Word) {
        *word = self.word(word);
    }
}

/// Where each known field's cell is in a record, and which columns are attributes;
/// computed once from the header.
pub(crate) struct Layout {
    /// Column of each known field, in the order of the table's known fields.
    fields: Vec<Option<usize>>,
    /// Column and name of each attribute column.
    attributes: Vec<(usize, String)>,
}

impl Layout {
    /// The layout for `headers`, or `None` when the header asks for the general path:
    /// a repeated column (the last non-empty cell wins there) or an attribute column named
    /// like a cell the general path converts (`splits`, `leaves`, `closed`).
    pub(crate) fn new(known: &[&str], headers: &[String]) -> Option<Layout> {
        for (i, h) in headers.iter().enumerate() {
            let special = matches!(h.as_str(), "splits" | "leaves" | "closed");
            if headers[..i].contains(h) || (special && !known.contains(&h.as_str())) {
                return None;
            }
        }
        Some(Layout {
            fields: known
                .iter()
                .map(|k| headers.iter().position(|h| h == k))
                .collect(),
            attributes: headers
                .iter()
                .enumerate()
                .filter(|(_, h)| !known.contains(&h.as_str()))
                .map(|(i, h)| (i, h.clone()))
                .collect(),
        })
    }

    /// The cells of `record` as this layout reads them, sharing repeated text through `words`.
    pub(crate) fn cells<'a>(&'a self, record: &'a StringRecord, words: &'a mut Words) -> Cells<'a> {
        Cells {
            layout: self,
            record,
            words,
        }
    }
}

/// One record's cells, trimmed as the general path trims them (`str::trim`); an empty cell is
/// an absent field, as there.
pub(crate) struct Cells<'a> {
    layout: &'a Layout,
    record: &'a StringRecord,
    words: &'a mut Words,
}

/// `cell` as `str::trim` gives it, skipping the call where it would take nothing off: a cell
/// that starts and ends with a visible ASCII character (every Unicode white space is a control
/// or space character up to `' '`, or not ASCII).
pub(crate) fn trim(cell: &str) -> &str {
    let visible = |b: &u8| (b'!'..=b'~').contains(b);
    let b = cell.as_bytes();
    if b.first().is_some_and(visible) && b.last().is_some_and(visible) {
        cell
    } else {
        cell.trim()
    }
}

impl<'a> Cells<'a> {
    /// The known fields' non-empty cells, in the order of the table's known fields.
    fn fields<const N: usize>(&self) -> [Option<&'a str>; N] {
        let (layout, record) = (self.layout, self.record);
        std::array::from_fn(|i| {
            let column = layout.fields.get(i).copied().flatten()?;
            record.get(column).map(trim).filter(|c| !c.is_empty())
        })
    }

    /// `cell` of known field number `field`, a value that mostly repeats the row before, as a
    /// shared word.
    fn word(&mut self, field: usize, cell: &str) -> Word {
        self.words.word_at(field, cell)
    }

    /// An optional cell as a shared word (`field`: as [`Cells::word`], `None` for a value that
    /// seldom repeats the row before).
    fn opt_word(&mut self, field: Option<usize>, cell: Option<&str>) -> Option<Word> {
        cell.map(|c| match field {
            Some(f) => self.words.word_at(f, c),
            None => self.words.word(c),
        })
    }

    /// The non-empty attribute cells.
    fn attributes(&mut self) -> Attributes {
        let (layout, record) = (self.layout, self.record);
        // Each attribute column's name and value have their own slots after the known fields'.
        let first = layout.fields.len();
        layout
            .attributes
            .iter()
            .enumerate()
            .filter_map(|(k, (column, name))| {
                let cell = record.get(*column).map(trim)?;
                let slot = first + 2 * k;
                (!cell.is_empty()).then(|| {
                    let name = self.words.word_at(slot, name);
                    (name, Attr(self.words.word_at(slot + 1, cell)))
                })
            })
            .collect()
    }
}

/// A row type with a typed fast path from CSV cells (and a blank row, `Default`, that the
/// chunked read fills in).
pub(crate) trait CsvRow: Row + Send + Default {
    /// The row, or `None` to take the general path (which reports any error).
    fn from_cells(cells: &mut Cells) -> Option<Self>;
    /// Share the row's repeated text through `words` (rows read from JSON).
    fn share_words(&mut self, _words: &mut Words) {}
    /// The table is kept in id order (`order::sort_by_id`): the parallel read places each row
    /// in that order as it parses it, so the canonical sort finds it sorted.
    #[cfg(feature = "parallel")]
    const ID_ORDER: bool = false;
}

fn text<T: for<'a> From<&'a str>>(cell: Option<&str>) -> Option<T> {
    cell.map(T::from)
}

fn date(cell: &str) -> Option<Date> {
    cell.parse().ok()
}

fn dec(cell: &str) -> Option<Dec> {
    parse_decimal(cell).ok().map(Dec)
}

/// An optional cell parsed with `parse`: `Some(None)` when absent, `None` when invalid.
fn opt<T>(cell: Option<&str>, parse: fn(&str) -> Option<T>) -> Option<Option<T>> {
    match cell {
        None => Some(None),
        Some(c) => parse(c).map(Some),
    }
}

/// `A:0.5;B:0.5` → splits (as `tables::splits` then the `Split` deserializer).
fn splits(cell: Option<&str>, words: &mut Words) -> Option<crate::inputs::Splits> {
    let Some(cell) = cell else {
        return Some(Default::default());
    };
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (payee, share) = part.split_once(':')?;
            Some(Split {
                payee: words.word(payee.trim()),
                share: dec(share.trim())?,
            })
        })
        .collect::<Option<Vec<Split>>>()
        .map(Into::into)
}

/// `FROM/TO;…` → leaves (as `tables::leaves` then the `Leave` deserializer).
fn leaves(cell: Option<&str>) -> Option<Vec<Leave>> {
    let Some(cell) = cell else {
        return Some(Vec::new());
    };
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (from, to) = part.split_once('/')?;
            Some(Leave {
                from: date(from.trim())?,
                to: date(to.trim())?,
            })
        })
        .collect()
}

// Each `fields()` pattern lists the table's known fields in `tables::known_fields` order.

impl CsvRow for Payee {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [id, name, manager, team, hire, termination, currency, leave] = c.fields();
        Some(Payee {
            id: id?.to_string(),
            name: text(name),
            manager: text(manager),
            team: text(team),
            hire_date: opt(hire, date)?,
            termination_date: opt(termination, date)?,
            currency: text(currency),
            leaves: leaves(leave)?,
            attributes: c.attributes(),
            origin: Default::default(),
        })
    }
}

impl CsvRow for Assignment {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [payee, plan, from, to, target] = c.fields();
        Some(Assignment {
            payee: payee?.to_string(),
            plan: plan?.to_string(),
            from: opt(from, date)?,
            to: opt(to, date)?,
            target_incentive: opt(target, dec)?,
            origin: Default::default(),
        })
    }
}

impl CsvRow for Transaction {
    #[cfg(feature = "parallel")]
    const ID_ORDER: bool = true;
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [id, kind, day, amount, currency, owner, split, quantity, reference] = c.fields();
        Some(Transaction {
            id: id?.into(),
            kind: c.word(1, kind.unwrap_or("booking")),
            date: date(day?)?.into(),
            amount: opt(amount, dec)?.unwrap_or_default(),
            currency: c.opt_word(Some(4), currency),
            owner: c.opt_word(None, owner),
            splits: splits(split, c.words)?,
            quantity: opt(quantity, dec)?,
            // References are unique: each is its own copy.
            reference: text(reference),
            attributes: c.attributes(),
            origin: Default::default(),
        })
    }
    fn share_words(&mut self, words: &mut Words) {
        words.share(&mut self.kind);
        for w in [&mut self.currency, &mut self.owner].into_iter().flatten() {
            words.share(w);
        }
        for s in self.splits.iter_mut() {
            words.share(&mut s.payee);
        }
        for (name, value) in self.attributes.words_mut() {
            words.share(name);
            words.share(value);
        }
    }
}

impl CsvRow for QuotaRow {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [payee, measure, period, amount] = c.fields();
        Some(QuotaRow {
            payee: c.word(0, payee?),
            measure: c.word(1, measure?),
            period: c.word(2, period?),
            amount: dec(amount?)?,
            origin: Default::default(),
        })
    }
    fn share_words(&mut self, words: &mut Words) {
        for w in [&mut self.payee, &mut self.measure, &mut self.period] {
            words.share(w);
        }
    }
}

impl CsvRow for FxRate {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [from, to, rate, effective] = c.fields();
        Some(FxRate {
            from: from?.to_string(),
            to: to?.to_string(),
            rate: dec(rate?)?,
            effective: date(effective?)?,
            origin: Default::default(),
        })
    }
}

impl CsvRow for Payment {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [payee, period, component, amount, closed] = c.fields();
        Some(Payment {
            payee: payee?.to_string(),
            period: period?.to_string(),
            component: text(component),
            amount: dec(amount?)?,
            closed: matches!(closed, Some("true" | "1" | "yes")),
            origin: Default::default(),
        })
    }
}

impl CsvRow for Adjustment {
    fn from_cells(c: &mut Cells) -> Option<Self> {
        let [id, payee, period, amount, reason, approver] = c.fields();
        Some(Adjustment {
            id: text(id),
            payee: payee?.to_string(),
            period: period?.to_string(),
            amount: dec(amount?)?,
            reason: text(reason),
            approver: text(approver),
            origin: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::trim;
    use proptest::prelude::*;

    #[test]
    fn trim_takes_off_what_str_trim_takes_off() {
        for cell in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "\u{a0}a",
            "a\u{2003}",
            "\u{85}",
            "\u{7f}a",
            "é",
            " é ",
            "a b",
            "\u{3000}x\u{3000}",
        ] {
            assert_eq!(trim(cell), cell.trim(), "{cell:?}");
        }
    }

    proptest! {
        #[test]
        fn trim_is_str_trim(cell in "\\PC*|[ \\t\\r\\n\\u{a0}\\u{85}\\u{2000}-\\u{200a}a-z~!]{0,6}") {
            prop_assert_eq!(trim(&cell), cell.trim());
        }
    }
}
