#!/usr/bin/env python3
"""Generate the example company "Northwind Robotics" for fiscal year 2027.

Deterministic: a fixed seed drives a small, fully specified PRNG (splitmix64) and every
amount is computed in integer cents, so the output is byte-identical on any machine and
any Python 3 version. Standard library only.

    python3 examples/company/generate.py          # (re)write the files next to this script
    python3 examples/company/generate.py --check  # exit 1 if the committed files differ

Writes plans/*.yaml, payees.csv, assignments.csv, quotas.csv, transactions.csv,
fx_rates.csv, adjustments.csv and options.json.
"""

import os
import sys

SEED = 2027
YEAR = 2027
HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1


class Rng:
    """splitmix64: tiny, well known, and the same everywhere."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform integer in [0, n) (rejection sampling, no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def between(self, lo, hi):
        """Uniform integer in [lo, hi]."""
        return lo + self.below(hi - lo + 1)

    def chance(self, per_mille):
        return self.below(1000) < per_mille

    def pick(self, items):
        return items[self.below(len(items))]

    def weighted(self, weights):
        total = sum(weights)
        x = self.below(total)
        for i, w in enumerate(weights):
            if x < w:
                return i
            x -= w
        raise AssertionError


FIRST = ["Ana", "Ben", "Chloe", "Diego", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
         "Kaja", "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara",
         "Umar", "Vera", "Wim", "Xenia", "Yusuf", "Zoe", "Arjun", "Bianca", "Carlos", "Dana",
         "Emil", "Fatima", "Gustav", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia"]
LAST = ["Almeida", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova",
        "Jansen", "Kowalski", "Laurent", "Moreau", "Nowak", "Okafor", "Petrov", "Quist", "Rossi",
        "Schmidt", "Tanaka", "Uysal", "Visser", "Weber", "Xu", "Yilmaz", "Zielinski"]
TEAMS = ["north", "south", "east", "west", "central"]
REGIONS = {"north": "nordics", "south": "iberia", "east": "dach", "west": "benelux", "central": "france"}
AE_PER_TEAM = [8, 7, 7, 7, 7]  # 36 account executives
SE_PER_TEAM = [2, 2, 2, 1, 1]  # 8 solution engineers
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]  # 2027 is not a leap year
MONTH_WEIGHT = [6, 7, 10, 7, 8, 10, 6, 6, 10, 8, 9, 13]  # bookings seasonality
AE_QUOTA = 1_000_000  # plan default, EUR per year
SE_QUOTA = 350_000


def day_of_year(date):
    y, m, d = (int(x) for x in date.split("-"))
    assert y == YEAR
    return sum(DAYS[: m - 1]) + d


def date_of(doy):
    m = 0
    while doy > DAYS[m]:
        doy -= DAYS[m]
        m += 1
    return f"{YEAR}-{m + 1:02d}-{doy:02d}"


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def csv_cell(v):
    v = "" if v is None else str(v)
    if any(c in v for c in ',"\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def csv_text(header, rows):
    lines = [",".join(header)]
    for r in rows:
        lines.append(",".join(csv_cell(r.get(h)) for h in header))
    return "\n".join(lines) + "\n"


PLANS = {
    "ae-2027.yaml": """\
# Account executives: marginal tiers on year-to-date attainment, paid quarterly as a
# true-up (earned to date minus paid to date), a new-logo bonus behind a gate, a
# recoverable draw and a 90-day clawback on cancelled deals.
payplan: 1
id: ae-2027
name: Account Executives 2027
currency: EUR
calendar:
  year: 2027
  start_month: 1
  period: quarter
rounding:
  scale: 2
  mode: half_away_from_zero
  at: line
tier_boundary: upper
measures:
  - id: bookings
    kinds: [booking]
    aggregate: sum
    field: amount
    credit: own
  - id: new_logos
    kinds: [booking]
    aggregate: count
    credit: own
    filter:
      new_logo: "yes"
quotas:
  - measure: bookings
    annual: 1000000
    ramp: [0.25, 0.5, 0.75]   # new hires: share of quota by month of tenure
    prorate: true
