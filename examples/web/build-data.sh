#!/usr/bin/env bash
# Generate the demo page's data: examples/web/data/plans.json, the example company's
# plans (examples/company/plans/*.yaml) as one JSON array of canonical plans, written by
# the CLI (`payplan validate PLAN --json`). The page fetches the company's CSV files as
# they are, from its own origin, and sends them to the engine as CSV tables.
# (The WebAssembly build has no YAML reader, to stay small.)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
company="${1:-$root/examples/company}"
out="$root/examples/web/data"
cd "$root"
cargo build --release -q -p payplan-cli
cli="${CARGO_TARGET_DIR:-$root/target}/release/payplan"
shopt -s nullglob
plans=("$company"/plans/*.yaml "$company"/plans/*.yml "$company"/plans/*.json)
if [ "${#plans[@]}" = 0 ]; then
  echo "no plans in $company/plans" >&2
  exit 1
fi
mkdir -p "$out"
{
  echo "["
  sep=""
  mapfile -t sorted < <(printf '%s\n' "${plans[@]}" | LC_ALL=C sort)
  for p in "${sorted[@]}"; do
    printf '%s' "$sep"
    "$cli" validate "$p" --json
    sep=","
  done
  echo "]"
} > "$out/plans.json.tmp"
mv "$out/plans.json.tmp" "$out/plans.json"
echo "wrote examples/web/data/plans.json ($(wc -c < "$out/plans.json") bytes, ${#plans[@]} plans) from $company/plans"
