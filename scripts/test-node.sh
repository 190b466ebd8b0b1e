#!/usr/bin/env bash
# Build and test the Node package (bindings-node/) from a clean clone or again and again:
#   1. npm ci in bindings-node (skipped when node_modules already matches package-lock.json)
#   2. napi build --platform --release (cargo; writes native.js, native.d.ts, payplan.*.node)
#   3. node --test: conformance vectors, number rules, errors, API, and the typed CRM
#      example (tsc --noEmit, a negative type check, compile, run, output asserted)
#   4. runs the example hook once more and prints what it says
# Needs: Rust (cargo), Node >= 18 with npm. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pkg="$here/bindings-node"
cd "$pkg"

if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
for tool in cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test-node: $tool not found" >&2; exit 1; }
done
echo "test-node: node $(node --version), npm $(npm --version), $(cargo --version)"

step() { printf '\n=== test-node: %s\n' "$*"; }

step "npm dependencies"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
   && [ -x node_modules/.bin/napi ] && [ -x node_modules/.bin/tsc ]; then
  echo "node_modules matches package-lock.json; not reinstalling"
else
  npm ci --no-audit --no-fund
fi

step "napi build --platform --release"
start=$(date +%s)
npx --no-install napi build --platform --release --js native.js --dts native.d.ts
echo "native build took $(( $(date +%s) - start )) s"
ls -l ./*.node

step "node --test"
node --test test/*.test.mjs test/*.test.cjs

step "example: examples/node/opportunity-updated.mts"
node node_modules/typescript/bin/tsc -p "$here/examples/node/tsconfig.json"
cd "$here"
node bindings-node/build/examples/opportunity-updated.mjs examples/node/events/opportunity-updated.json \
  --company "${PAYPLAN_COMPANY:-examples/company}"

echo
echo "test-node: all passed"
