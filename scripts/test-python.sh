#!/usr/bin/env bash
# Python package: build the wheel (maturin, release, abi3) into a virtual environment,
# install it and run every Python test (vectors, input types, errors, decimals, threads,
# the example notebook executed headless). Idempotent: the venv is reused when present
# (FRESH=1 recreates it); the wheel is always rebuilt and reinstalled.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/bindings-python"
VENV="${PAYPLAN_PY_VENV:-$PKG/.venv-test}"
PY="${PYTHON:-python3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [[ "${FRESH:-0}" == 1 ]]; then rm -rf "$VENV"; fi
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== creating venv $VENV"
  "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"

# Reasons for each: maturin builds the wheel; pytest runs the tests; nbclient + ipykernel +
# nbformat execute the example notebook; pandas, polars, pyarrow are the input/output frame
# types under test; matplotlib is the plot extra.
REQS=(
  "pip>=23"
  "maturin>=1.9,<2"
  "pytest>=7,<10"
  "nbclient>=0.7,<1"
  "nbformat>=5.7,<6"
  "ipykernel>=6,<8"
  "pandas>=2,<4"
  "polars>=1,<2"
  "pyarrow>=14,<30"
  "matplotlib>=3.7,<4"
)
STAMP="$VENV/.payplan-reqs"
if [[ ! -f "$STAMP" ]] || [[ "$(cat "$STAMP")" != "${REQS[*]}" ]]; then
  echo "== installing test requirements"
  "$VPY" -m pip install --disable-pip-version-check -q "${REQS[@]}"
  echo "${REQS[*]}" > "$STAMP"
fi

echo "== building wheel (maturin, release)"
rm -rf "$PKG/dist"
(cd "$PKG" && "$VENV/bin/maturin" build --release --quiet --out "$PKG/dist" -i "$VPY")
"$VPY" -m pip install --disable-pip-version-check -q --force-reinstall --no-deps "$PKG"/dist/payplan-*.whl

echo "== pytest"
cd "$PKG"
# -p no:cacheprovider: leave no .pytest_cache behind; run from the tests folder's parent
# so that `import payplan` is the installed wheel (python/ is not on sys.path).
"$VPY" -m pytest -p no:cacheprovider -ra "$@" tests