components:
  - id: commission
    name: Commission on bookings (year to date)
    measure: bookings
    cumulative: year
    cap: 200000
    mechanism:
      type: rate_table
      basis: attainment
      method: marginal
      per: period
      tiers:
        - { from: 0, to: 1, rate: 0.06 }
        - { from: 1, to: 1.5, rate: 0.10 }
        - { from: 1.5, rate: 0.14 }
  - id: new_logo_bonus
    name: New-logo bonus
    measure: new_logos
    gates:
      - measure: bookings
        min_attainment: 0.5
    mechanism: { type: per_unit, amount: 500 }
draw:
  amount: 6000
  kind: recoverable
clawback:
  window_days: 90
  recovery: full
  reduces_attainment: false
""",
    "se-2027.yaml": """\
# Solution engineers: a payout curve on their split credit, as a share of target incentive.
payplan: 1
id: se-2027
name: Solution Engineers 2027
currency: EUR
calendar:
  year: 2027
  start_month: 1
  period: quarter
measures:
  - id: bookings
    kinds: [booking]
    credit: own
quotas:
  - measure: bookings
    annual: 350000
components:
  - id: incentive
    name: Technical win incentive
    measure: bookings
    mechanism:
      type: curve
      points:
        - { attainment: 0.5, payout: 0.3 }
        - { attainment: 1.0, payout: 1.0 }
        - { attainment: 1.5, payout: 1.8 }
      above: hold
clawback:
  window_days: 90
  recovery: full
  reduces_attainment: false
""",
    "mgr-2027.yaml": """\
# Managers and the VP: an override on everyone below them, a team bonus at quota
# (team quotas in quotas.csv) and a cap on the quarterly total.
payplan: 1
id: mgr-2027
name: Sales Managers 2027
currency: EUR
calendar:
  year: 2027
  start_month: 1
  period: quarter
measures:
  - id: team_bookings
    kinds: [booking]
    aggregate: sum
    field: amount
    credit: all_reports
components:
  - id: override
    name: Override on all reports
    measure: team_bookings
    mechanism: { type: rate, rate: 0.005 }
  - id: team_bonus
    name: Team at quota bonus
    measure: team_bookings
    mechanism: { type: bonus, amount: 4000, min_attainment: 1 }
