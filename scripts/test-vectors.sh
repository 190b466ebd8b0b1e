#!/usr/bin/env bash
# Tests of the conformance corpus, the example company and the CLI.
# Idempotent; needs only Rust (cargo, rustfmt, clippy) and python3, which CI has.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

failed=()
step() {
  local name=$1; shift
  echo "==> $name: $*"
  if "$@"; then echo "--> $name: ok"; else echo "--> $name: FAILED"; failed+=("$name"); fi
}

command -v python3 >/dev/null || { echo "python3 is required"; exit 1; }
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true

step "example company is generate.py's output" python3 examples/company/generate.py --check
step "vector files are valid JSON" python3 - <<'PY'
import json, pathlib, sys
bad = 0
root = pathlib.Path("tests/vectors")
cases = sorted(p for p in root.iterdir() if (p / "request.json").is_file())
for case in cases:
    has_err, has_hand = (case / "error.json").is_file(), (case / "hand.json").is_file()
    if has_err == has_hand:
        print(f"{case.name}: needs exactly one of error.json, hand.json"); bad += 1
    if (case / "deal.json").is_file() != (case / "hand_estimate.json").is_file():
        print(f"{case.name}: deal.json and hand_estimate.json go together"); bad += 1
    for f in case.glob("*.json"):
        if f.name == "request.json" and case.name == "err-json-syntax":
            continue
        try:
            json.loads(f.read_text())
        except ValueError as e:
            print(f"{f}: {e}"); bad += 1
print(f"{len(cases)} cases checked, {bad} problem(s)")
sys.exit(1 if bad or not cases else 0)
PY
step "rustfmt (conformance runner, CLI)" rustfmt --check --edition 2021 core/tests/conformance.rs cli/src/main.rs cli/tests/cli.rs
step "clippy (CLI)" cargo clippy -q -p payplan-cli --no-deps --all-targets -- -D warnings
step "conformance vectors" cargo test -p payplan-core --test conformance -- --nocapture
step "CLI tests" cargo test -p payplan-cli

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "test-vectors: all steps passed"
else
  echo "test-vectors: FAILED: ${failed[*]}"
  exit 1
fi
