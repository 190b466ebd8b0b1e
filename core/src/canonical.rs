//! Canonical JSON writing for the output types, by hand: the same bytes as
//! `serde_json::to_string_pretty` (two-space indent, `"key": value`, fields in declaration
//! order, `[]` for an empty list, `null` for a missing value, serde_json's string escapes)
//! plus a trailing newline, faster and without intermediate allocations.
//!
//! A run can also be written in pieces — [`write_run_head`], one [`write_statement_entry`]
//! per statement, [`write_run_tail`] — giving exactly the bytes of [`run_to_json`].

use crate::statement::{Line, Reconciliation, Run, Statement, Step, Totals, Warning};
use crate::whatif::{Estimate, LineChange, PayeeChange};

/// A value written as pretty canonical JSON; `indent` is the nesting level (two spaces each)
/// of the line the value starts on.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize);

    /// Read one byte of every heap string the value holds (folded so it is not optimised
    /// away). Done for the next list item while writing the current one, so the cache misses
    /// of the scattered strings overlap instead of coming one by one.
    fn warm(&self) -> u8 {
        0
    }
}

/// How serde_json escapes each byte: 0 = as is, `u` = `\u00XX`, else `\` and that byte.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether any of the 8 bytes of `w` is below 0x20, `"` or `\\` (exact: no false positives).
fn word_needs_escape(w: u64) -> bool {
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = has_zero(w ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(w ^ (ONES * u64::from(b'\\')));
    (below_space | quote | backslash) & (ONES << 7) != 0
}

/// Length of the leading run of `bytes` that needs no escape, 8 bytes at a time.
fn clean_len(bytes: &[u8]) -> usize {
    let mut i = 0;
    for chunk in bytes.chunks_exact(8) {
        match chunk.first_chunk::<8>() {
            Some(w) if !word_needs_escape(u64::from_le_bytes(*w)) => i += 8,
            _ => break,
        }
    }
    while bytes.get(i).is_some_and(|&b| ESCAPE[usize::from(b)] == 0) {
        i += 1;
    }
    i
}

/// Write `s` as a JSON string: runs needing no escape are copied in one go.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    loop {
        let n = clean_len(rest);
        let (clean, tail) = rest.split_at(n);
        out.extend_from_slice(clean);
        let Some((&b, tail)) = tail.split_first() else {
            break;
        };
        match ESCAPE[usize::from(b)] {
            b'u' => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
            esc => out.extend_from_slice(&[b'\\', esc]),
        }
        rest = tail;
    }
    out.push(b'"');
}

/// A newline, then `level` steps of two spaces of indentation.
fn newline(out: &mut Vec<u8>, level: usize) {
    const NL_SPACES: &[u8; 129] = b"\n                                                                                                                                ";
    match NL_SPACES.get(..1 + 2 * level) {
        Some(s) => out.extend_from_slice(s),
        None => {
            out.push(b'\n');
            out.resize(out.len() + 2 * level, b' ');
        }
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut Vec<u8>, _indent: usize) {
        write_str(out, self);
    }

    fn warm(&self) -> u8 {
        self.as_bytes().first().copied().unwrap_or(0)
    }
}

/// Inline-or-heap text (on the WebAssembly build `Text` is `String`, written above).
#[cfg(not(target_arch = "wasm32"))]
impl WriteJson for crate::inputs::Text {
    fn write_json(&self, out: &mut Vec<u8>, _indent: usize) {
        write_str(out, self);
    }

    fn warm(&self) -> u8 {
        // Only a heap-held text is a cache miss away.
        if self.is_heap_allocated() {
            self.as_bytes().first().copied().unwrap_or(0)
        } else {
            0
        }
    }
}

/// `&'static str` fields: static text, nothing to warm.
impl WriteJson for &str {
    fn write_json(&self, out: &mut Vec<u8>, _indent: usize) {
        write_str(out, self);
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        match self {
            Some(v) => v.write_json(out, indent),
            None => out.extend_from_slice(b"null"),
        }
    }

