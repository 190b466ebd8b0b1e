#!/usr/bin/env bash
# The one test command: builds everything and runs every test — Rust, Python, Node,
# WebAssembly in Node and in headless Chromium, and the benchmark self-checks.
# It installs what it needs (see each scripts/test-*.sh) and skips nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

passed=0
failed=0
failures=()
run_step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "<== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "<== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

rust_fmt() { cargo fmt --all -- --check; }
rust_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }
rust_test() { cargo test -p payplan-core -p payplan-cli -p payplan-bench --features payplan-core/schema; }
# No cargo feature may change a number: the single-threaded core (no `parallel`, no `yaml`)
# passes its unit tests and gives the conformance vectors' bytes too.
rust_serial() { cargo test -p payplan-core --no-default-features --lib --test conformance --test engine; }
company_data() { python3 examples/company/generate.py --check; }
main_job() { cargo run --release -q -p payplan-cli -- run examples/company > /dev/null; }

run_step "rust: cargo fmt --check" rust_fmt
run_step "rust: cargo clippy -D warnings" rust_clippy
run_step "rust: cargo test (unit, property, conformance, CLI)" rust_test
run_step "rust: single-threaded core without default features" rust_serial
run_step "example company: generated files are current" company_data
run_step "main job: payplan run examples/company" main_job
for part in python node wasm bench; do
  run_step "$part: scripts/test-$part.sh" bash "scripts/test-$part.sh"
done

echo
echo "test steps: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  printf 'failed step: %s\n' "${failures[@]}"
  exit 1
fi
