"""Errors: the core's codes and paths, as PayplanError subclasses chosen by category."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from decimal import Decimal

import pandas as pd
import pytest

import payplan
from conftest import FLAT_PLAN

PAYEES = [{"id": "A", "name": "Ana"}, {"id": "B", "name": "Ben"}]
ASSIGN = [{"payee": "A", "plan": "p", "from": "2027-01-01"}, {"payee": "B", "plan": "p", "from": "2027-01-01"}]


def test_hierarchy():
    for cls in (payplan.PlanError, payplan.InputError, payplan.CalculationError):
        assert issubclass(cls, payplan.PayplanError)
    assert issubclass(payplan.PayplanError, Exception)
    assert payplan.PayplanError.__module__ == "payplan"


def test_syntax_error():
    with pytest.raises(payplan.InputError) as e:
        payplan.run_request("{")
    err = e.value
    assert err.code == "syntax" and err.category == "input"
    assert err.problems and err.problems[0]["code"] == "syntax"
    assert json.loads(err.json)["category"] == "input"


def test_plan_error_code_and_path():
    bad = copy.deepcopy(FLAT_PLAN)
    bad["payplan"] = 2
    with pytest.raises(payplan.PlanError) as e:
        payplan.Plan.from_dict(bad)
    assert e.value.code == "unsupported_version"
    assert e.value.path.endswith("payplan")
    with pytest.raises(payplan.PlanError) as e:
        payplan.run(bad, payees=PAYEES, assignments=ASSIGN)
    assert e.value.code == "unsupported_version" and e.value.path.endswith("payplan")
    assert e.value.path != "payplan"  # named within the request, not as a lone plan


def test_plan_lists_every_problem():
    bad = copy.deepcopy(FLAT_PLAN)
    bad["components"][0]["measure"] = "nope"
    bad["components"][0]["gates"] = [{"measure": "nope_either", "min_attainment": "0.9"}]
    with pytest.raises(payplan.PlanError) as e:
        payplan.Plan.from_dict(bad)
    assert len(e.value.problems) >= 2, e.value.problems
    assert {p["code"] for p in e.value.problems} == {"unknown_reference"}
    assert e.value.code == "unknown_reference"
    assert all(set(p) == {"code", "path", "message"} for p in e.value.problems)


def test_input_error_split_shares():
    tx = [
        {"id": "T1", "date": "2027-01-10", "amount": "1000", "currency": "EUR", "owner": "A"},
        {"id": "T2", "date": "2027-01-15", "amount": Decimal("100.01"), "currency": "EUR",
         "splits": [{"payee": "A", "share": Decimal("0.5")}, {"payee": "B", "share": Decimal("0.4")}]},
    ]
    with pytest.raises(payplan.InputError) as e:
        payplan.run(FLAT_PLAN, payees=PAYEES, assignments=ASSIGN, transactions=tx)
    assert (e.value.code, e.value.path) == ("split_shares", "inputs.transactions[1].splits")
    assert "T2" in str(e.value)


def test_input_error_csv_cell_from_frame():
    df = pd.DataFrame({"id": ["T1", "T2"], "date": ["2027-01-10", "2027-01-11"], "amount": ["1", "x"],
                       "currency": "EUR", "owner": "A"})
    with pytest.raises(payplan.InputError) as e:
        payplan.run(FLAT_PLAN, payees=PAYEES, assignments=ASSIGN, transactions=df)
    assert e.value.code == "invalid_decimal"
    assert e.value.path == "transactions.csv row 3, column amount"


def test_calculation_error_zero_quota():
    plan = copy.deepcopy(FLAT_PLAN)
    plan["calendar"]["period"] = "quarter"
    plan["components"][0]["mechanism"] = {
        "type": "rate_table", "basis": "attainment", "method": "marginal", "per": "period",
        "tiers": [{"from": "0", "to": "1", "rate": "0.10"}, {"from": "1", "rate": "0.15"}]}
    quotas = [{"payee": "A", "measure": "bookings", "period": f"2027-Q{q}", "amount": "0" if q == 1 else "100"}
              for q in range(1, 5)]
    tx = [{"id": "T1", "date": dt.date(2027, 1, 10), "amount": 1000, "currency": "EUR", "owner": "A"}]
    with pytest.raises(payplan.CalculationError) as e:
        payplan.run(plan, payees=PAYEES[:1], assignments=ASSIGN[:1], transactions=tx, quotas=quotas)
    assert (e.value.code, e.value.category) == ("zero_quota", "calculation")
    assert e.value.path  # exact paths are pinned by the conformance vectors


def test_strict_rejects_floats_in_records():
    tx = [{"id": "T1", "date": "2027-01-10", "amount": 10.05, "currency": "EUR", "owner": "A"}]
    with pytest.raises(payplan.InputError) as e:
        payplan.run(FLAT_PLAN, payees=PAYEES, assignments=ASSIGN, transactions=tx, strict=True)
    assert (e.value.code, e.value.path) == ("float_input", "inputs.transactions[0].amount")


def test_strict_rejects_float_columns():
    df = pd.DataFrame({"id": ["T1"], "date": ["2027-01-10"], "amount": [10.05], "currency": "EUR", "owner": "A"})
    with pytest.raises(payplan.InputError) as e:
        payplan.run(FLAT_PLAN, payees=PAYEES, assignments=ASSIGN, transactions=df, strict=True)
    assert e.value.code == "float_input"
    assert e.value.path == "inputs.transactions, column amount"


def test_strict_accepts_decimal_int_str():
    tx = [{"id": "T1", "date": "2027-01-10", "amount": Decimal("10.05"), "quantity": 2, "currency": "EUR",
           "owner": "A"}]
    text = payplan.request_json(FLAT_PLAN, transactions=tx, strict=True)
    assert '"amount":10.05' in text and '"quantity":2' in text


@pytest.mark.parametrize("bad", [math.nan, math.inf, Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_numbers(bad):
    tx = [{"id": "T1", "date": "2027-01-10", "amount": bad, "currency": "EUR", "owner": "A"}]
    with pytest.raises(payplan.InputError) as e:
        payplan.request_json(FLAT_PLAN, transactions=tx)
    assert e.value.code == "non_finite_number"


def test_unsupported_type():
    with pytest.raises(payplan.InputError) as e:
        payplan.request_json(FLAT_PLAN, transactions=[{"id": object()}])
    assert e.value.code == "unsupported_type"


def test_datetime_with_time_is_rejected():
    with pytest.raises(payplan.InputError):
        payplan.request_json(FLAT_PLAN, transactions=[{"date": dt.datetime(2027, 1, 1, 12, 30)}])
    df = pd.DataFrame({"id": ["T1"], "date": pd.to_datetime(["2027-01-10 12:00"])})
    with pytest.raises(payplan.InputError) as e:
        payplan.request_json(FLAT_PLAN, transactions=df)
    assert e.value.path == "inputs.transactions, column date"
