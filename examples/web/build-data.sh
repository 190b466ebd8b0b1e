#!/usr/bin/env bash
# Generate the demo page's data: examples/web/data/plans.json, the example company's
# plans (examples/company/plans/*.yaml) as one JSON array. The page fetches the company's
# CSV files as they are, from its own origin, and sends them to the engine as CSV tables.
# (The wasm build has no YAML reader; this runs the core's yaml_to_json natively.)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
company="${1:-$root/examples/company}"
out="$root/examples/web/data"
mkdir -p "$out"
cargo run -q -p payplan-wasm --features plans-tool --bin payplan-wasm-plans -- "$company/plans" > "$out/plans.json.tmp"
mv "$out/plans.json.tmp" "$out/plans.json"
echo "wrote examples/web/data/plans.json ($(wc -c < "$out/plans.json") bytes) from $company/plans"
