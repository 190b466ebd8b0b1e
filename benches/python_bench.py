"""Benchmark (not a test): the Python package's pandas input path versus the core alone.

    python benches/python_bench.py [--rows 1000000] [--payees 2000] [--repeat 3]

Needs the payplan wheel installed (scripts/test-python.sh builds one into
bindings-python/.venv-test). Prints, for the example company and for a generated frame of
``--rows`` transactions (deterministic, never written to disk):

* core alone: ``_payplan.run_json`` on the equivalent request text, prepared beforehand
  (both the CSV table form the Python layer sends and the JSON-records form);
* Python: ``payplan.run(plan, transactions=<pandas DataFrame>, ...)`` end to end, and its
  conversion step alone (``payplan.request_json``);
* the ratio Python / core (goal <= 1.5x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

import payplan
from payplan import _payplan

ROOT = Path(__file__).resolve().parents[1]
COMPANY = ROOT / "examples" / "company"
TABLES = ["payees", "assignments", "transactions", "quotas", "fx_rates", "payments", "adjustments"]

PLAN = {
    "payplan": 1, "id": "ae", "name": "AE bench", "currency": "EUR",
    "calendar": {"year": 2027, "start_month": 1, "period": "quarter"},
    "measures": [{"id": "bookings", "kinds": ["booking"], "aggregate": "sum", "field": "amount", "credit": "own"}],
    "quotas": [{"measure": "bookings", "annual": "2000000"}],
    "components": [{
        "id": "commission", "name": "Commission", "measure": "bookings",
        "mechanism": {"type": "rate_table", "basis": "attainment", "method": "marginal", "per": "period",
                      "tiers": [{"from": "0", "to": "1", "rate": "0.08"}, {"from": "1", "to": "1.2", "rate": "0.12"},
                                {"from": "1.2", "rate": "0.15"}]},
    }],
}


def interleaved(fs, repeat):
    """Best time of each function, the functions taking turns (fair under a varying load)."""
    times = [[] for _ in fs]
    outs = [None] * len(fs)
    for _ in range(repeat):
        for i, f in enumerate(fs):
            t = time.perf_counter()
            outs[i] = f()
            times[i].append(time.perf_counter() - t)
    return [min(t) for t in times], outs


def generate(rows: int, payees: int, amount: str) -> dict:
    rng = np.random.default_rng(2027)
    ids = np.char.add("P", np.arange(payees).astype(str))
    payee_df = pd.DataFrame({"id": ids, "name": np.char.add("Payee ", np.arange(payees).astype(str)),
                             "team": np.where(np.arange(payees) % 2 == 0, "west", "east")})
    assign_df = pd.DataFrame({"payee": ids, "plan": "ae", "from": pd.Timestamp("2027-01-01"),
                              "target_incentive": "40000"})
    cents = rng.integers(10_000, 5_000_000, rows)  # 100.00 .. 50,000.00
    days = rng.integers(0, 365, rows)
    tx = pd.DataFrame({
        "id": np.char.add("T", np.arange(rows).astype(str)),
        "date": pd.Timestamp("2027-01-01") + pd.to_timedelta(days, unit="D"),
        "currency": "EUR",
        "owner": ids[rng.integers(0, payees, rows)],
        "segment": np.array(["smb", "mid", "enterprise"])[rng.integers(0, 3, rows)],
    })
    if amount == "float":
        tx["amount"] = cents / 100.0
    elif amount == "decimal":
        tx["amount"] = [Decimal(int(c)).scaleb(-2) for c in cents]
    else:
        tx["amount"] = [f"{c // 100}.{c % 100:02d}" for c in cents]
    return {"payees": payee_df, "assignments": assign_df, "transactions": tx}


def records_text(plan, frames: dict) -> str:
    """The same inputs as a JSON-records request (what a JSON client would send)."""
    inputs = {}
    for name, df in frames.items():
        df = df.copy()
        for c in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[c]):
                df[c] = df[c].dt.strftime("%Y-%m-%d")
            elif df[c].dtype == float:
                df[c] = [repr(x) for x in df[c]]
            elif df[c].dtype == object:
                df[c] = [format(x, "f") if isinstance(x, Decimal) else x for x in df[c]]
        recs = df.to_dict("records")
        if name == "transactions":
            for r in recs:
                r["attributes"] = {"segment": r.pop("segment")}
        elif name == "payees":
            pass
        inputs[name] = recs
    return json.dumps({"plans": [json.loads(payplan.Plan.coerce(plan).to_json())], "inputs": inputs})


def report(label, core_t, py_t, conv_t):
    print(f"  core alone          {core_t * 1000:10.1f} ms")
    print(f"  python (pandas)     {py_t * 1000:10.1f} ms   of which conversion {conv_t * 1000:.1f} ms")
    print(f"  ratio python/core   {py_t / core_t:10.2f}x   (goal <= 1.5x)  [{label}]")


def bench_company(repeat):
    if not (COMPANY / "plans").is_dir():
        print(f"example company: not found in {COMPANY}, skipped")
        return
    plans = [payplan.Plan.load(p) for p in sorted((COMPANY / "plans").glob("*.yaml"))]
    frames = {t: pd.read_csv(COMPANY / f"{t}.csv", dtype=str) for t in TABLES if (COMPANY / f"{t}.csv").exists()}
    paths = {t: COMPANY / f"{t}.csv" for t in frames}
    core_text = payplan.request_json(plans, **paths)  # the files' own CSV text
    (core_t, conv_t, py_t, full_t), (out_core, _, run, _) = interleaved([
        lambda: _payplan.run_json(core_text),
        lambda: payplan.request_json(plans, **frames),
        lambda: payplan.run(plans, **frames),
        lambda: payplan.run(plans, **frames).to_pandas(),
    ], repeat)
    rows = {t: len(f) for t, f in frames.items()}
    print(f"example company: {rows}, {len(run)} statements")
    same = json.loads(run.to_json())["statements"] == json.loads(out_core)["statements"]
    print(f"  same statements as the core on the CSV files: {same}")
    report("example company", core_t, py_t, conv_t)
    print(f"  python run + .to_pandas() {full_t * 1000:.1f} ms ({full_t / core_t:.2f}x core)")


def bench_frame(rows, payees, repeat, amount):
    t = time.perf_counter()
    frames = generate(rows, payees, amount)
    print(f"\n{rows:,} transactions, {payees} payees, amount column as {amount} "
          f"(generated in {time.perf_counter() - t:.1f} s)")
    csv_text = payplan.request_json(PLAN, **frames)
    rec_text = records_text(PLAN, frames)
    print(f"  request text: CSV form {len(csv_text) / 1e6:.1f} MB, JSON records {len(rec_text) / 1e6:.1f} MB")
    (core_csv, core_rec, conv_t, py_t, full_t), (out_csv, out_rec, _, run, _) = interleaved([
        lambda: _payplan.run_json(csv_text),
        lambda: _payplan.run_json(rec_text),
        lambda: payplan.request_json(PLAN, **frames),
        lambda: payplan.run(PLAN, **frames),
        lambda: payplan.run(PLAN, **frames).to_pandas(),
    ], repeat)
    print(f"  core alone on JSON records text: {core_rec * 1000:.1f} ms")
    same = json.loads(run.to_json())["statements"] == json.loads(out_rec)["statements"]
    print(f"  {len(run)} statements; same statements as the core on JSON records: {same}")
    report(f"{rows:,} rows vs core on the CSV text", core_csv, py_t, conv_t)
    print(f"  ratio python/core (core on JSON records) {py_t / core_rec:.2f}x")
    print(f"  python run + .to_pandas() {full_t * 1000:.1f} ms ({full_t / core_csv:.2f}x core on CSV text)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--payees", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--amount", choices=["str", "decimal", "float", "all"], default="all")
    a = ap.parse_args()
    print(f"payplan {payplan.__version__}, python {sys.version.split()[0]}, pandas {pd.__version__}")
    try:
        bench_company(a.repeat)
        for amount in (["str", "decimal", "float"] if a.amount == "all" else [a.amount]):
            bench_frame(a.rows, a.payees, a.repeat, amount)
    except payplan.PayplanError as e:
        print(f"engine error: {e.code}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
