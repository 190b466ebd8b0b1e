//! Canonical JSON writing for the output types, by hand: the same bytes as
//! `serde_json::to_string_pretty` (two-space indent, `"key": value`, fields in declaration
//! order, `[]` for an empty list, `null` for a missing value, serde_json's string escapes)
//! plus a trailing newline, several times faster and without intermediate allocations.
//!
//! A run can also be written in pieces — [`write_run_head`], one [`write_statement_entry`]
//! per statement, [`write_run_tail`] — giving exactly the bytes of [`run_to_json`].

use crate::statement::{Line, Reconciliation, Run, Statement, Step, Totals, Warning};
use crate::whatif::{Estimate, LineChange, PayeeChange};

/// A value written as pretty canonical JSON; `indent` is the nesting level (two spaces each)
/// of the line the value starts on.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize);
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

/// Write `s` as a JSON string: runs needing no escape are copied in one go.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc = ESCAPE[usize::from(b)];
        if esc == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if esc == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.push(b'\\');
            out.push(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

const SPACES: &[u8; 64] = b"                                                                ";

/// A newline-free indentation of `level` steps of two spaces.
fn pad(out: &mut Vec<u8>, level: usize) {
    let mut n = 2 * level;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        n -= k;
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut Vec<u8>, _indent: usize) {
        write_str(out, self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut Vec<u8>, _indent: usize) {
        write_str(out, self);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        (**self).write_json(out, indent);
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        match self {
            Some(v) => v.write_json(out, indent),
            None => out.extend_from_slice(b"null"),
        }
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
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            pad(out, indent + 1);
            item.write_json(out, indent + 1);
        }
        out.push(b'\n');
        pad(out, indent);
        out.push(b']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        self.as_slice().write_json(out, indent);
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

    /// One field; `key` is a plain identifier (no escaping needed).
    fn field<T: WriteJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        pad(self.out, self.indent + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
        value.write_json(self.out, self.indent + 1);
        self
    }

    fn end(&mut self) {
        if !self.empty {
            self.out.push(b'\n');
            pad(self.out, self.indent);
        }
        self.out.push(b'}');
    }
}

impl WriteJson for Step {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("step", self.step)
            .field("detail", &self.detail)
            .field("value", &self.value)
            .end();
    }
}

impl WriteJson for Line {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("kind", self.kind)
            .field("id", &self.id)
            .field("name", &self.name)
            .field("measure", &self.measure)
            .field("quota", &self.quota)
            .field("attainment", &self.attainment)
            .field("amount", &self.amount)
            .field("explanation", &self.explanation)
            .field("trace", &self.trace)
            .end();
    }
}

impl WriteJson for Statement {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("payee", &self.payee)
            .field("period", &self.period)
            .field("plan", &self.plan)
            .field("currency", &self.currency)
            .field("status", self.status)
            .field("lines", &self.lines)
            .field("earned", &self.earned)
            .field("total", &self.total)
            .field("prior_paid", &self.prior_paid)
            .field("net_payable", &self.net_payable)
            .field("draw_balance", &self.draw_balance)
            .end();
    }
}

impl WriteJson for Totals {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("currency", &self.currency)
            .field("earned", &self.earned)
            .field("adjustments", &self.adjustments)
            .field("total", &self.total)
            .field("net_payable", &self.net_payable)
            .field("discretionary_share", &self.discretionary_share)
            .end();
    }
}

impl WriteJson for Reconciliation {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("payee", &self.payee)
            .field("period", &self.period)
            .field("component", &self.component)
            .field("calculated", &self.calculated)
            .field("paid", &self.paid)
            .field("difference", &self.difference)
            .field("status", self.status)
            .field("fixed_in", &self.fixed_in)
            .end();
    }
}

impl WriteJson for Warning {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("code", self.code)
            .field("path", &self.path)
            .field("message", &self.message)
            .end();
    }
}

impl WriteJson for LineChange {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("payee", &self.payee)
            .field("period", &self.period)
            .field("kind", self.kind)
            .field("id", &self.id)
            .field("before", &self.before)
            .field("after", &self.after)
            .field("change", &self.change)
            .field("explanation", &self.explanation)
            .field("trace", &self.trace)
            .end();
    }
}

impl WriteJson for PayeeChange {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("payee", &self.payee)
            .field("currency", &self.currency)
            .field("before", &self.before)
            .field("after", &self.after)
            .field("change", &self.change)
            .end();
    }
}

impl WriteJson for Estimate {
    fn write_json(&self, out: &mut Vec<u8>, indent: usize) {
        Obj::new(out, indent)
            .field("engine", self.engine)
            .field("deal", &self.deal)
            .field("change", &self.change)
            .field("payees", &self.payees)
            .field("lines", &self.lines)
            .end();
    }
}

/// Write one statement object starting at nesting level `indent` (2 inside a run).
pub fn write_statement(s: &Statement, out: &mut Vec<u8>, indent: usize) {
    s.write_json(out, indent);
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
        for n in 1..=40 {
            v = serde_json::json!([v]);
            let mut out = Vec::new();
            Nest(n).write_json(&mut out, 0);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
        let mut out = Vec::new();
        Obj::new(&mut out, 3).end();
        Vec::<String>::new().write_json(&mut out, 3);
        None::<String>.write_json(&mut out, 3);
        assert_eq!(out, b"{}[]null");
    }
}
