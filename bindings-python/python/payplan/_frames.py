"""Run -> Arrow tables (decimals as decimal128, never float)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Optional

_LINE_TEXT = ("payee", "period", "plan", "currency", "kind", "id", "name")
_LINE_DEC = ("measure", "quota", "attainment", "amount")
_STATEMENT_TEXT = ("payee", "period", "plan", "currency")


def _decimal_array(values: List[Optional[str]]) -> Any:
    """decimal128(38, s) with s the largest scale in the column (core decimals have at most
    29 significant digits, so every value fits exactly)."""
    import pyarrow as pa

    decs = [None if v is None else Decimal(v) for v in values]
    scale = max((-d.as_tuple().exponent for d in decs if d is not None), default=0)  # type: ignore[operator]
    return pa.array(decs, type=pa.decimal128(38, max(0, scale)))


def _is_decimal_column(values: List[Any]) -> bool:
    from ._model import _DECIMAL_RE

    seen = False
    for v in values:
        if v is None:
            continue
        if not isinstance(v, str) or not _DECIMAL_RE.match(v):
            return False
        seen = True
    return seen


def _table(rows: List[Dict[str, Any]], text_cols: tuple, dec_cols: tuple) -> Any:
    import pyarrow as pa

    cols: List[str] = list(text_cols) + list(dec_cols)
    for r in rows:
        for k, v in r.items():
            if k not in cols and not isinstance(v, (list, dict)):
                cols.append(k)
    arrays, names = [], []
    for c in cols:
        values = [r.get(c) for r in rows]
        if c in dec_cols or (c not in text_cols and c not in ("explanation", "detail") and _is_decimal_column(values)):
            arrays.append(_decimal_array(values))
        else:
            arrays.append(pa.array([None if v is None else str(v) for v in values], type=pa.string()))
        names.append(c)
    return pa.Table.from_arrays(arrays, names=names)


def to_arrow(run: Any, table: str = "lines") -> Any:
    statements = run._d.get("statements") or []
    if table == "statements":
        rows = [{k: v for k, v in s.items() if k != "lines"} for s in statements]
        return _table(rows, _STATEMENT_TEXT, ("earned", "net_payable"))
    if table == "lines":
        rows = []
        for s in statements:
            head = {k: s.get(k) for k in _STATEMENT_TEXT}
            for line in s.get("lines") or []:
                row = dict(head)
                row["kind"] = line.get("kind")
                row["id"] = line.get("id")
                row["name"] = line.get("name")
                for k, v in line.items():
                    if k not in row and k != "trace":
                        row[k] = v
                rows.append(row)
        return _table(rows, _LINE_TEXT, _LINE_DEC)
    if table == "trace":
        rows = []
        for s in statements:
            for line in s.get("lines") or []:
                for i, t in enumerate(line.get("trace") or []):
                    rows.append({"payee": s.get("payee"), "period": s.get("period"), "plan": s.get("plan"),
                                 "line": line.get("id"), "kind": line.get("kind"), "n": str(i),
                                 "step": t.get("step"), "detail": t.get("detail"), "value": t.get("value")})
        return _table(rows, ("payee", "period", "plan", "line", "kind", "n", "step", "detail", "value"), ())
    raise ValueError(f"table is 'lines', 'statements' or 'trace', not {table!r}")