    fn warm(&self) -> u8 {
        self.as_ref().map_or(0, WriteJson::warm)
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        if self.is_empty() {
            out.extend_from_slice(b"[]");
            return;
        }
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if let Some(next) = self.get(i + 1) {
                std::hint::black_box(next.warm());
            }
            newline(out, indent + 1);
            item.write_json(out, indent + 1);
        }
        newline(out, indent);
        out.push(b']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        self.as_slice().write_json(out, indent);
    }

    fn warm(&self) -> u8 {
        self.iter().fold(0, |acc, item| acc ^ item.warm())
    }
}

/// An object being written: `{`, then `"key": value` fields, then [`Obj::end`].
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    indent: usize,
    empty: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut Vec<u8>, indent: usize) -> Self {
        out.push(b'{');
        Obj {
            out,
            indent,
            empty: true,
        }
    }

    /// One field; `key` is the quoted key with its colon and space (`"id": `).
    fn field<T: WriteJson + ?Sized>(&mut self, key: &str, value: &T) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        newline(self.out, self.indent + 1);
        self.out.extend_from_slice(key.as_bytes());
        value.write_json(self.out, self.indent + 1);
    }

    fn end(&mut self) {
        if !self.empty {
            newline(self.out, self.indent);
        }
        self.out.push(b'}');
    }
}

/// `WriteJson` for a struct: its fields in declaration order (as serde writes them).
macro_rules! object {
    ($ty:ident: $($field:ident),* $(,)?) => {
        impl WriteJson for $ty {
            fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
                // destructured, so a field added to the struct and not here fails to compile
                let $ty { $($field),* } = self;
                let mut obj = Obj::new(out, indent);
                $(obj.field(concat!("\"", stringify!($field), "\": "), $field);)*
                obj.end();
            }

            fn warm(&self) -> u8 {
                let $ty { $($field),* } = self;
                0 $(^ $field.warm())*
            }
        }
    };
}

object! { Step: step, detail, value }
object! { Line: kind, id, name, measure, quota, attainment, amount, explanation, trace }
object! { Statement: payee, period, plan, currency, status, lines, earned, total, prior_paid, net_payable, draw_balance }
object! { Totals: currency, earned, adjustments, total, net_payable, discretionary_share }
object! { Reconciliation: payee, period, component, calculated, paid, difference, status, fixed_in }
object! { Warning: code, path, message }
object! { LineChange: payee, period, kind, id, before, after, change, explanation, trace }
object! { PayeeChange: payee, currency, before, after, change }
object! { Estimate: engine, deal, change, payees, lines }

/// Write one statement object starting at nesting level `indent` (2 inside a run).
pub fn write_statement(s: &Statement, out: &mut Vec<u8>, indent: usize) {
    s.write_json(out, indent);
}

/// Touch the heap strings of `s` (a statement about to be written) so their cache misses
/// overlap with writing the current one; output is unaffected.
pub fn warm_statement(s: &Statement) {
    std::hint::black_box(s.warm());
}

/// The start of a run, up to and including the `[` that opens `statements`.
pub fn write_run_head(engine: &str, fingerprint: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\n  \"engine\": ");
    write_str(out, engine);
    out.extend_from_slice(b",\n  \"fingerprint\": ");
    write_str(out, fingerprint);
    out.extend_from_slice(b",\n  \"statements\": [");
}

/// Statement number `index` (from 0) of a run, with the separator before it.
pub fn write_statement_entry(s: &Statement, index: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(if index == 0 { b"\n    " } else { b",\n    " });
    write_statement(s, out, 2);
}

