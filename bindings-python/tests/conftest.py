"""Shared fixtures: where the repository's vectors and examples are, and a small plan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def repo_root() -> Path:
    env = os.environ.get("PAYPLAN_ROOT")
    if env:
        return Path(env)
    for p in [HERE, *HERE.parents]:
        if (p / "Cargo.toml").is_file() and (p / "core").is_dir():
            return p
    raise RuntimeError("cannot find the payplan repository root above " + str(HERE))


ROOT = repo_root()
VECTORS = Path(os.environ.get("PAYPLAN_VECTORS") or ROOT / "tests" / "vectors")
EXAMPLES = ROOT / "examples"

# Case 1 of CASES.md in the plan format: 5 % of bookings, monthly.
FLAT_PLAN = {
    "payplan": 1,
    "id": "p",
    "name": "Plan p",
    "currency": "EUR",
    "calendar": {"year": 2027, "start_month": 1, "period": "month"},
    "measures": [{"id": "bookings", "kinds": ["booking"], "aggregate": "sum", "field": "amount", "credit": "own"}],
    "components": [
        {"id": "commission", "name": "Commission", "measure": "bookings",
         "mechanism": {"type": "rate", "rate": "0.05"}}
    ],
}

FLAT_PLAN_YAML = """\
payplan: 1
id: p
name: Plan p
currency: EUR
calendar: {year: 2027, start_month: 1, period: month}
measures:
  - {id: bookings, kinds: [booking], aggregate: sum, field: amount, credit: own}
components:
  - id: commission
    name: Commission
    measure: bookings
    mechanism: {type: rate, rate: 0.05}
"""


@pytest.fixture
def flat_plan():
    return dict(FLAT_PLAN)
