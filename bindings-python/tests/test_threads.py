"""Two Python threads run the engine at the same time: the GIL is released.

The native layer counts the threads inside the core (GIL released) and keeps the most at
once; with the GIL held during a run that number could never exceed 1.
"""

from __future__ import annotations

import threading
import time

import payplan
from payplan import _payplan
from conftest import FLAT_PLAN


def _big_request(n_payees: int = 200, n_tx: int = 100_000) -> str:
    payees = "id,name\n" + "".join(f"P{i},Payee {i}\n" for i in range(n_payees))
    assignments = "payee,plan,from\n" + "".join(f"P{i},p,2027-01-01\n" for i in range(n_payees))
    tx = ["id,date,amount,currency,owner\n"]
    for k in range(n_tx):
        tx.append(f"T{k},2027-{k % 12 + 1:02d}-{k % 28 + 1:02d},{k % 9973}.{k % 100:02d},EUR,P{k % n_payees}\n")
    return payplan.request_json(FLAT_PLAN, payees=payees, assignments=assignments, transactions="".join(tx))


def test_two_threads_inside_the_engine_at_once():
    text = _big_request()
    expected = _payplan.run_json(text)  # also warms up
    results = []
    errors = []
    barrier = threading.Barrier(2)
    _payplan._concurrency(True)
    deadline = time.monotonic() + 20

    def work():
        try:
            barrier.wait()
            while time.monotonic() < deadline:
                results.append(_payplan.run_json(text))
                if _payplan._concurrency(False)[1] >= 2:
                    break
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    inside_now, most_at_once = _payplan._concurrency(True)
    assert inside_now == 0
    assert most_at_once >= 2, "the two runs never overlapped: is the GIL held during run_json?"
    assert results and all(r == expected for r in results)


def test_python_runs_while_engine_works():
    """While one thread is in the engine, another Python thread keeps running."""
    text = _big_request()
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            if _payplan._concurrency(False)[0] >= 1:
                ticks.append(1)
            time.sleep(0.0005)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        start = time.monotonic()
        while not ticks and time.monotonic() - start < 20:
            _payplan.run_json(text)
    finally:
        done.set()
        t.join()
    assert ticks, "no Python thread ran while the engine was working"
