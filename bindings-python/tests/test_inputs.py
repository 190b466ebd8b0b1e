"""Each input type (lists of dicts, pandas, polars, pyarrow, CSV path) gives the same run."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import payplan
from conftest import FLAT_PLAN, FLAT_PLAN_YAML

TX = [  # id, kind, date, amount, owner, segment
    ("T1", "booking", dt.date(2027, 1, 5), "10.05", "A", "mid"),
    ("T2", "booking", dt.date(2027, 1, 12), "10.05", "A", "smb"),
    ("T3", None, dt.date(2027, 1, 20), "10.05", "A", None),
    ("T4", "booking", dt.date(2027, 2, 3), "200.10", "B", "mid"),
]
PAYEES = [("A", "Ana", "west", "emea"), ("B", "Ben", "east", "amer")]


def _records_tx(amount=Decimal):
    out = []
    for id_, kind, date, amount_text, owner, segment in TX:
        r = {"id": id_, "date": date, "amount": amount(amount_text), "currency": "EUR", "owner": owner}
        if kind:
            r["kind"] = kind
        if segment:
            r["attributes"] = {"segment": segment}
        out.append(r)
    return out


def records(amount=Decimal):
    return dict(
        payees=[{"id": i, "name": n, "team": t, "attributes": {"region": r}} for i, n, t, r in PAYEES],
        assignments=[{"payee": i, "plan": "p", "from": dt.date(2027, 1, 1)} for i, *_ in PAYEES],
        transactions=_records_tx(amount),
    )


def pandas_inputs(amount=Decimal):
    return dict(
        payees=pd.DataFrame(PAYEES, columns=["id", "name", "team", "region"]),
        assignments=pd.DataFrame({"payee": ["A", "B"], "plan": ["p", "p"],
                                  "from": pd.to_datetime(["2027-01-01", "2027-01-01"])}),
        transactions=pd.DataFrame({
            "id": [t[0] for t in TX],
            "kind": [t[1] for t in TX],
            "date": pd.to_datetime([t[2] for t in TX]),
            "amount": [amount(t[3]) for t in TX],
            "currency": "EUR",
            "owner": [t[4] for t in TX],
            "segment": [t[5] for t in TX],
        }),
    )


def polars_inputs():
    return dict(
        payees=pl.DataFrame(PAYEES, schema=["id", "name", "team", "region"], orient="row"),
        assignments=pl.DataFrame({"payee": ["A", "B"], "plan": ["p", "p"],
                                  "from": [dt.date(2027, 1, 1)] * 2}),
        transactions=pl.DataFrame({
            "id": [t[0] for t in TX],
            "kind": [t[1] for t in TX],
            "date": [t[2] for t in TX],
            "amount": pl.Series([Decimal(t[3]) for t in TX], dtype=pl.Decimal(18, 2)),
            "currency": ["EUR"] * 4,
            "owner": [t[4] for t in TX],
            "segment": [t[5] for t in TX],
        }),
    )


def arrow_inputs():
    return dict(
        payees=pa.table({"id": ["A", "B"], "name": ["Ana", "Ben"], "team": ["west", "east"],
                         "region": ["emea", "amer"]}),
        assignments=pa.table({"payee": ["A", "B"], "plan": ["p", "p"],
                              "from": pa.array([dt.date(2027, 1, 1)] * 2, pa.date32())}),
        transactions=pa.table({
            "id": [t[0] for t in TX],
            "kind": [t[1] for t in TX],
            "date": pa.array([t[2] for t in TX], pa.date32()),
            "amount": pa.array([Decimal(t[3]) for t in TX], pa.decimal128(12, 2)),
            "currency": ["EUR"] * 4,
            "owner": [t[4] for t in TX],
            "segment": [t[5] for t in TX],
        }),
    )


def csv_paths(tmp_path):
    out = {}
    for name, df in pandas_inputs(str).items():
        p = tmp_path / f"{name}.csv"
        df.to_csv(p, index=False, date_format="%Y-%m-%d")
        out[name] = p
    return out


def _content(run: payplan.Run):
    d = json.loads(run.to_json())
    d.pop("fingerprint")
    return d


def _check_numbers(run: payplan.Run):
    a = run.statement("A", "2027-01")
    line = next(ln for ln in a.lines if ln.id == "commission")
    assert line.measure == Decimal("30.15")
    assert line.amount == Decimal("1.51") and str(line.amount) == "1.51"
    b = run.statement("B", "2027-02")
    assert next(ln for ln in b.lines if ln.id == "commission").amount == Decimal("10.01")


@pytest.fixture(scope="module")
def reference():
    run = payplan.run(FLAT_PLAN, **records())
    _check_numbers(run)
    return run


FORMS = {
    "records-decimal": lambda tmp: records(Decimal),
    "records-str": lambda tmp: records(str),
    "records-float": lambda tmp: records(float),
    "pandas-decimal": lambda tmp: pandas_inputs(Decimal),
    "pandas-str": lambda tmp: pandas_inputs(str),
    "pandas-float": lambda tmp: pandas_inputs(float),
    "polars": lambda tmp: polars_inputs(),
    "pyarrow": lambda tmp: arrow_inputs(),
    "csv-path": csv_paths,
}


@pytest.mark.parametrize("form", list(FORMS))
def test_input_form(form, tmp_path, reference):
    run = payplan.run(FLAT_PLAN, **FORMS[form](tmp_path))
    _check_numbers(run)
    assert _content(run) == _content(reference)


@pytest.mark.parametrize("plan", ["dict", "json", "yaml", "path-yaml", "path-json", "Plan"])
def test_plan_forms(plan, tmp_path, reference):
    if plan == "dict":
        p = FLAT_PLAN
    elif plan == "json":
        p = payplan.Plan.from_json(json.dumps(FLAT_PLAN))
    elif plan == "yaml":
        p = payplan.Plan.from_yaml(FLAT_PLAN_YAML)
    elif plan == "path-yaml":
        (tmp_path / "p.yaml").write_text(FLAT_PLAN_YAML)
        p = payplan.Plan.load(tmp_path / "p.yaml")
    elif plan == "path-json":
        (tmp_path / "p.json").write_text(json.dumps(FLAT_PLAN))
        p = str(tmp_path / "p.json")
    else:
        p = payplan.Plan.from_dict(FLAT_PLAN)
    assert payplan.run([p], **records()).to_json() == reference.to_json()


def test_plan_object():
    plan = payplan.Plan.from_yaml(FLAT_PLAN_YAML)
    assert plan.id == "p" and plan.currency == "EUR"
    assert plan == payplan.Plan.from_dict(FLAT_PLAN)  # same canonical JSON from YAML and dict
    assert plan.components[0]["id"] == "commission"
    assert payplan.Plan.from_json(plan.to_json()).to_json() == plan.to_json()


def test_run_request_dict_with_frames(reference):
    req = {"plans": [FLAT_PLAN], "inputs": pandas_inputs(Decimal), "options": {}}
    assert _content(payplan.run_request(req)) == _content(reference)


def test_request_json_is_what_runs(reference):
    text = payplan.request_json(FLAT_PLAN, **records())
    assert payplan.run_request(text).to_json() == reference.to_json()
    assert payplan.run_request(json.loads(text, parse_float=Decimal)).to_json() == reference.to_json()


def test_frame_csv_form():
    """Frames become the core's CSV table form: dates ISO, decimals exact, nulls empty."""
    from payplan._convert import frame_to_csv

    csv = frame_to_csv(pandas_inputs(Decimal)["transactions"], "transactions").decode()
    lines = csv.splitlines()
    assert lines[0].replace('"', "") == "id,kind,date,amount,currency,owner,segment"
    assert lines[3].replace('"', "") == "T3,,2027-01-20,10.05,EUR,A,"
    assert lines[4].replace('"', "") == "T4,booking,2027-02-03,200.10,EUR,B,mid"
    # pandas floats go through repr: 10.05 stays 10.05
    csv = frame_to_csv(pandas_inputs(float)["transactions"], "transactions").decode()
    assert csv.splitlines()[1].replace('"', "").split(",")[3] == "10.05"


