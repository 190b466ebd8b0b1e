"""Decimals stay exact with their scale; floats follow the shortest round-trip rule."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import payplan
from payplan._convert import dumps
from conftest import FLAT_PLAN


def test_decimal_written_as_exact_number_text():
    assert dumps({"a": Decimal("10.10")}) == '{"a":10.10}'
    assert dumps([Decimal("1E+3"), Decimal("-0.000001"), Decimal("12345678901234567890.123456789")]) == \
        "[1000,-0.000001,12345678901234567890.123456789]"
    assert dumps({"d": dt.date(2027, 2, 15), "i": 10 ** 30}) == '{"d":"2027-02-15","i":1000000000000000000000000000000}'


def test_float_rule_is_repr():
    for x in (0.1, 10.05, 1234.5, 5.0, 1e-7, 0.30000000000000004):
        assert dumps(x) == repr(x)
        assert Decimal(dumps(x)) == Decimal(repr(x))
    with pytest.raises(payplan.InputError):
        dumps(0.1, strict=True)


def test_native_request_roundtrip_keeps_text():
    text = '{"a":10.10,"b":"10.10","c":[0.5,2],"d":null}'
    assert dumps(json.loads(text, parse_float=Decimal)) == text


def test_scale_kept_through_a_run():
    tx = [{"id": "T1", "date": "2027-01-10", "amount": Decimal("202.00"), "currency": "EUR", "owner": "A"}]
    adj = [{"id": "ADJ1", "payee": "A", "period": "2027-01", "amount": Decimal("10.10"),
            "reason": "contest", "approver": "CFO"}]
    run = payplan.run(FLAT_PLAN, payees=[{"id": "A", "name": "Ana"}],
                      assignments=[{"payee": "A", "plan": "p", "from": "2027-01-01"}],
                      transactions=tx, adjustments=adj)
    st = run.statement("A", "2027-01")
    commission = next(ln for ln in st.lines if ln.kind == "component")
    adjustment = next(ln for ln in st.lines if ln.kind == "adjustment")
    assert str(commission.amount) == "10.10"  # 202.00 x 5 %
    assert str(adjustment.amount) == "10.10"
    assert str(st.net_payable) == "20.20"
    assert all(isinstance(ln.amount, Decimal) for ln in st.lines)
    # frames keep decimals as decimal128 at the output's scale
    tbl = run.to_arrow()
    assert str(tbl.schema.field("amount").type) == "decimal128(38, 2)"
    assert Decimal("10.10") in tbl.column("amount").to_pylist()


def test_native_json_string_matches_json_dumps():
    from payplan import _payplan

    for s in ["", "plain", 'q"uote', "back\\slash", "nl\nnl\r\t", "\x00\x01\x1f", "é ü 漢字 😀"]:
        assert _payplan._json_string(s) == json.dumps(s, ensure_ascii=False)
        assert _payplan._json_string(s.encode()) == json.dumps(s, ensure_ascii=False)
    with pytest.raises(payplan.InputError):
        _payplan._json_string(b"\xff")