/// The end of a run after `statement_count` statements: closes `statements`, then writes
/// totals, reconciliation and warnings, the closing brace and the trailing newline.
pub fn write_run_tail(
    statement_count: usize,
    totals: &[Totals],
    reconciliation: &[Reconciliation],
    warnings: &[Warning],
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(if statement_count == 0 { b"]" } else { b"\n  ]" });
    out.extend_from_slice(b",\n  \"totals\": ");
    totals.write_json(out, 1);
    out.extend_from_slice(b",\n  \"reconciliation\": ");
    reconciliation.write_json(out, 1);
    out.extend_from_slice(b",\n  \"warnings\": ");
    warnings.write_json(out, 1);
    out.extend_from_slice(b"\n}\n");
}

/// Bytes to text; they are always UTF-8 (strings are copied whole or split at ASCII bytes),
/// so the serde fallback is never taken.
fn into_string<T: serde::Serialize>(out: Vec<u8>, value: &T) -> String {
    String::from_utf8(out).unwrap_or_else(|_| crate::statement::to_canonical_json(value))
}

/// The canonical JSON of a run: the bytes of `statement::to_canonical_json(run)`.
pub fn run_to_json(run: &Run) -> String {
    const SAMPLE: usize = 64;
    let mut out = Vec::new();
    write_run_head(run.engine, &run.fingerprint, &mut out);
    for (i, s) in run.statements.iter().enumerate() {
        if let Some(next) = run.statements.get(i + 1) {
            warm_statement(next);
        }
        write_statement_entry(s, i, &mut out);
        if i + 1 == SAMPLE {
            // size the buffer once from the first statements instead of doubling up to it
            let rest = (run.statements.len() - SAMPLE).saturating_mul(out.len() / SAMPLE);
            out.reserve(rest / 16 * 17 + 4096);
        }
    }
    write_run_tail(
        run.statements.len(),
        &run.totals,
        &run.reconciliation,
        &run.warnings,
        &mut out,
    );
    into_string(out, run)
}

/// The canonical JSON of a what-if estimate: the bytes of `statement::to_canonical_json`.
pub fn estimate_to_json(estimate: &Estimate) -> String {
    let mut out = Vec::new();
    estimate.write_json(&mut out, 0);
    out.push(b'\n');
    into_string(out, estimate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    fn same_as_serde(s: &str) {
        assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
    }

    #[test]
    fn every_byte_below_0x80_escapes_like_serde() {
        for b in 0u8..0x80 {
            let c = char::from(b);
            same_as_serde(&c.to_string());
            same_as_serde(&format!("a{c}b{c}{c}"));
        }
    }

    #[test]
    fn quotes_backslashes_and_non_ascii_like_serde() {
        for s in [
            "",
            "plain",
            "\"",
            "\\",
            "say \"hi\"\\ \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "€ é ü ß 中文 🎉 👩‍👩‍👧",
            "\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
            "end\\",
            "\"start",
            "€\n€",
        ] {
            same_as_serde(s);
        }
    }

    #[test]
    fn word_check_is_exact() {
        for b in 0u8..=255 {
            for filler in [b'a', b' ', b'!', 0x7f, 0x80, 0xc3, 0xff] {
                for at in 0..8 {
                    let mut w = [filler; 8];
                    w[at] = b;
                    let want = w.iter().any(|&x| ESCAPE[usize::from(x)] != 0);
                    assert_eq!(word_needs_escape(u64::from_le_bytes(w)), want, "{w:?}");
                }
            }
        }
    }

    /// A list nested `n` deep around `"x"`.
    struct Nest(usize);

    impl WriteJson for Nest {
        fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
            match self.0 {
                0 => "x".write_json(out, indent),
                n => vec![Nest(n - 1)].write_json(out, indent),
            }
        }
    }

    #[test]
    fn deep_nesting_and_empty_values_like_serde() {
        let mut v = serde_json::json!("x");
        for n in 1..=80 {
            v = serde_json::json!([v]);
            let mut out = Vec::new();
            Nest(n).write_json(&mut out, 0);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
        let mut out = Vec::new();
        let mut obj = Obj::new(&mut out, 3);
        obj.end();
        Vec::<String>::new().write_json(&mut out, 3);
        None::<String>.write_json(&mut out, 3);
        assert_eq!(out, b"{}[]null");
    }
}