def test_estimator_matches_run(reference):
    est = payplan.Estimator(FLAT_PLAN, **pandas_inputs(Decimal))
    assert _content(est.run()) == _content(reference)
    deal = {"id": "WHATIF", "date": dt.date(2027, 1, 25), "amount": Decimal("100.00"), "currency": "EUR", "owner": "A"}
    e = est.estimate(deal)
    assert e.change == Decimal("5.00")
    assert payplan.estimate(FLAT_PLAN, deal, **records()).to_json() == e.to_json()


def test_frame_cells_that_need_quotes():
    from payplan._convert import frame_to_csv

    df = pd.DataFrame({"id": ["T1", "T2"], "note": ['a, "b"', "line\nbreak"]})
    import csv as _csv, io
    rows = list(_csv.reader(io.StringIO(frame_to_csv(df, "transactions").decode())))
    assert rows == [["id", "note"], ["T1", 'a, "b"'], ["T2", "line\nbreak"]]


def test_float_column_text_is_repr_value():
    from payplan._convert import frame_to_csv

    xs = [0.1, 5.0, 10.05, 1e10, 1e-7, 123456.789, 0.30000000000000004, float("nan")]
    text = frame_to_csv(pd.DataFrame({"x": xs}), "t").decode().splitlines()[1:]
    for x, cell in zip(xs, text):
        if x != x:
            assert cell == ""
        else:
            assert Decimal(cell) == Decimal(repr(x)) and "e" not in cell
            if abs(x) >= 1e-4:
                assert cell == repr(x) or "e" in repr(x)


def test_polars_and_arrow_floats_and_timestamps():
    from payplan._convert import frame_to_csv

    pdf = pl.DataFrame({"a": [1.5, None], "d": [dt.datetime(2027, 1, 2), None]})
    assert frame_to_csv(pdf, "t").decode().replace('"', "").splitlines() == ["a,d", "1.5,2027-01-02", ","]
