"""Python values -> request JSON text.

No business rule lives here: values are only turned into the text the core reads
(docs/inputs-and-output.md). Decimals travel as exact JSON number text, dates as
``YYYY-MM-DD``, binary floats through their shortest round-trip text (``repr``) or are
rejected with ``strict=True``; data frames become the core's CSV table form.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import os
import re
import sys
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Optional

from . import _payplan
from ._payplan import InputError

TABLES = ("payees", "assignments", "transactions", "quotas", "fx_rates", "payments", "adjustments")

FLOAT_CODE = "float_input"
NON_FINITE_CODE = "non_finite_number"
TYPE_CODE = "unsupported_type"


def input_error(code: str, path: str, message: str) -> InputError:
    """An :class:`InputError` raised by the Python layer, shaped like the core's."""
    err = InputError(f"{path}: {message}" if path else message)
    err.code = code
    err.category = "input"
    err.path = path
    err.problems = [{"code": code, "path": path, "message": message}]
    err.json = json.dumps(
        {"code": code, "category": "input", "path": path, "message": str(err), "problems": err.problems},
        indent=2,
    ) + "\n"
    return err


# --------------------------------------------------------------------------- scalars

def decimal_text(d: Decimal, path: str = "") -> str:
    if not d.is_finite():
        raise input_error(NON_FINITE_CODE, path, f"expected a finite decimal, found {d}")
    return format(d, "f")


def float_text(x: float, path: str = "", strict: bool = False) -> str:
    if strict:
        raise input_error(
            FLOAT_CODE,
            path,
            f"binary float {x!r} given with strict=True; pass decimal.Decimal, int or str",
        )
    if not math.isfinite(x):
        raise input_error(NON_FINITE_CODE, path, f"expected a finite number, found {x!r}")
    return repr(float(x))


def date_text(d: _dt.date, path: str = "") -> str:
    if isinstance(d, _dt.datetime):
        if (d.hour, d.minute, d.second, d.microsecond) != (0, 0, 0, 0):
            raise input_error(TYPE_CODE, path, f"expected a calendar date, found the date-time {d.isoformat()}")
        d = d.date()
    return d.isoformat()


# A Decimal is written as the exact JSON number text it stands for. json.dumps cannot write
# raw number text, so a Decimal first becomes a marked string that is unquoted afterwards.
_MARK = "\x00payplan-num:"
_MARK_RE = re.compile(r'"\\u0000payplan-num:([-0-9.]+)"')


