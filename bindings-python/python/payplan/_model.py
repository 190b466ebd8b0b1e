"""Python objects over the core's output JSON: Plan, Run, Statement, Line, TraceStep, Estimate.

Every object keeps the exact text the core returned (``to_json()``); fields are read from
it on demand, decimals as :class:`decimal.Decimal` (never float).
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional, Sequence

from . import _html, _payplan

_DECIMAL_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _dec(v: Any) -> Optional[Decimal]:
    if v is None:
        return None
    return Decimal(v) if isinstance(v, str) else Decimal(str(v))


def _maybe_dec(v: Any) -> Any:
    if isinstance(v, str) and _DECIMAL_RE.match(v):
        return Decimal(v)
    return v


class _Record:
    """A read-only view of one JSON object of the output.

    Documented fields are properties; any other field the core writes is reachable as an
    attribute too (decimal text becomes Decimal, except for fields named in ``_TEXT``).
    """

    __slots__ = ("_d",)
    _TEXT: frozenset = frozenset()

    def __init__(self, data: Dict[str, Any]) -> None:
        self._d = data

    def __getattr__(self, name: str) -> Any:
        try:
            d = object.__getattribute__(self, "_d")
        except AttributeError:
            raise AttributeError(name) from None
        if name in d:
            v = d[name]
            return v if name in self._TEXT else _maybe_dec(v)
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def to_dict(self) -> Dict[str, Any]:
        """The object as plain Python values, decimals as Decimal."""
        return _to_native(self._d, self._TEXT)

    def __getitem__(self, key: str) -> Any:
        return self.__getattr__(key)

    def keys(self) -> List[str]:
        return list(self._d.keys())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._d == self._d  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(json.dumps(self._d, sort_keys=True))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self.__getattr__(k)!r}" for k in self._repr_keys() if k in self._d)
        return f"{type(self).__name__}({shown})"

    def _repr_keys(self) -> Sequence[str]:
        return list(self._d.keys())[:6]


_TEXT_KEYS = frozenset(
    {"payee", "period", "plan", "currency", "kind", "id", "name", "explanation", "step", "detail",
     "code", "path", "message", "engine", "fingerprint", "deal", "component", "reason", "approver",
     "status", "line", "transaction", "measure_id"}
)


def _to_native(v: Any, text: frozenset = _TEXT_KEYS, key: str = "") -> Any:
    if isinstance(v, dict):
        return {k: _to_native(x, text, k) for k, x in v.items()}
    if isinstance(v, list):
        return [_to_native(x, text, key) for x in v]
    if key in text:
        return v
    return _maybe_dec(v)


class TraceStep(_Record):
    """One step of a line's calculation: what was done, in words, and its value."""

    __slots__ = ()
    _TEXT = _TEXT_KEYS

    @property
    def step(self) -> str:
        return self._d.get("step")

    @property
    def detail(self) -> str:
        return self._d.get("detail")

    @property
    def value(self) -> Any:
        """The step's result: a Decimal when it is a number, else the text as written."""
        return _maybe_dec(self._d.get("value"))


class Line(_Record):
    """One statement line: a component payout, cap, clawback, adjustment, true-up, draw..."""

    __slots__ = ()
    _TEXT = _TEXT_KEYS

    @property
    def kind(self) -> str:
        return self._d.get("kind")

    @property
    def id(self) -> str:
        return self._d.get("id")

    @property
    def name(self) -> Optional[str]:
        return self._d.get("name")

    @property
    def measure(self) -> Optional[Decimal]:
        return _dec(self._d.get("measure"))

    @property
    def quota(self) -> Optional[Decimal]:
        return _dec(self._d.get("quota"))

    @property
    def attainment(self) -> Optional[Decimal]:
        return _dec(self._d.get("attainment"))

    @property
    def amount(self) -> Decimal:
        return _dec(self._d.get("amount"))  # type: ignore[return-value]

    @property
    def explanation(self) -> Optional[str]:
        return self._d.get("explanation")

    @property
    def trace(self) -> List[TraceStep]:
        return [TraceStep(t) for t in self._d.get("trace") or []]

    def _repr_keys(self) -> Sequence[str]:
        return ("kind", "id", "attainment", "amount")


