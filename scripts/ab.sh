#!/usr/bin/env bash
# Compare two builds of the `run_request` example on one request, run in alternation so that
# the machine's drift hits both alike. Prints each build's median prepare, run and total
# (milliseconds) over N pairs, then every total.
#
#   cargo build --release -p payplan-core --example run_request && cp target/release/examples/run_request /tmp/new
#   scripts/ab.sh 10 benches/data/1m/request.json /tmp/old /tmp/new
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: scripts/ab.sh PAIRS REQUEST OLD_BINARY NEW_BINARY" >&2
  exit 2
fi
pairs=$1 request=$2 old=$3 new=$4
for _ in $(seq "$pairs"); do
  for bin in "$old" "$new"; do
    # `--timing` prints e.g. "prepare 702.2ms, run 627.1ms (streamed ...)" on stderr.
    printf '%s ' "$bin"
    "$bin" "$request" --timing 2>&1 >/dev/null | head -n 1
  done
done | python3 -c '
import re, statistics, sys
def ms(text):
    value, unit = re.fullmatch(r"([0-9.]+)(ms|s|µs)", text).groups()
    return float(value) * {"ms": 1.0, "s": 1000.0, "µs": 0.001}[unit]
runs = {}
for line in sys.stdin:
    bin, rest = line.split(" ", 1)
    m = re.search(r"prepare ([0-9.]+(?:ms|s|µs)), run ([0-9.]+(?:ms|s|µs))", rest)
    if not m:
        sys.exit(f"{bin}: no timing in {rest!r}")
    p, r = ms(m.group(1)), ms(m.group(2))
    runs.setdefault(bin, []).append((p, r, p + r))
for bin, v in runs.items():
    med = [statistics.median(x[i] for x in v) for i in range(3)]
    totals = " ".join("%.0f" % x[2] for x in v)
    print("%s: prepare %.1f run %.1f total %.1f ms (medians of %d); totals %s"
          % (bin, med[0], med[1], med[2], len(v), totals))
'
