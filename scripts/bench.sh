#!/usr/bin/env bash
# Print payplan's benchmark table (docs/benchmarks.md): the floor, payplan, pandas, a Python
# decimal loop, threads, what-if, memory and scaling on 1M transactions / 10k payees.
#
#   scripts/bench.sh                      # the full table (1m, scaling against 100k)
#   scripts/bench.sh --size 100k --scale 10k   # a quicker table; any bench-table option
#
# Installs pandas into .venv-bench (gitignored), generates missing datasets into
# benches/data (gitignored, deterministic) and runs the release build of bench-table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
fi
if ! .venv-bench/bin/python -c "import pandas" 2>/dev/null; then
  .venv-bench/bin/python -m pip install -q --disable-pip-version-check "pandas>=2.2,<4"
fi

export PAYPLAN_BENCH_PYTHON="$ROOT/.venv-bench/bin/python"
cargo build --release -q -p payplan-bench --bins
exec cargo run --release -q -p payplan-bench --bin bench-table -- "$@"
