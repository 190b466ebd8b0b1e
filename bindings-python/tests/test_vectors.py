"""Every conformance vector gives the exact bytes of the Rust core, through text and
through native Python objects."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import payplan
from conftest import VECTORS

CASES = sorted(p for p in VECTORS.iterdir() if p.is_dir()) if VECTORS.is_dir() else []


def test_vectors_exist():
    assert CASES, f"no conformance vectors found in {VECTORS}"


def _read(case: Path, name: str) -> str:
    return (case / name).read_text(encoding="utf-8")


def _native(text: str):
    return json.loads(text, parse_float=Decimal)


def _check_error(case: Path, err: payplan.PayplanError) -> None:
    want = json.loads(_read(case, "error.json"))
    assert err.code == want["code"], err.json
    assert err.path == (want.get("path") or ""), err.json
    assert isinstance(err, {"plan": payplan.PlanError, "input": payplan.InputError,
                            "calculation": payplan.CalculationError}[err.category])
    assert json.loads(err.json)["code"] == err.code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_vector(case: Path):
    request = _read(case, "request.json")
    if (case / "error.json").exists():
        with pytest.raises(payplan.PayplanError) as text_err:
            payplan.run_request(request)
        _check_error(case, text_err.value)
        try:
            native = _native(request)
        except ValueError:
            return  # a syntax-error vector has no native form
        with pytest.raises(payplan.PayplanError) as native_err:
            payplan.run_request(native)
        _check_error(case, native_err.value)
        return
    assert (case / "expected.json").exists(), f"{case.name}: neither expected.json nor error.json"
    expected = _read(case, "expected.json")
    assert payplan.run_request(request).to_json() == expected
    assert payplan.run_request(_native(request)).to_json() == expected
    assert payplan.Estimator.from_request(_native(request)).run().to_json() == expected


@pytest.mark.parametrize("case", [c for c in CASES if (c / "hand.json").exists()],
                         ids=[c.name for c in CASES if (c / "hand.json").exists()])
def test_vector_hand_numbers(case: Path):
    """The numbers worked out by hand (hand.json) are in the run's Python objects."""
    run = payplan.run_request(_native(_read(case, "request.json")))
    for fact in json.loads(_read(case, "hand.json")):
        if "total" in fact:
            got = run.total(fact["total"], fact.get("currency"))
            assert isinstance(got, Decimal) and str(got) == fact["value"], (fact, got)
            continue
        st = run.statement(fact["payee"], fact["period"])
        if "kind" in fact:
            lines = [ln for ln in st.lines if ln.kind == fact["kind"] and ln.id == fact.get("id", ln.id)]
            numbers = [v for k, v in fact.items() if k not in ("payee", "period", "kind", "id")]
            if not lines and all(Decimal(v) == 0 for v in numbers):
                continue  # a line of zero may be left out
            assert lines, f"no {fact['kind']} line {fact.get('id')} in {st!r}"
            target = lines[0]
        else:
            target = st
        for k, v in fact.items():
            if k in ("payee", "period", "kind", "id"):
                continue
            got = getattr(target, k)
            assert got == (Decimal(v) if isinstance(v, str) and isinstance(got, Decimal) else v), (k, got, v)
            if isinstance(got, Decimal):
                assert str(got) == v  # the scale is kept


WHATIF = [c for c in CASES if (c / "deal.json").exists()]


@pytest.mark.parametrize("case", WHATIF, ids=[c.name for c in WHATIF])
def test_vector_estimate(case: Path):
    request = _read(case, "request.json")
    deal = _read(case, "deal.json")
    est = payplan.Estimator.from_request(request)
    if (case / "estimate.json").exists():
        expected = _read(case, "estimate.json")
        assert est.estimate(deal).to_json() == expected
        assert payplan.Estimator.from_request(_native(request)).estimate(_native(deal)).to_json() == expected
    else:
        assert (case / "hand_estimate.json").exists(), f"{case.name}: deal.json without estimate.json"
    if (case / "hand_estimate.json").exists():
        hand = json.loads(_read(case, "hand_estimate.json"))
        got = est.estimate(_native(deal))
        if "change" in hand:
            assert str(got.change) == hand["change"]
        for want in hand.get("payees", []):
            row = next(p for p in got.payees if p["payee"] == want["payee"])
            assert {k: str(v) for k, v in row.items()} == want