class Statement(_Record):
    """What one payee earns in one period under one plan, line by line."""

    __slots__ = ()
    _TEXT = _TEXT_KEYS

    @property
    def payee(self) -> str:
        return self._d.get("payee")

    @property
    def period(self) -> str:
        return self._d.get("period")

    @property
    def plan(self) -> str:
        return self._d.get("plan")

    @property
    def currency(self) -> str:
        return self._d.get("currency")

    @property
    def lines(self) -> List[Line]:
        return [Line(x) for x in self._d.get("lines") or []]

    @property
    def earned(self) -> Decimal:
        return _dec(self._d.get("earned"))  # type: ignore[return-value]

    @property
    def net_payable(self) -> Decimal:
        return _dec(self._d.get("net_payable"))  # type: ignore[return-value]

    def _repr_keys(self) -> Sequence[str]:
        return ("payee", "period", "plan", "earned", "net_payable")

    def _repr_html_(self) -> str:
        return _html.statement_html(self)


class Notice(_Record):
    """A warning of a run: code, path, message."""

    __slots__ = ()
    _TEXT = _TEXT_KEYS

    @property
    def code(self) -> str:
        return self._d.get("code")

    @property
    def path(self) -> str:
        return self._d.get("path")

    @property
    def message(self) -> str:
        return self._d.get("message")


class _Output:
    """Shared by Run and Estimate: the exact output text and its parsed form."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._parsed: Optional[Dict[str, Any]] = None

    @property
    def _d(self) -> Dict[str, Any]:
        # parsed on first use: a run whose output is only saved or compared costs no parse
        if self._parsed is None:
            self._parsed = json.loads(self._text)
        return self._parsed

    def to_json(self) -> str:
        """The exact output bytes of the core (as text)."""
        return self._text

    def to_dict(self) -> Dict[str, Any]:
        """The output as plain Python values, decimals as Decimal."""
        return _to_native(self._d)

    @property
    def engine(self) -> str:
        return self._d.get("engine")


class Run(_Output):
    """The result of one calculation: statements, totals and warnings."""

    @property
    def fingerprint(self) -> str:
        return self._d.get("fingerprint")

    @property
    def statements(self) -> List[Statement]:
        return [Statement(s) for s in self._d.get("statements") or []]

    @property
    def lines(self) -> List[Line]:
        return [Line(x) for s in self._d.get("statements") or [] for x in s.get("lines") or []]

    @property
    def totals(self) -> List[Dict[str, Any]]:
        """Run totals, one dict per currency (decimals as Decimal)."""
        t = self._d.get("totals") or []
        return _to_native(t if isinstance(t, list) else [t])

    def total(self, field: str = "net_payable", currency: Optional[str] = None) -> Decimal:
        """One total (``net_payable``, ``earned``, ``adjustments``...) of the run's only
        currency, or of ``currency``."""
        rows = [t for t in self.totals if currency is None or t.get("currency") == currency]
        if len(rows) != 1:
            raise KeyError(f"{len(rows)} totals for currency {currency!r}; name one of "
                           f"{[t.get('currency') for t in self.totals]}")
        return rows[0][field]

    @property
    def reconciliation(self) -> List[Dict[str, Any]]:
        return _to_native(self._d.get("reconciliation") or [])

    @property
    def warnings(self) -> List[Notice]:
        return [Notice(w) for w in self._d.get("warnings") or []]

    def statement(self, payee: str, period: Optional[str] = None) -> Statement:
        """The statement of ``payee`` (in ``period``; the only one when omitted)."""
        found = [s for s in self.statements if s.payee == payee and (period is None or s.period == period)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} statements for payee {payee!r} period {period!r}")
        return found[0]

    def statements_for(self, payee: str) -> List[Statement]:
        return [s for s in self.statements if s.payee == payee]

    def __len__(self) -> int:
        return len(self._d.get("statements") or [])

    def __iter__(self) -> Iterator[Statement]:
        return iter(self.statements)

    def __repr__(self) -> str:
        net = {t.get("currency"): t.get("net_payable") for t in self.totals}
        return f"Run({len(self)} statements, net_payable={net!r}, fingerprint={str(self.fingerprint)[:12]!r})"

    def _repr_html_(self) -> str:
        return _html.run_html(self)

    # ---- frames (decimals as Arrow decimal128, never float)

    def to_arrow(self, table: str = "lines") -> Any:
        """A pyarrow Table of ``"lines"`` (one row per statement line, the default),
        ``"statements"`` or ``"trace"``. Decimal columns are decimal128."""
        from . import _frames

        return _frames.to_arrow(self, table)

    def to_pandas(self, table: str = "lines") -> Any:
        """A pandas DataFrame (pyarrow-backed dtypes: decimal128, string)."""
        import pandas as pd

        return self.to_arrow(table).to_pandas(types_mapper=pd.ArrowDtype)

    def to_polars(self, table: str = "lines") -> Any:
        """A polars DataFrame (Decimal columns)."""
        import polars as pl

        return pl.from_arrow(self.to_arrow(table))


class Estimate(_Output):
    """A what-if answer: how much the deal changes each payee's payout, line by line."""

    @property
    def deal(self) -> str:
        return self._d.get("deal")

    @property
    def change(self) -> Decimal:
        return _dec(self._d.get("change"))  # type: ignore[return-value]

    @property
    def payees(self) -> List[Dict[str, Any]]:
        return _to_native(self._d.get("payees") or [])

    @property
    def lines(self) -> List[Line]:
        return [Line(x) for x in self._d.get("lines") or []]

    def __repr__(self) -> str:
        return f"Estimate(deal={self.deal!r}, change={self.change!r})"

    def _repr_html_(self) -> str:
        return _html.estimate_html(self)


