#!/usr/bin/env bash
# Build the WebAssembly packages:
#   bindings-wasm/pkg-web   ES module for browsers and web workers (+ worker.js, client.js)
#   bindings-wasm/pkg-node  CommonJS module for Node
# both with TypeScript declarations. Prints the .wasm size raw and gzipped and fails when
# the gzipped size is over the budget (250 KB = 256,000 bytes), with exit status 3 (the
# packages are built and usable then; any other failure builds nothing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tools.sh
source "$here/tools.sh"
cd "$payplan_root"

ensure_wasm_target
ensure_wasm_bindgen

target_dir="${CARGO_TARGET_DIR:-$payplan_root/target}"
echo "== cargo build -p payplan-wasm --target wasm32-unknown-unknown --profile wasm"
cargo build -p payplan-wasm --target wasm32-unknown-unknown --profile wasm
wasm="$target_dir/wasm32-unknown-unknown/wasm/payplan_wasm.wasm"

for t in web nodejs; do
  out="$here/pkg-${t%js}"
  rm -rf "$out"
  "$WASM_BINDGEN" "$wasm" --target "$t" --out-dir "$out" \
    --remove-name-section --remove-producers-section
done

version="$(awk -F'"' '/^version = /{print $2; exit}' "$payplan_root/Cargo.toml")"
# The web output is ES modules: say so, or Node (and bundlers) read it as CommonJS.
cat > "$here/pkg-web/package.json" <<JSON
{
  "name": "payplan-wasm",
  "version": "$version",
  "type": "module",
  "main": "payplan_wasm.js",
  "types": "payplan_wasm.d.ts",
  "sideEffects": false
}
JSON
cp "$here/js/worker.js" "$here/js/client.js" "$here/js/client.d.ts" "$here/pkg-web/"
cat > "$here/pkg-node/package.json" <<JSON
{
  "name": "payplan-wasm",
  "version": "$version",
  "main": "payplan_wasm.js",
  "types": "payplan_wasm.d.ts"
}
JSON

raw=$(wc -c < "$here/pkg-web/payplan_wasm_bg.wasm")
gz=$(gzip -9 -c "$here/pkg-web/payplan_wasm_bg.wasm" | wc -c)
echo "== payplan_wasm_bg.wasm: $raw bytes raw, $gz bytes gzipped (budget 256000 gzipped)"
if [ "$gz" -gt 256000 ]; then
  echo "size budget exceeded: $gz > 256000 bytes gzipped" >&2
  exit 3
fi