class _Encoder:
    """``default=`` hook for json.dumps, plus a strict pre-check for floats."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.marked = False

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            self.marked = True
            return _MARK + decimal_text(o)
        if isinstance(o, _dt.date):
            return date_text(o)
        if hasattr(o, "_payplan_json_value"):
            return o._payplan_json_value()
        np = sys.modules.get("numpy")
        if np is not None:
            if isinstance(o, np.integer):
                return int(o)
            if isinstance(o, np.bool_):
                return bool(o)
            if isinstance(o, np.floating):
                return json.loads(float_text(float(o), strict=self.strict))
            if isinstance(o, np.datetime64):
                return date_text(_np_datetime(o))
            if isinstance(o, np.ndarray):
                return o.tolist()
        if isinstance(o, (set, frozenset, tuple)):
            return list(o)
        if hasattr(o, "keys") and hasattr(o, "__getitem__"):
            return {k: o[k] for k in o.keys()}
        raise input_error(TYPE_CODE, "", f"cannot send a value of type {type(o).__name__}: {o!r}")

    def dumps(self, value: Any, path: str) -> str:
        if self.strict:
            _check_no_float(value, path)
        try:
            text = json.dumps(
                value, default=self.default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
            )
        except ValueError as e:  # NaN or infinity among floats
            _check_finite(value, path)
            raise input_error(NON_FINITE_CODE, path, str(e)) from None
        if self.marked:
            text = _MARK_RE.sub(r"\1", text)
        return text


def _np_datetime(v: Any) -> _dt.datetime:
    import numpy as np

    if np.isnat(v):
        raise input_error(TYPE_CODE, "", "NaT is not a date")
    return _dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=int(v.astype("datetime64[us]").astype("int64")))


def _check_no_float(value: Any, path: str) -> None:
    """strict=True: find the first binary float and name where it is."""
    if isinstance(value, float):
        float_text(value, path, strict=True)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_no_float(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_no_float(v, f"{path}[{i}]")
    else:
        np = sys.modules.get("numpy")
        if np is not None and isinstance(value, np.floating):
            float_text(float(value), path, strict=True)


def _check_finite(value: Any, path: str) -> None:
    if isinstance(value, float):
        float_text(value, path)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_finite(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_finite(v, f"{path}[{i}]")


def dumps(value: Any, path: str = "", strict: bool = False) -> str:
    """JSON text of a plain Python value (dicts, lists, str, int, Decimal, date, float)."""
    return _Encoder(strict).dumps(value, path)


# --------------------------------------------------------------------------- tables

def _kind(obj: Any) -> str:
    mod = type(obj).__module__ or ""
    root = mod.split(".", 1)[0]
    if root == "pandas" and type(obj).__name__ == "DataFrame":
        return "pandas"
    if root == "polars" and type(obj).__name__ in ("DataFrame", "LazyFrame"):
        return "polars"
    if root == "pyarrow" and type(obj).__name__ in ("Table", "RecordBatch"):
        return "arrow"
    return ""


def table_json(obj: Any, name: str, strict: bool = False) -> str:
    """JSON text of one input table given as records, a frame, CSV text or a CSV path."""
    path = f"inputs.{name}"
    if isinstance(obj, (str, os.PathLike)):
        text = os.fspath(obj)
        if isinstance(obj, str) and "\n" in text:
            return json.dumps({"csv": text, "name": f"{name}.csv"}, ensure_ascii=False)
        with open(text, encoding="utf-8") as f:
            return json.dumps({"csv": f.read(), "name": os.path.basename(text)}, ensure_ascii=False)
    kind = _kind(obj)
    if kind:
        csv = frame_to_csv(obj, name, strict)
        return '{"csv":' + _payplan._json_string(csv) + ',"name":' + json.dumps(f"{name}.csv") + "}"
    if isinstance(obj, dict):
        return dumps(obj, path, strict)  # already {"csv": ...} or another form the core reads
    if not isinstance(obj, list):
        obj = list(obj)
    return dumps(obj, path, strict)


def frame_to_csv(obj: Any, name: str, strict: bool = False) -> bytes:
    """A pandas/polars data frame or a pyarrow table -> CSV (UTF-8 bytes) of the core's table form."""
    import pyarrow as pa

    kind = _kind(obj)
    if kind == "pandas":
        table = _pandas_to_arrow(obj, name, strict)
    elif kind == "polars":
        if type(obj).__name__ == "LazyFrame":
            obj = obj.collect()
        table = obj.to_arrow()
    else:
        table = obj if isinstance(obj, pa.Table) else pa.Table.from_batches([obj])
    return arrow_to_csv(table, name, strict)


def _pandas_to_arrow(df: Any, name: str, strict: bool) -> Any:
    import pyarrow as pa

    names = [n for n in df.index.names if n is not None]
    if names:
        df = df.reset_index()
    arrays = []
    for col in df.columns:
        series = df[col]
        if series.dtype == object:
            first = series.first_valid_index()
            if first is not None and isinstance(series[first], Decimal):
                arrays.append(_decimals_to_text(series.tolist(), f"inputs.{name}, column {col}"))
                continue
        try:
            arr = pa.array(series, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            arr = None
        if arr is None or (series.dtype == object and pa.types.is_floating(arr.type)):
            # mixed objects (Decimal with str, floats among Decimals...): cell by cell
            arr = pa.array(
                [_cell_text(v, f"inputs.{name}, column {col}, row {i + 2}", strict) for i, v in enumerate(series)],
                type=pa.string(),
            )
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=[str(c) for c in df.columns])


def _cell_text(v: Any, path: str, strict: bool) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return float_text(v, path, strict)
    if isinstance(v, Decimal):
        if v.is_nan():
            return None
        return decimal_text(v, path)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, _dt.date):
        return date_text(v, path)
    if isinstance(v, str):
        return v
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(v, np.floating):
            return None if np.isnan(v) else float_text(float(v), path, strict)
        if isinstance(v, np.integer):
            return str(int(v))
    if type(v).__name__ == "NaTType":
        return None
    if isinstance(v, (list, tuple)):
        return _list_cell(v, path, strict)
    raise input_error(TYPE_CODE, path, f"cannot send a value of type {type(v).__name__}: {v!r}")


