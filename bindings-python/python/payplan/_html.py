"""HTML for Jupyter: readable tables of plans, runs, statements and estimates."""

from __future__ import annotations

from html import escape
from typing import Any, Iterable, List, Sequence

_STYLE = (
    "<style>.payplan table{border-collapse:collapse;margin:4px 0}"
    ".payplan th,.payplan td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
    ".payplan td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".payplan caption{text-align:left;font-weight:bold}</style>"
)
MAX_ROWS = 60


def _cell(v: Any) -> str:
    if v is None:
        return "<td></td>"
    from decimal import Decimal

    if isinstance(v, Decimal):
        return f'<td class="num">{escape(format(v, "f"))}</td>'
    return f"<td>{escape(str(v))}</td>"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "", total: int = -1) -> str:
    out: List[str] = ["<table>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    n = 0
    for r in rows:
        if n == MAX_ROWS:
            break
        out.append("<tr>" + "".join(_cell(v) for v in r) + "</tr>")
        n += 1
    out.append("</tbody></table>")
    if total > n:
        out.append(f"<p>… {total - n} more rows (use <code>.to_pandas()</code>)</p>")
    return "".join(out)


def _wrap(body: str) -> str:
    return f'{_STYLE}<div class="payplan">{body}</div>'


def plan_html(plan: Any) -> str:
    d = plan.to_dict()
    cal = d.get("calendar") or {}
    head = table(
        ["id", "name", "currency", "year", "period"],
        [[d.get("id"), d.get("name"), d.get("currency"), cal.get("year"), cal.get("period")]],
        caption="Plan",
    )
    comps = []
    for c in d.get("components") or []:
        mech = c.get("mechanism") or {}
        comps.append([c.get("id"), c.get("name"), c.get("measure"), mech.get("type"),
                      c.get("weight"), c.get("cap"), c.get("cumulative")])
    body = head + table(["component", "name", "measure", "mechanism", "weight", "cap", "cumulative"], comps,
                        caption="Components")
    return _wrap(body)


def run_html(run: Any) -> str:
    head = table(["engine", "fingerprint", "statements"],
                 [[run.engine, (run.fingerprint or "")[:16] + "…", len(run)]], caption="Run")
    totals = run.totals
    if totals:
        keys = list(totals[0].keys())
        head += table(keys, ([t.get(k) for k in keys] for t in totals), caption="Totals")
    sts = run.statements
    rows = ([s.payee, s.period, s.plan, s.currency, s.earned, s.net_payable] for s in sts)
    body = head + table(["payee", "period", "plan", "currency", "earned", "net payable"], rows,
                        caption="Statements", total=len(sts))
    if run.warnings:
        body += table(["code", "path", "message"], ([w.code, w.path, w.message] for w in run.warnings),
                      caption="Warnings")
    return _wrap(body)


def statement_html(s: Any) -> str:
    head = f"<p><b>{escape(str(s.payee))}</b> · {escape(str(s.period))} · plan {escape(str(s.plan))} · {escape(str(s.currency))}</p>"
    rows = []
    for ln in s.lines:
        rows.append([ln.kind, ln.name or ln.id, ln.measure, ln.quota, ln.attainment, ln.amount, ln.explanation])
    body = head + table(["kind", "line", "measure", "quota", "attainment", "amount", "explanation"], rows)
    body += table(["earned", "net payable"], [[s.earned, s.net_payable]])
    traces = []
    for ln in s.lines:
        steps = ln.trace
        if steps:
            traces.append(f"<details><summary>trace of {escape(str(ln.id))}</summary>"
                          + table(["step", "detail", "value"], ([t.step, t.detail, t.value] for t in steps))
                          + "</details>")
    return _wrap(body + "".join(traces))


def estimate_html(e: Any) -> str:
    body = f"<p>What-if <b>{escape(str(e.deal))}</b>: change {escape(format(e.change, 'f'))}</p>"
    body += table(["payee", "before", "after", "change"],
                  ([p.get("payee"), p.get("before"), p.get("after"), p.get("change")] for p in e.payees))
    body += table(["payee", "period", "kind", "id", "before", "after", "change"],
                  ([ln.payee, ln.period, ln.kind, ln.id, ln.before, ln.after, ln.change] for ln in e.lines))
    return _wrap(body)
