#!/usr/bin/env bash
# Quick checks of the benchmark kit (part of scripts/test.sh; no timings are tested):
#  1. payplan-bench's unit tests (SplitMix64 reference values, generator shape, floor);
#  2. the data generator is deterministic: two runs at 10k give identical bytes;
#  3. the Python decimal loop equals payplan to the cent on 10k transactions, line by line;
#  4. the child that times rounds of adjacent runs gives well-formed ratios.
# Needs only cargo and python3 (the decimal loop and the comparison use the standard library).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
ko() { echo "FAILED: $1"; failed=$((failed + 1)); }

echo "== payplan-bench unit tests"
cargo test -p payplan-bench --lib 2>&1 | grep -E "^(test |error|failures)|test result"
if [ "${PIPESTATUS[0]}" -eq 0 ]; then ok "unit tests"; else ko "unit tests"; fi

echo "== build"
if ! cargo build -q -p payplan-bench --bins; then
  ko "build payplan-bench"
  echo "bench: $passed passed, $failed failed"
  exit 1
fi
GEN="$TARGET/debug/payplan-gen"
TABLE="$TARGET/debug/bench-table"

echo "== generator determinism (10k, twice)"
"$GEN" 10k --objects --out "$TMP/a" && "$GEN" 10k --objects --out "$TMP/b"
if diff -r "$TMP/a" "$TMP/b" >/dev/null; then
  ok "generator: two runs give identical bytes ($(cat "$TMP"/a/10k/* | wc -c) bytes in $(ls "$TMP/a/10k" | wc -l) files)"
else
  ko "generator: two runs differ"; diff -rq "$TMP/a" "$TMP/b" | head
fi

echo "== Python decimal loop vs payplan (10k transactions)"
RUN=$("$TABLE" --child run "$TMP/a/10k/request.json" "$TMP/payplan.json")
echo "payplan: $RUN"
if [ ! -s "$TMP/payplan.json" ]; then
  ko "payplan run on 10k: $RUN"
else
  ok "payplan run on 10k"
  if python3 benches/python/peers.py decimal "$TMP/a/10k" "$TMP/decimal.csv"; then
    if python3 benches/python/compare.py "$TMP/payplan.json" "$TMP/decimal.csv" --exact --check-parser; then
      ok "decimal loop = payplan to the cent"
    else
      ko "decimal loop differs from payplan"
    fi
  else
    ko "decimal loop failed"
  fi
  # The same request with tables as JSON objects must give the same bytes.
  "$TABLE" --child run "$TMP/a/10k/request-objects.json" "$TMP/payplan-objects.json" >/dev/null
  if cmp -s "$TMP/payplan.json" "$TMP/payplan-objects.json"; then
    ok "CSV tables and JSON objects give identical output bytes"
  else
    ko "CSV tables and JSON objects give different output"
  fi
fi

echo "== rounds of adjacent runs (the pairs child: shape only, no timing is judged)"
# Two rounds on 10k, against itself as the scaling size: every ratio is a positive number,
# the median lies within the range, and the round counts are right.
PAIRS=$("$TABLE" --child pairs "$TMP/a/10k/request.json" "$TMP/a/10k/request.json" 2)
if echo "$PAIRS" | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert "error" not in v, v
for key in ("payplan_to_floor", "size_to_scale"):
    r = v[key]
    assert r["rounds"] == 2, r
    assert 0 < r["min"] <= r["median"] <= r["max"], r
'; then
  ok "pairs child: $PAIRS"
else
  ko "pairs child: $PAIRS"
fi

echo "bench: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