def _list_cell(items: Iterable[Any], path: str, strict: bool) -> str:
    """splits [{payee, share}] -> ``A:0.5;B:0.5``; leaves [{from, to}] -> ``from/to;...``."""
    parts = []
    for it in items:
        if isinstance(it, dict) and "payee" in it:
            parts.append(f"{it['payee']}:{_cell_text(it.get('share'), path, strict)}")
        elif isinstance(it, dict) and "from" in it:
            parts.append(f"{_cell_text(it['from'], path, strict)}/{_cell_text(it.get('to'), path, strict) or ''}")
        elif isinstance(it, (list, tuple)) and len(it) == 2:
            parts.append(f"{_cell_text(it[0], path, strict)}:{_cell_text(it[1], path, strict)}")
        else:
            raise input_error(TYPE_CODE, path, f"cannot write {it!r} as a splits or leaves item")
    return ";".join(parts)


def arrow_to_csv(table: Any, name: str, strict: bool = False) -> bytes:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    arrays = []
    for field, col in zip(table.schema, table.columns):
        t = field.type
        where = f"inputs.{name}, column {field.name}"
        if pa.types.is_dictionary(t):
            col = col.cast(t.value_type)
            t = t.value_type
        if pa.types.is_floating(t):
            if strict and col.null_count < len(col):
                float_text(0.0, where, strict=True)
            col = _floats_to_text(col, where)
        elif pa.types.is_timestamp(t) or pa.types.is_date64(t):
            if pa.types.is_timestamp(t) and col.null_count < len(col):
                midnight = pc.equal(col, pc.floor_temporal(col, unit="day"))
                if not pc.all(midnight, skip_nulls=True).as_py():
                    raise input_error(TYPE_CODE, where, "expected calendar dates, found date-times with a time of day")
            col = pc.cast(col, pa.date32())
        elif pa.types.is_decimal(t) or pa.types.is_integer(t) or pa.types.is_boolean(t) \
                or pa.types.is_date32(t) or pa.types.is_null(t) \
                or pa.types.is_string(t) or pa.types.is_large_string(t):
            pass
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t):
            col = pa.array(
                [None if v is None else _list_cell(v, where, strict) for v in col.to_pylist()], type=pa.string()
            )
        else:
            try:
                col = pc.cast(col, pa.large_string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                col = pa.array([_cell_text(v, where, strict) for v in col.to_pylist()], type=pa.string())
        arrays.append(col)
    table = pa.Table.from_arrays(arrays, names=table.schema.names)
    # Unquoted cells keep the text small; a cell holding a comma, quote or line break
    # makes pyarrow refuse, and the table is written again with quotes where needed.
    for style in ("none", "needed"):
        sink = io.BytesIO()
        try:
            opts = pacsv.WriteOptions(include_header=True, quoting_style=style)
        except TypeError:  # pyarrow without quoting_style: quotes every string
            opts = pacsv.WriteOptions(include_header=True)
        try:
            pacsv.write_csv(table, sink, write_options=opts)
        except pa.ArrowInvalid:
            continue
        break
    return sink.getvalue()


def _floats_to_text(col: Any, where: str) -> Any:
    """Binary floats -> text of their shortest round-trip digits (the value of ``repr(x)``).

    Arrow's float-to-string cast writes the same shortest digits as ``repr`` (and fast);
    integral values get ``.0`` as ``repr`` writes them, and the rare cells Arrow writes
    with an exponent are rewritten from ``repr`` as plain digits.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    valid = pc.is_finite(col)
    nan = pc.is_nan(col)
    if not pc.all(pc.or_(valid, nan), skip_nulls=True).as_py():
        bad = next(x for x in col.to_pylist() if x is not None and x == x and math.isinf(x))
        raise input_error(NON_FINITE_CODE, where, f"expected a finite number, found {bad!r}")
    text = pc.cast(pc.if_else(nan, pa.scalar(None, col.type), col), pa.string())
    text = pc.if_else(pc.match_substring(text, "."), text, pc.binary_join_element_wise(text, ".0", ""))
    exp = pc.match_substring(text, "e")
    if pc.any(exp).as_py():
        values = text.to_pylist()
        floats = col.to_pylist()
        for i in pc.indices_nonzero(exp).to_pylist():
            values[i] = format(Decimal(repr(floats[i])), "f")
        text = pa.array(values, type=pa.string())
    return text


def _decimals_to_text(values: List[Any], where: str) -> Any:
    """An object column of Decimals (and None/NaN) -> exact text, fast path: ``str`` of a
    Decimal is its exact text unless it has an exponent (``E``), is NaN, or is None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(list(map(str, values)), type=pa.string())
    odd = pc.match_substring_regex(arr, "[EnN]")
    if pc.any(odd).as_py():
        out = arr.to_pylist()
        for i in pc.indices_nonzero(odd).to_pylist():
            out[i] = _cell_text(values[i], where, False)
        arr = pa.array(out, type=pa.string())
    return arr


# --------------------------------------------------------------------------- requests

def plan_text(plan: Any, strict: bool = False) -> str:
    """JSON text of one plan given as a Plan, dict, JSON/YAML text or path.

    Only converted, not validated here: the core validates the plans with the whole
    request, so errors name them as in the request (``plans[1].components[0].cap``).
    """
    from ._model import Plan

    if isinstance(plan, Plan):
        return plan.to_json()
    if isinstance(plan, dict):
        return dumps(plan, "plan", strict)
    if isinstance(plan, (str, os.PathLike)):
        return Plan._source_json(plan)
    raise TypeError(f"a plan is a Plan, dict, JSON/YAML text or path, not {type(plan).__name__}")


def _plans_texts(plans: Any, strict: bool = False) -> List[str]:
    from ._model import Plan

    if plans is None:
        return []
    if isinstance(plans, (Plan, dict, str, os.PathLike)):
        plans = [plans]
    return [plan_text(p, strict) for p in plans]


def build_request(
    plans: Any,
    tables: Dict[str, Any],
    options: Optional[Dict[str, Any]] = None,
    strict: bool = False,
) -> str:
    """Request JSON text from plans, input tables and options (pieces joined as text)."""
    parts = ['{"plans":[', ",".join(_plans_texts(plans, strict)), '],"inputs":{']
    first = True
    for name in TABLES:
        value = tables.get(name)
        if value is None:
            continue
        if not first:
            parts.append(",")
        first = False
        parts.append(json.dumps(name))
        parts.append(":")
        parts.append(table_json(value, name, strict))
    extra = set(tables) - set(TABLES)
    for name in sorted(extra):
        if tables[name] is None:
            continue
        if not first:
            parts.append(",")
        first = False
        parts.append(json.dumps(name) + ":" + table_json(tables[name], name, strict))
    parts.append("}")
    if options:
        parts.append(',"options":')
        parts.append(dumps(options, "options", strict))
    parts.append("}")
    return "".join(parts)


def request_text(request: Any, strict: bool = False) -> str:
    """JSON text of a whole request given as text, bytes or a dict (tables may be frames)."""
    if isinstance(request, bytes):
        return request.decode("utf-8")
    if isinstance(request, str):
        return request
    if not isinstance(request, dict):
        raise input_error(TYPE_CODE, "", f"a request is a dict or JSON text, found {type(request).__name__}")
    from ._model import Plan

    parts = ["{"]
    for i, (key, value) in enumerate(request.items()):
        if i:
            parts.append(",")
        parts.append(json.dumps(key) + ":")
        if key == "inputs" and isinstance(value, dict):
            inner = []
            for name, table in value.items():
                inner.append(json.dumps(name) + ":" + table_json(table, name, strict))
            parts.append("{" + ",".join(inner) + "}")
        elif key == "plans" and isinstance(value, list) and any(isinstance(p, Plan) for p in value):
            parts.append("[" + ",".join(plan_text(p, strict) for p in value) + "]")
        elif key == "plan" and isinstance(value, Plan):
            parts.append(value.to_json())
        else:
            parts.append(dumps(value, key, strict))
    parts.append("}")
    return "".join(parts)


def deal_text(deal: Any, strict: bool = False) -> str:
    if isinstance(deal, str):
        return deal
    return dumps(deal, "deal", strict)


__all__ = ["build_request", "request_text", "deal_text", "dumps", "table_json", "frame_to_csv", "input_error"]
