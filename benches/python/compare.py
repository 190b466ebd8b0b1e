"""Compare a peer's lines with payplan's output, line by line.

    python compare.py PAYPLAN_OUT.json PEER.csv [--exact] [--json] [--check-parser]

PAYPLAN_OUT.json is the output of `run_json` (canonical JSON); PEER.csv has the columns
payee,period,component,amount (from peers.py). Every component line of every statement
and every statement's net_payable is one line; a line missing on either side counts as
mismatched. Prints `<peer> vs payplan: N mismatched lines of M, off by C cents in total
(max X cents)` and with --json one JSON object. With --exact, exits 1 on any mismatch.
--check-parser also reads the output with json.load and fails if the streamed reading differs.
"""
import csv
import json
import sys
from decimal import Decimal


def payplan_lines_json(path):
    """The lines of payplan's output, read with json.load (memory: several times the file)."""
    with open(path) as f:
        out = json.load(f)
    lines = {}
    for st in out["statements"]:
        payee, period = st["payee"], st["period"]
        for ln in st["lines"]:
            if ln.get("kind") == "component":
                lines[(payee, period, ln["id"])] = Decimal(ln["amount"])
        lines[(payee, period, "net_payable")] = Decimal(st["net_payable"])
    return lines


def payplan_lines_stream(path):
    """The same, streamed line by line over the canonical pretty-printed output (statement
    keys at 6 spaces, line keys at 10): constant memory for outputs of hundreds of MB."""
    lines = {}
    payee = period = kind = ident = None
    inside = False
    with open(path) as f:
        for raw in f:
            if raw.startswith('  "'):  # a top-level key: only "statements" is read
                inside = raw.startswith('  "statements"')
                continue
            if not inside:
                continue
            if raw.startswith('      "') and not raw.startswith('       '):
                key, _, val = raw.strip().partition(": ")
                if key == '"payee"':
                    payee = json.loads(val.rstrip(","))
                elif key == '"period"':
                    period = json.loads(val.rstrip(","))
                elif key == '"net_payable"':
                    lines[(payee, period, "net_payable")] = Decimal(json.loads(val.rstrip(",")))
            elif raw.startswith('          "') and not raw.startswith('           '):
                key, _, val = raw.strip().partition(": ")
                if key == '"kind"':
                    kind = json.loads(val.rstrip(","))
                elif key == '"id"':
                    ident = json.loads(val.rstrip(","))
                elif key == '"amount"' and kind == "component":
                    lines[(payee, period, ident)] = Decimal(json.loads(val.rstrip(",")))
    return lines


def payplan_lines(path):
    lines = payplan_lines_stream(path)
    if not lines:  # not the pretty-printed layout: read it whole
        lines = payplan_lines_json(path)
    return lines


def peer_lines(path):
    with open(path, newline="") as f:
        return {(r["payee"], r["period"], r["component"]): Decimal(r["amount"]) for r in csv.DictReader(f)}


def compare(payplan, peer):
    keys = sorted(set(payplan) | set(peer))
    mismatched = []
    cents = Decimal(0)
    worst = Decimal(0)
    for k in keys:
        a, b = payplan.get(k), peer.get(k)
        if a is None or b is None:
            mismatched.append((k, a, b))
            continue
        if a != b:
            d = abs(a - b) * 100
            cents += d
            worst = max(worst, d)
            mismatched.append((k, a, b))
    return keys, mismatched, cents, worst


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    exact = "--exact" in argv
    payplan = payplan_lines(args[0])
    if "--check-parser" in argv:
        whole = payplan_lines_json(args[0])
        if whole != payplan:
            print(f"streamed parse differs from json.load: {len(set(whole.items()) ^ set(payplan.items()))} lines",
                  file=sys.stderr)
            return 1
        print(f"streamed parse = json.load ({len(whole)} lines)", file=sys.stderr)
    peer = peer_lines(args[1])
    keys, mismatched, cents, worst = compare(payplan, peer)
    name = args[1].rsplit("/", 1)[-1]
    print(f"{name} vs payplan: {len(mismatched)} mismatched lines of {len(keys)}, "
          f"off by {cents.normalize():f} cents in total (max {worst.normalize():f} cents)", file=sys.stderr)
    for k, a, b in mismatched[:10]:
        print(f"  {k[0]} {k[1]} {k[2]}: payplan {a} peer {b}", file=sys.stderr)
    if "--json" in argv:
        print(json.dumps({"lines": len(keys), "mismatched": len(mismatched),
                          "cents_off": f"{cents.normalize():f}", "max_cents_off": f"{worst.normalize():f}",
                          "missing": sum(1 for _, a, b in mismatched if a is None or b is None)}))
    if exact and mismatched:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
