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


STATEMENT_FIELDS = ("status", "earned", "total", "prior_paid", "net_payable", "draw_balance")
HAND = [c for c in CASES if (c / "hand.json").exists()]


def _check_hand(run: payplan.Run, fact: dict) -> None:
    """One hand-typed fact (tests/vectors/README.md) against the run's Python objects:
    numbers compare as Decimals, a missing statement or line counts as zero."""
    if "totals" in fact:
        got = run.total(fact["totals"], fact.get("currency"))
        assert isinstance(got, Decimal) and got == Decimal(fact["value"]), (fact, got)
        return
    sts = run.statements_for(fact["payee"])
    sts = [s for s in sts if s.period == fact["period"]]
    assert len(sts) <= 1
    if "kind" not in fact:
        checked = 0
        for field in STATEMENT_FIELDS:
            if field not in fact:
                continue
            checked += 1
            want = fact[field]
            got = getattr(sts[0], field) if sts else None
            if isinstance(want, str) and not _is_number(want):
                assert got == want, (fact, field, got)
            else:
                assert isinstance(got, (Decimal, type(None))), (field, got)
                assert (got or Decimal(0)) == Decimal(str(want)), (fact, field, got)
        assert checked, fact
        return
    lines = [ln for s in sts for ln in s.lines
             if ln.kind == fact["kind"] and (fact.get("id") is None or ln.id == fact["id"])]
    assert sum((ln.amount for ln in lines), Decimal(0)) == Decimal(fact["amount"]), (fact, lines)
    assert all(isinstance(ln.amount, Decimal) for ln in lines)
    for field in ("measure", "quota", "attainment"):
        if field in fact:
            assert len(lines) == 1, (fact, lines)
            assert getattr(lines[0], field) == Decimal(fact[field]), (fact, field)


def _is_number(s: str) -> bool:
    try:
        Decimal(s)
        return True
    except ArithmeticError:
        return False


@pytest.mark.parametrize("case", HAND, ids=[c.name for c in HAND])
def test_vector_hand_numbers(case: Path):
    """The numbers worked out by hand (hand.json) are in the run's Python objects."""
    run = payplan.run_request(_native(_read(case, "request.json")))
    for fact in json.loads(_read(case, "hand.json")):
        _check_hand(run, fact)


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
            assert got.change == Decimal(hand["change"])
        for want in hand.get("payees", []):
            row = next(p for p in got.payees if p["payee"] == want["payee"])
            for k, v in want.items():
                assert row[k] == (Decimal(v) if k != "payee" else v), (k, row, want)