class Plan:
    """A validated plan. Build it with :meth:`from_dict`, :meth:`from_json`,
    :meth:`from_yaml` or :meth:`load`; it holds the plan's canonical JSON."""

    __slots__ = ("_text", "_d")

    def __init__(self, canonical_json: str) -> None:
        self._text = canonical_json
        self._d: Dict[str, Any] = json.loads(canonical_json)

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        return cls(_payplan.validate_plan_json(text))

    @classmethod
    def from_dict(cls, data: Dict[str, Any], strict: bool = False) -> "Plan":
        from ._convert import dumps

        return cls.from_json(dumps(data, "plan", strict))

    @classmethod
    def from_yaml(cls, text: str) -> "Plan":
        return cls.from_json(_payplan.yaml_to_json(text))

    @classmethod
    def load(cls, path: "str | os.PathLike[str]") -> "Plan":
        """A plan file: ``.yaml``/``.yml`` as YAML, anything else as JSON."""
        p = os.fspath(path)
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if p.lower().endswith((".yaml", ".yml")):
            return cls.from_yaml(text)
        return cls.from_json(text)

    @classmethod
    def coerce(cls, plan: Any) -> "Plan":
        """A Plan from a Plan, dict, JSON or YAML text, or a path."""
        if isinstance(plan, Plan):
            return plan
        if isinstance(plan, dict):
            return cls.from_dict(plan)
        if isinstance(plan, (str, os.PathLike)):
            return cls.from_json(cls._source_json(plan))
        raise TypeError(f"a plan is a Plan, dict, JSON/YAML text or path, not {type(plan).__name__}")

    @staticmethod
    def _source_json(plan: "str | os.PathLike[str]") -> str:
        """JSON text of a plan given as JSON or YAML text or a path (not validated)."""
        if isinstance(plan, str) and plan.lstrip().startswith("{"):
            return plan
        if isinstance(plan, os.PathLike) or ("\n" not in plan and plan.lower().endswith((".yaml", ".yml", ".json"))):
            p = os.fspath(plan)
            with open(p, encoding="utf-8") as f:
                text = f.read()
            return _payplan.yaml_to_json(text) if p.lower().endswith((".yaml", ".yml")) else text
        return _payplan.yaml_to_json(plan)

    def to_json(self) -> str:
        """The plan's canonical JSON text."""
        return self._text

    def to_dict(self) -> Dict[str, Any]:
        """The plan as plain Python values (decimals as Decimal where the plan wrote numbers)."""
        return json.loads(self._text, parse_float=Decimal)

    def _payplan_json_value(self) -> Any:
        return self.to_dict()

    @property
    def id(self) -> str:
        return self._d.get("id")

    @property
    def name(self) -> Optional[str]:
        return self._d.get("name")

    @property
    def currency(self) -> Optional[str]:
        return self._d.get("currency")

    @property
    def components(self) -> List[Dict[str, Any]]:
        return self.to_dict().get("components") or []

    @property
    def measures(self) -> List[Dict[str, Any]]:
        return self.to_dict().get("measures") or []

    def payout_curve(self, component: str, start: Any = "0", stop: Any = "2", step: Any = "0.01") -> List[Dict[str, Decimal]]:
        """The engine's own sampling of one component's payout by attainment."""
        text = _payplan.payout_curve_json(self._text, component, _num(start), _num(stop), _num(step))
        return [{k: _maybe_dec(v) for k, v in p.items()} for p in json.loads(text)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plan) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __repr__(self) -> str:
        return f"Plan(id={self.id!r}, name={self.name!r})"

    def _repr_html_(self) -> str:
        return _html.plan_html(self)


def _num(v: Any) -> str:
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)
