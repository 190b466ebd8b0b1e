"""Compare a peer's lines with payplan's output, line by line.

    python compare.py PAYPLAN_OUT.json PEER.csv [--exact] [--json]

PAYPLAN_OUT.json is the output of `run_json` (canonical JSON); PEER.csv has the columns
payee,period,component,amount (from peers.py). Every component line of every statement
and every statement's net_payable is one line; a line missing on either side counts as
mismatched. Prints `<peer> vs payplan: N mismatched lines of M, off by C cents in total
(max X cents)` and with --json one JSON object. With --exact, exits 1 on any mismatch.
"""
import csv
import json
import sys
from decimal import Decimal


def payplan_lines(path):
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
    peer = peer_lines(args[1])
    keys, mismatched, cents, worst = compare(payplan, peer)
    name = args[1].rsplit("/", 1)[-1]
    print(f"{name} vs payplan: {len(mismatched)} mismatched lines of {len(keys)}, "
          f"off by {cents.normalize():f} cents in total (max {worst.normalize():f} cents)", file=sys.stderr)
    for k, a, b in mismatched[:10]:
        print(f"  {k[0]} {k[1]} {k[2]}: payplan {a} peer {b}", file=sys.stderr)
    if "--json" in argv:
        print(json.dumps({"lines": len(keys), "mismatched": len(mismatched),
                          "cents_off": str(cents.normalize()), "max_cents_off": str(worst.normalize()),
                          "missing": sum(1 for _, a, b in mismatched if a is None or b is None)}))
    if exact and mismatched:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
