"""The example notebook runs headless (nbclient) and shows what it promises."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import nbformat
import pytest
from nbclient import NotebookClient

import payplan
from conftest import EXAMPLES

NOTEBOOK = EXAMPLES / "notebooks" / "quickstart.ipynb"
COMPANY = EXAMPLES / "company"
TABLES = ["payees", "assignments", "transactions", "quotas", "fx_rates", "payments", "adjustments"]


@pytest.fixture(scope="module")
def executed():
    assert NOTEBOOK.is_file(), f"missing {NOTEBOOK}"
    assert (COMPANY / "plans").is_dir(), f"missing the example company in {COMPANY}"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    return nb


def _outputs(nb, kind):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind == "text" and out.get("output_type") == "stream":
                yield out["text"]
            elif kind in out.get("data", {}):
                yield out["data"][kind]


def test_notebook_runs_and_matches_the_engine(executed):
    text = "".join(_outputs(executed, "text"))
    n = int(re.search(r"^statements: (\d+)$", text, re.M).group(1))
    totals = {m.group(1): Decimal(m.group(2))
              for m in re.finditer(r"^net_payable ([A-Z]{3}): (-?[0-9.]+)$", text, re.M)}
    assert "decimal128" in text
    # The same company straight from its CSV files (no pandas) gives the same numbers.
    plans = [payplan.Plan.load(p) for p in sorted((COMPANY / "plans").glob("*.yaml"))]
    tables = {t: COMPANY / f"{t}.csv" for t in TABLES if (COMPANY / f"{t}.csv").exists()}
    options_file = COMPANY / "options.json"
    options = json.loads(options_file.read_text()) if options_file.exists() else None
    run = payplan.run(plans, **tables, options=options)
    assert n == len(run) > 0
    assert totals and totals == {t["currency"]: t["net_payable"] for t in run.totals}
    first = run.statements[0]
    assert f"first: {first.payee} {first.period} {first.net_payable}" in text
    assert re.search(r"^what-if change: -?[0-9]+\.[0-9]+$", text, re.M)


def test_notebook_shows_tables_and_plots(executed):
    html = list(_outputs(executed, "text/html"))
    assert sum("<table" in h for h in html) >= 4  # plan, run, statements frame, statement
    assert any('class="payplan"' in h and "net payable" in h for h in html)
    assert len(list(_outputs(executed, "image/png"))) >= 2  # payout curve, attainment distribution
