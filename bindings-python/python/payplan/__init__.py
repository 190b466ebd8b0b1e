"""payplan: an explainable sales-compensation engine on exact decimals.

>>> import payplan
>>> plan = payplan.Plan.load("plans/ae.yaml")                       # doctest: +SKIP
>>> run = payplan.run(plan, payees=payees_df, assignments=assign_df,
...                   transactions=deals_df, quotas=quotas_df)       # doctest: +SKIP
>>> run.to_pandas()                                                 # doctest: +SKIP

Decimals are :class:`decimal.Decimal` (Arrow decimal128 in frames), never float. A binary
float on input is read through its shortest round-trip text (``repr``), or rejected with
``strict=True``. Every error is a :class:`PayplanError` with ``.code`` and ``.path``.
The engine runs with the GIL released.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _payplan
from ._convert import build_request, deal_text, request_text
from ._model import Estimate, Line, Notice, Plan, Run, Statement, TraceStep
from ._payplan import CalculationError, InputError, PayplanError, PlanError

__version__ = _payplan.__version__

__all__ = [
    "Plan", "Run", "Statement", "Line", "TraceStep", "Notice", "Estimate", "Estimator",
    "run", "run_request", "estimate", "request_json",
    "PayplanError", "PlanError", "InputError", "CalculationError",
]


def request_json(
    plans: Any,
    *,
    payees: Any = None,
    assignments: Any = None,
    transactions: Any = None,
    quotas: Any = None,
    fx_rates: Any = None,
    payments: Any = None,
    adjustments: Any = None,
    options: Optional[Dict[str, Any]] = None,
    strict: bool = False,
) -> str:
    """The request JSON text that :func:`run` sends to the engine (for inspection or the CLI).

    Each table may be a list of dicts, a pandas or polars DataFrame, a pyarrow Table, CSV
    text, or a path to a CSV file (extra columns become attributes).
    """
    tables = {
        "payees": payees,
        "assignments": assignments,
        "transactions": transactions,
        "quotas": quotas,
        "fx_rates": fx_rates,
        "payments": payments,
        "adjustments": adjustments,
    }
    return build_request(plans, tables, options, strict)


def run(
    plans: Any,
    *,
    payees: Any = None,
    assignments: Any = None,
    transactions: Any = None,
    quotas: Any = None,
    fx_rates: Any = None,
    payments: Any = None,
    adjustments: Any = None,
    options: Optional[Dict[str, Any]] = None,
    strict: bool = False,
) -> Run:
    """Run plans (a Plan, dict, JSON/YAML text or path, or a list of them) on inputs."""
    text = request_json(
        plans, payees=payees, assignments=assignments, transactions=transactions, quotas=quotas,
        fx_rates=fx_rates, payments=payments, adjustments=adjustments, options=options, strict=strict,
    )
    return Run(_payplan.run_json(text))


def run_request(request: Any, strict: bool = False) -> Run:
    """Run a whole request: JSON text (sent unchanged) or a dict in the request shape of
    docs/inputs-and-output.md (its tables may be frames)."""
    return Run(_payplan.run_json(request_text(request, strict)))


def estimate(plans: Any, deal: Any, *, strict: bool = False, **tables: Any) -> Estimate:
    """What-if: how one hypothetical deal (a transaction dict) changes the payouts."""
    options = tables.pop("options", None)
    text = request_json(plans, options=options, strict=strict, **tables)
    return Estimate(_payplan.estimate_json(text, deal_text(deal, strict)))


class Estimator:
    """A request prepared once (parsed, validated, credited), then run or asked
    what-if questions as often as needed — e.g. behind a slider in a notebook.

    ``Estimator(plans, payees=..., transactions=..., ...)`` takes the arguments of
    :func:`run`; ``Estimator.from_request(dict_or_text)`` takes a whole request.
    """

    def __init__(self, plans: Any, *, strict: bool = False, **tables: Any) -> None:
        options = tables.pop("options", None)
        self._init(request_json(plans, options=options, strict=strict, **tables), strict)

    def _init(self, text: str, strict: bool) -> None:
        self.strict = strict
        self._engine = _payplan.Engine(text)

    @classmethod
    def from_request(cls, request: Any, strict: bool = False) -> "Estimator":
        self = cls.__new__(cls)
        self._init(request_text(request, strict), strict)
        return self

    def run(self) -> Run:
        """The full run (same bytes as :func:`run`)."""
        return Run(self._engine.run_json())

    def estimate(self, deal: Any) -> Estimate:
        """What-if for one deal (a transaction dict or its JSON text)."""
        return Estimate(self._engine.estimate_json(deal_text(deal, self.strict)))
