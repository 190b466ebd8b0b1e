"""Output objects, frames, HTML and plots over a run of the engine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import payplan
import payplan.plot
from conftest import FLAT_PLAN

CURVE_PLAN = {
    "payplan": 1, "id": "c", "name": "Curve plan", "currency": "EUR",
    "calendar": {"year": 2027, "start_month": 1, "period": "quarter"},
    "measures": [{"id": "bookings", "kinds": ["booking"], "aggregate": "sum", "field": "amount", "credit": "own"}],
    "quotas": [{"measure": "bookings", "annual": "400000"}],
    "components": [{"id": "bonus", "name": "Target bonus", "measure": "bookings",
                    "mechanism": {"type": "curve", "points": [
                        {"attainment": "0.5", "payout": "0.25"}, {"attainment": "1", "payout": "1"},
                        {"attainment": "1.5", "payout": "2"}], "max_payout": "2"}}],
}


@pytest.fixture(scope="module")
def run():
    payees = [{"id": p, "name": p} for p in "ABCD"]
    assignments = [{"payee": p, "plan": "c", "from": "2027-01-01", "target_incentive": "40000"} for p in "ABCD"]
    tx = [{"id": f"T{i}", "date": dt.date(2027, 2, 1), "amount": Decimal(a), "currency": "EUR", "owner": p}
          for i, (p, a) in enumerate(zip("ABCD", ["80000", "130000", "180000", "45000"]))]
    return payplan.run(CURVE_PLAN, payees=payees, assignments=assignments, transactions=tx)


def test_run_objects(run):
    # CASES.md case 4: 40,000 a year, quarterly; attainment 0.80 -> 7,000; 1.30 -> 16,000; 1.80 -> 20,000; 0.45 -> 0
    want = {"A": "7000.00", "B": "16000.00", "C": "20000.00", "D": "0.00"}
    for payee, amount in want.items():
        st = run.statement(payee, "2027-Q1")
        line = st.lines[0]
        assert isinstance(line.amount, Decimal) and str(line.amount) == amount
        assert line.attainment == Decimal(["0.8", "1.3", "1.8", "0.45"]["ABCD".index(payee)])
        assert isinstance(line.explanation, str)
        assert all(isinstance(t, payplan.TraceStep) for t in line.trace)
    assert run.engine.startswith("payplan-core")
    assert len(run.fingerprint) == 64
    assert run.total("net_payable") == Decimal("43000.00") == sum(s.net_payable for s in run.statements)
    assert [t["currency"] for t in run.totals] == ["EUR"]
    assert json.loads(run.to_json()) == json.loads(run.to_json())
    assert run.to_dict()["statements"][0]["lines"][0]["amount"] == run.statements[0].lines[0].amount


def test_frames(run):
    t = run.to_arrow()
    assert isinstance(t, pa.Table)
    for col in ("measure", "quota", "attainment", "amount"):
        assert pa.types.is_decimal(t.schema.field(col).type), (col, t.schema)
    assert pa.types.is_decimal(run.to_arrow("statements").schema.field("net_payable").type)
    df = run.to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == len(run.lines)
    assert "decimal128" in str(df["amount"].dtype)
    assert df["amount"].iloc[0] == run.lines[0].amount
    pdf = run.to_polars("statements")
    assert isinstance(pdf, pl.DataFrame) and pdf.schema["net_payable"].is_decimal()
    assert run.to_arrow("trace").num_rows == sum(len(ln.trace) for ln in run.lines)


def test_html(run):
    plan = payplan.Plan.from_dict(CURVE_PLAN)
    for obj, must in ((plan, ["<table", "bonus", "curve"]),
                      (run, ["<table", "A", "2027-Q1", "16000.00"]),
                      (run.statement("B", "2027-Q1"), ["<table", "16000.00", "attainment"])):
        html = obj._repr_html_()
        for m in must:
            assert m in html, (m, html[:500])
        assert "object at 0x" not in html


def test_plots(run):
    ax = payplan.plot.payout_curve(CURVE_PLAN, "bonus", "0", "2", "0.1")
    xs, ys = ax.lines[0].get_data()
    assert len(xs) == 21 and max(ys) == 2.0 and ys[0] == 0.0
    pts = payplan.Plan.from_dict(CURVE_PLAN).payout_curve("bonus", "0", "2", "0.5")
    assert pts[2]["attainment"] == Decimal("1") and pts[2]["payout"] == Decimal("1")
    ax = payplan.plot.attainment_distribution(run, bins=5)
    assert sum(p.get_height() for p in ax.patches) == len([ln for ln in run.lines if ln.attainment is not None])