cap: 30000
""",
}


def generate():
    rng = Rng(SEED)
    names = []
    used = set()

    def name():
        while True:
            n = f"{rng.pick(FIRST)} {rng.pick(LAST)}"
            if n not in used:
                used.add(n)
                return n

    payees, assignments, quotas = [], [], []

    def add_payee(pid, role, manager, team, hire, termination=None):
        payees.append({"id": pid, "name": name(), "manager": manager, "team": team,
                       "hire_date": hire, "termination_date": termination, "currency": "EUR",
                       "role": role, "region": REGIONS.get(team, "europe")})

    def old_hire():
        return f"{rng.between(2016, 2026)}-{rng.between(1, 12):02d}-{rng.between(1, 28):02d}"

    add_payee("vp-01", "vp", None, "sales", "2016-03-01")
    assignments.append({"payee": "vp-01", "plan": "mgr-2027", "from": "2027-01-01", "target_incentive": "80000"})
    aes, ses, teams = [], [], {}
    n_ae = n_se = 0
    new_hires = {"ae-08": "2027-04-12", "ae-23": "2027-07-01"}  # ramped new hires
    leavers = {"ae-30": "2027-09-15"}  # terminated mid-year: prorated quota
    for t, team in enumerate(TEAMS):
        mgr = f"mgr-{t + 1:02d}"
        add_payee(mgr, "manager", "vp-01", team, old_hire())
        assignments.append({"payee": mgr, "plan": "mgr-2027", "from": "2027-01-01", "target_incentive": "40000"})
        teams[team] = {"manager": mgr, "aes": [], "ses": []}
        for _ in range(AE_PER_TEAM[t]):
            n_ae += 1
            pid = f"ae-{n_ae:02d}"
            hire = new_hires.get(pid) or old_hire()
            add_payee(pid, "ae", mgr, team, hire, leavers.get(pid))
            assignments.append({"payee": pid, "plan": "ae-2027", "from": new_hires.get(pid, "2027-01-01"),
                                "to": leavers.get(pid), "target_incentive": "60000"})
            # performance: share of quota this rep will book, 55 % .. 160 %
            aes.append({"id": pid, "team": team, "perf": rng.between(55, 160),
                        "start": day_of_year(new_hires[pid]) + 20 if pid in new_hires else 1,
                        "end": day_of_year(leavers[pid]) if pid in leavers else 365})
            teams[team]["aes"].append(pid)
        for _ in range(SE_PER_TEAM[t]):
            n_se += 1
            pid = f"se-{n_se:02d}"
            add_payee(pid, "se", mgr, team, old_hire())
            assignments.append({"payee": pid, "plan": "se-2027", "from": "2027-01-01", "target_incentive": "24000"})
            ses.append(pid)
            teams[team]["ses"].append(pid)

    # FX: month-start rates, a random walk in ten-thousandths
    fx_rates = []
    for cur, start, step in [("USD", 9210, 60), ("GBP", 11650, 80)]:
        r = start
        for m in range(0, 13):
            month = f"{YEAR - 1}-12-01" if m == 0 else f"{YEAR}-{m:02d}-01"
            fx_rates.append({"from": cur, "to": "EUR", "rate": f"{r // 10000}.{r % 10000:04d}", "effective": month})
            r += rng.between(-step, step)

    transactions = []
    booked = []

    def booking_amount():
        seg = rng.weighted([65, 28, 7])
        lo, hi = [(1_000, 8_000), (8_000, 25_000), (25_000, 90_000)][seg]
        cents = rng.between(lo, hi) * 100
        if rng.chance(300):
            cents += rng.between(1, 99)
        return ["smb", "mid", "enterprise"][seg], cents

    def deal_day(start, end):
        while True:
            m = rng.weighted(MONTH_WEIGHT)
            d = sum(DAYS[:m]) + rng.between(1, DAYS[m])
            if start <= d <= end:
                return d

    for ae in aes:
        span = ae["end"] - ae["start"] + 1
        target = AE_QUOTA * 100 * ae["perf"] // 100 * span // 365
        if ae["id"] in new_hires:
            target //= 2  # still ramping up
        total = 0
        while total < target:
            seg, cents = booking_amount()
            total += cents
            day = deal_day(ae["start"], ae["end"])
            team = teams[ae["team"]]
            currency = "EUR"
            r = rng.below(100)
            if r < 12:
                currency = "USD"
            elif r < 15:
                currency = "GBP"
            splits = None
            owner = ae["id"]
            if team["ses"] and rng.chance(250 * len(team["ses"])):
                se = rng.pick(team["ses"])
                splits = f"{ae['id']}:0.8;{se}:0.2"
            elif rng.chance(80):
                others = [a for a in team["aes"] if a != ae["id"] and a not in new_hires and a not in leavers]
                splits = f"{ae['id']}:0.5;{rng.pick(others)}:0.5"
            if splits:
                owner = None
            booked.append((day, {"kind": "booking", "date": date_of(day), "amount": money(cents), "currency": currency,
                                 "owner": owner, "splits": splits, "segment": seg,
                                 "new_logo": "yes" if rng.chance(180) else "no",
                                 "product": rng.pick(["arm", "arm", "vision", "fleet"])}))
    for team in teams.values():
        for _ in range(6):  # managers' own deals: they count for the VP's override
            seg, cents = booking_amount()
            day = deal_day(1, 365)
            booked.append((day, {"kind": "booking", "date": date_of(day), "amount": money(cents), "currency": "EUR",
                                 "owner": team["manager"], "segment": seg, "new_logo": "no", "product": "fleet"}))
    booked.sort(key=lambda x: (x[0], x[1]["amount"]))
    for i, (_, t) in enumerate(booked):
        t["id"] = f"D{i + 1:05d}"
        transactions.append(t)

    # cancellations and churn: some inside the 90-day clawback window, some outside
    # (never the leaver's deals: no statement after the termination date)
    deals = [t for t in transactions if t["kind"] == "booking" and not any(
        p in (t.get("owner") or "") + (t.get("splits") or "") for p in leavers)]
    picked = set()
    for k in range(28):
        while True:
            t = rng.pick(deals)
            if t["id"] not in picked and day_of_year(t["date"]) < 330:
                break
        picked.add(t["id"])
        day = day_of_year(t["date"]) + (rng.between(5, 85) if k % 4 else rng.between(95, 150))
        day = min(day, 365)
        transactions.append({"id": f"X{k + 1:03d}", "kind": "churn" if k % 7 == 3 else "cancellation",
                             "date": date_of(day), "reference": t["id"]})

    # team quotas for managers (sum of their AEs' quarterly quotas) and the VP
    all_q = 0
    for team in teams.values():
        q = len(team["aes"]) * AE_QUOTA // 4
        all_q += q
        for p in range(1, 5):
            quotas.append({"payee": team["manager"], "measure": "team_bookings", "period": f"{YEAR}-Q{p}", "amount": str(q)})
    for p in range(1, 5):
        quotas.append({"payee": "vp-01", "measure": "team_bookings", "period": f"{YEAR}-Q{p}", "amount": str(all_q)})

    adjustments = [
        {"id": "ADJ-001", "payee": "ae-03", "period": f"{YEAR}-Q1", "amount": "250.00",
         "reason": "Q1 contest winner", "approver": "CFO"},
        {"id": "ADJ-002", "payee": "ae-14", "period": f"{YEAR}-Q2", "amount": "-420.50",
         "reason": "Split dispute settled 50/50 with ae-13", "approver": "VP Sales"},
        {"id": "ADJ-003", "payee": "se-04", "period": f"{YEAR}-Q2", "amount": "1000.00",
         "reason": "Proof-of-concept SPIFF, robotics fair", "approver": "VP Sales"},
        {"id": "ADJ-004", "payee": "ae-08", "period": f"{YEAR}-Q3", "amount": "1500.00",
         "reason": "New-hire guarantee top-up, offer letter", "approver": "CHRO"},
        {"id": "ADJ-005", "payee": "mgr-02", "period": f"{YEAR}-Q4", "amount": "2000.00",
         "reason": "Territory rebalancing, quota relief", "approver": "CFO"},
    ]

    files = dict(("plans/" + k, v) for k, v in PLANS.items())
    files["payees.csv"] = csv_text(["id", "name", "manager", "team", "hire_date", "termination_date", "currency",
                                    "role", "region"], payees)
    files["assignments.csv"] = csv_text(["payee", "plan", "from", "to", "target_incentive"], assignments)
    files["quotas.csv"] = csv_text(["payee", "measure", "period", "amount"], quotas)
    files["transactions.csv"] = csv_text(["id", "kind", "date", "amount", "currency", "owner", "splits", "reference",
                                          "segment", "new_logo", "product"], transactions)
    files["fx_rates.csv"] = csv_text(["from", "to", "rate", "effective"], fx_rates)
    files["adjustments.csv"] = csv_text(["id", "payee", "period", "amount", "reason", "approver"], adjustments)
    files["options.json"] = "{}\n"
    return files


def main():
    files = generate()
    check = "--check" in sys.argv[1:]
    bad = []
    for rel, text in sorted(files.items()):
        path = os.path.join(HERE, rel)
        if check:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    same = f.read() == text
            except FileNotFoundError:
                same = False
            if not same:
                bad.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    if check:
        if bad:
            print("examples/company differs from generate.py output: " + ", ".join(bad))
            sys.exit(1)
        print(f"examples/company: {len(files)} files match generate.py (seed {SEED})")
    else:
        n_tx = files["transactions.csv"].count("\n") - 1
        size = sum(len(t.encode()) for t in files.values())
        print(f"wrote {len(files)} files, {n_tx} transactions, {size} bytes")


if __name__ == "__main__":
    main()
