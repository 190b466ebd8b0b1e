# Sourced by bindings-wasm/build.sh and scripts/test-wasm.sh: puts the wasm32 target and
# wasm-bindgen-cli (exactly the version of the wasm-bindgen crate in Cargo.lock) in place.
# The CLI goes to the project-local .tools/ (gitignored); nothing global is assumed.

payplan_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN="$payplan_root/.tools/bin/wasm-bindgen"

# The wasm-bindgen version pinned in Cargo.lock.
wasm_bindgen_lock_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$payplan_root/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "== rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  local want have
  want="$(wasm_bindgen_lock_version)"
  if [ -z "$want" ]; then
    echo "wasm-bindgen not found in Cargo.lock" >&2
    return 1
  fi
  have="$("$WASM_BINDGEN" --version 2>/dev/null | awk '{print $2}')" || true
  if [ "$have" = "$want" ]; then
    return 0
  fi
  echo "== installing wasm-bindgen-cli $want into .tools/ (found: ${have:-none})"
  # No --locked (the CLI's own lock pins a yanked crate); a debug build without debug info
  # compiles in a third of the time of a release build and runs fast enough here.
  CARGO_PROFILE_DEV_DEBUG=0 cargo install wasm-bindgen-cli --version "$want" --debug \
    --bin wasm-bindgen --root "$payplan_root/.tools" --force
  have="$("$WASM_BINDGEN" --version | awk '{print $2}')"
  if [ "$have" != "$want" ]; then
    echo "wasm-bindgen-cli $have installed, $want expected" >&2
    return 1
  fi
}
