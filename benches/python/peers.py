"""The reference plan computed by payplan's peers, on the CSV tables of a dataset.

    python peers.py decimal DATA_DIR OUT.csv   # pure Python `decimal` loop (exact)
    python peers.py pandas  DATA_DIR OUT.csv   # vectorised pandas on float64

Each writes one CSV line per (payee, period, component) plus a `net_payable` line per
statement, and prints one JSON object: {"impl", "seconds", "lines"}. `seconds` covers
reading the CSV tables and computing every line (not writing OUT.csv), as payplan's figure
covers parsing the request and producing its output.

Plan parameters (tier rates and bounds, curve points, weight, gate, override rate) are read
from DATA_DIR/plan.json; the structure is the reference plan's (docs/benchmarks.md):
  1. commission: marginal tiers on year-to-date attainment of `bookings`, paid as the
     year-to-date earned minus what was paid in earlier months (never below zero; an
     over-payment is carried);
  2. cloud_bonus: payout curve on the month's attainment of `cloud` (bookings with
     product=cloud) × the month's target incentive × weight, only when the month's
     `bookings` attainment reaches the gate;
  3. override: flat rate on `team_bookings`, the bookings credited to everyone under the
     payee at any depth.
Amounts in USD are converted with the USD→EUR rate in force on the transaction's date;
split bookings credit each payee amount × share. The plan's clawback block has
`reduces_attainment: true`: a cancellation dated at most `window_days` after the booking it
references enters every measure the booking counted in as the negative of the booking's
credit, in the cancellation's month (later cancellations change nothing).
"""
import bisect
import csv
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date as _date
from decimal import ROUND_HALF_UP, Decimal, localcontext

MONTHS = 12
COMPONENTS = ("commission", "cloud_bonus", "override")


def load_plan(data_dir):
    with open(os.path.join(data_dir, "plan.json")) as f:
        plan = json.load(f)
    comps = {c["id"]: c for c in plan["components"]}
    year = plan["calendar"]["year"]
    return plan, comps, year


# ---------------------------------------------------------------- exact (decimal) loop

def run_decimal(data_dir):
    with localcontext() as ctx:
        # 60 significant digits: every product and sum of this data is exact, and the one
        # division of each curve payout is exact whenever its result terminates.
        ctx.prec = 60
        return _run_decimal(data_dir)


def _run_decimal(data_dir):
    D = Decimal
    zero = D(0)
    plan, comps, year = load_plan(data_dir)
    currency = plan["currency"]
    scale = D(1).scaleb(-plan.get("rounding", {}).get("scale", 2))

    def rnd(x):
        return x.quantize(scale, rounding=ROUND_HALF_UP)

    def rows(name):
        with open(os.path.join(data_dir, name), newline="") as f:
            yield from csv.DictReader(f)

    payees = [p for p in rows("payees.csv")]
    manager = {p["id"]: (p["manager"] or None) for p in payees}
    ti = {a["payee"]: D(a["target_incentive"]) for a in rows("assignments.csv")}
    quota = {}
    for q in rows("quotas.csv"):
        quota[(q["payee"], q["measure"], int(q["period"][5:7]) - 1)] = D(q["amount"])
    fx = defaultdict(list)
    for r in rows("fx_rates.csv"):
        fx[(r["from"], r["to"])].append((r["effective"], D(r["rate"])))
    fx_dates = {}
    for k, v in fx.items():
        v.sort()
        fx_dates[k] = [e for e, _ in v]

    clawback = plan.get("clawback") or {}
    window = int(clawback.get("window_days", 0)) if clawback.get("reduces_attainment") else None
    # pass 1: the first cancellation of each deal (by date, then id)
    cancel = {}
    if window is not None:
        for t in rows("transactions.csv"):
            if t["kind"] in ("cancellation", "churn") and t["reference"]:
                key = (t["date"], t["id"])
                if t["reference"] not in cancel or key < cancel[t["reference"]]:
                    cancel[t["reference"]] = key
    bookings = defaultdict(lambda: [zero] * MONTHS)
    cloud = defaultdict(lambda: [zero] * MONTHS)
    for t in rows("transactions.csv"):
        if t["kind"] not in ("", "booking"):
            continue
        amount = D(t["amount"])
        cur = t["currency"] or currency
        date = t["date"]
        if cur != currency:
            key = (cur, currency)
            i = bisect.bisect_right(fx_dates[key], date) - 1
            if i < 0:
                raise ValueError(f"no {cur}->{currency} rate on {date}")
            amount = amount * fx[key][i][1]
        months = [(int(date[5:7]) - 1, 1)]
        c = cancel.get(t["id"])
        if c is not None and c[0][:4] == date[:4] and \
                (_date.fromisoformat(c[0]) - _date.fromisoformat(date)).days <= window:
            months.append((int(c[0][5:7]) - 1, -1))
        is_cloud = t.get("product") == "cloud"
        if t["splits"]:
            credits = [(payee, amount * D(share)) for payee, share in (x.split(":") for x in t["splits"].split(";"))]
        else:
            credits = [(t["owner"], amount)]
        for payee, value in credits:
            for m, sign in months:
                v = value if sign > 0 else -value
                bookings[payee][m] += v
                if is_cloud:
                    cloud[payee][m] += v

    team = defaultdict(lambda: [zero] * MONTHS)
    for payee, months in bookings.items():
        boss = manager.get(payee)
        while boss is not None:
            tb = team[boss]
            for m in range(MONTHS):
                tb[m] += months[m]
            boss = manager.get(boss)

    c1, c2, c3 = comps["commission"], comps["cloud_bonus"], comps["override"]
    tiers = [(D(str(t["from"])), D(str(t["to"])) if t.get("to") is not None else None, D(str(t["rate"])))
             for t in c1["mechanism"]["tiers"]]
    points = [(D(str(p["attainment"])), D(str(p["payout"]))) for p in c2["mechanism"]["points"]]
    weight2 = D(str(c2.get("weight", 1)))
    gate = c2["gates"][0]
    gate_min = D(str(gate["min_attainment"]))
    rate3 = D(str(c3["mechanism"]["rate"]))
    twelve = D(12)

    def marginal(value, q):
        if value <= 0:  # a negative to-date value is paid at the first tier's rate
            return value * tiers[0][2]
        earned = zero
        for lo, hi, rate in tiers:
            lo_v = lo * q
            if value <= lo_v:
                break
            top = value if hi is None else min(value, hi * q)
            earned += (top - lo_v) * rate
        return earned

    def curve_payout(v, q, scale_by):
        """scale_by × the curve's share at attainment v ÷ q, dividing last: the result is
        exact whenever it is a terminating decimal (so exact half-cents round as the plan
        says, not as a rounded attainment happens to fall)."""
        if v < points[0][0] * q:
            return zero
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if v < x1 * q:
                num = (y0 * (x1 - x0) * q + (v - x0 * q) * (y1 - y0)) * scale_by
                return num / ((x1 - x0) * q)
        return points[-1][1] * scale_by

    out = []
    empty = [zero] * MONTHS
    for p in sorted(payees, key=lambda p: p["id"]):
        pid = p["id"]
        if pid not in ti:
            continue
        b, cl, tm = bookings.get(pid, empty), cloud.get(pid, empty), team.get(pid, empty)
        ytd_b = zero
        ytd_q = zero
        paid = zero
        target = ti[pid] / twelve
        for m in range(MONTHS):
            period = f"{year}-{m + 1:02d}"
            qb = quota[(pid, "bookings", m)]
            qc = quota[(pid, "cloud", m)]
            ytd_b += b[m]
            ytd_q += qb
            earned = marginal(ytd_b, ytd_q)
            line1 = rnd(earned) - paid  # earned to date (rounded) minus paid to date
            if line1 < 0:  # over-payment carried
                line1 = zero.quantize(scale)
            paid += line1
            if b[m] >= gate_min * qb:
                line2 = rnd(curve_payout(cl[m], qc, target * weight2))
            else:
                line2 = zero.quantize(scale)
            line3 = rnd(tm[m] * rate3)
            out.append((pid, period, "commission", line1))
            out.append((pid, period, "cloud_bonus", line2))
            out.append((pid, period, "override", line3))
            out.append((pid, period, "net_payable", line1 + line2 + line3))
    return out


# ---------------------------------------------------------------- vectorised pandas

def run_pandas(data_dir):
    import numpy as np
    import pandas as pd

    plan, comps, year = load_plan(data_dir)
    currency = plan["currency"]
    p = lambda name: os.path.join(data_dir, name)
    payees = pd.read_csv(p("payees.csv"), dtype={"manager": "string"})
    assign = pd.read_csv(p("assignments.csv"))
    quotas = pd.read_csv(p("quotas.csv"))
    fx = pd.read_csv(p("fx_rates.csv"), parse_dates=["effective"])
    tx = pd.read_csv(p("transactions.csv"), dtype={"owner": "string", "splits": "string", "reference": "string"},
                     parse_dates=["date"])

    kind = tx["kind"].fillna("booking")
    clawback = plan.get("clawback") or {}
    cancels = tx[kind.isin(["cancellation", "churn"]) & tx["reference"].notna()]
    cancels = (cancels.sort_values(["date", "id"]).drop_duplicates("reference")
               [["reference", "date"]].rename(columns={"reference": "id", "date": "cancel_date"}))
    tx = tx[kind == "booking"].merge(cancels, on="id", how="left")
    if clawback.get("reduces_attainment"):
        within = ((tx["cancel_date"] - tx["date"]).dt.days <= int(clawback["window_days"])) & \
                 (tx["cancel_date"].dt.year == tx["date"].dt.year)
        tx["cancel_month"] = tx["cancel_date"].dt.month.where(within)
    else:
        tx["cancel_month"] = np.nan
    # currency conversion: the rate in force on the transaction date
    tx = tx.sort_values("date")
    fx = fx[fx["to"] == currency].sort_values("effective")
    tx = pd.merge_asof(tx, fx[["effective", "from", "rate"]].rename(columns={"from": "currency"}),
                       left_on="date", right_on="effective", by="currency", direction="backward")
    tx["rate"] = np.where(tx["currency"] == currency, 1.0, tx["rate"])
    tx["eur"] = tx["amount"] * tx["rate"]
    tx["month"] = tx["date"].dt.month

    # credits: owner rows as they are, split rows exploded
    cols = ["month", "cancel_month"]
    solo = tx[tx["splits"].isna()]
    credits_solo = pd.DataFrame({"payee": solo["owner"].astype(str), "credit": solo["eur"],
                                 "cloud": solo["product"] == "cloud", **{c: solo[c] for c in cols}})
    sp = tx[tx["splits"].notna()]
    sp = sp.assign(part=sp["splits"].str.split(";")).explode("part")
    parts = sp["part"].str.split(":", expand=True)
    credits_split = pd.DataFrame({"payee": parts[0], "credit": sp["eur"] * parts[1].astype(float),
                                  "cloud": sp["product"] == "cloud", **{c: sp[c] for c in cols}})
    credits = pd.concat([credits_solo, credits_split], ignore_index=True)
    # a cancellation inside the clawback window: the negative credit in the cancellation's month
    rev = credits[credits["cancel_month"].notna()]
    rev = rev.assign(month=rev["cancel_month"].astype(int), credit=-rev["credit"])
    credits = pd.concat([credits, rev], ignore_index=True)
    credits["cloud_credit"] = credits["credit"].where(credits["cloud"], 0.0)

    ids = np.sort(assign["payee"].unique())
    grid = pd.MultiIndex.from_product([ids, range(1, 13)], names=["payee", "month"])
    own = credits.groupby(["payee", "month"])[["credit", "cloud_credit"]].sum().reindex(grid, fill_value=0.0)

    # manager roll-up at any depth: (report, ancestor) pairs
    mgr = payees.set_index("id")["manager"]
    pairs = []
    level = pd.DataFrame({"payee": payees["id"], "ancestor": payees["manager"]}).dropna()
    while len(level):
        pairs.append(level)
        level = pd.DataFrame({"payee": level["payee"].values, "ancestor": mgr.reindex(level["ancestor"]).values}).dropna()
    anc = pd.concat(pairs, ignore_index=True)
    rolled = own.reset_index().merge(anc, on="payee")
    team = rolled.groupby(["ancestor", "month"])["credit"].sum()
    team.index.names = ["payee", "month"]
    team = team.reindex(grid, fill_value=0.0)

    q = quotas.assign(month=quotas["period"].str[5:7].astype(int)).pivot_table(
        index=["payee", "month"], columns="measure", values="amount", aggfunc="sum").reindex(grid)

    df = pd.DataFrame({"bookings": own["credit"], "cloud": own["cloud_credit"], "team": team,
                       "q_b": q["bookings"], "q_c": q["cloud"]})
    g = df.groupby(level="payee")
    ytd_b = g["bookings"].cumsum()
    ytd_q = g["q_b"].cumsum()

    c1, c2, c3 = comps["commission"], comps["cloud_bonus"], comps["override"]
    earned = np.zeros(len(df))
    for t in c1["mechanism"]["tiers"]:
        lo = float(t["from"]) * ytd_q
        width = (float(t["to"]) - float(t["from"])) * ytd_q if t.get("to") is not None else np.inf
        earned += float(t["rate"]) * np.clip(ytd_b - lo, 0, width)
    df["earned_ytd"] = earned
    paid_to_date = df.groupby(level="payee")["earned_ytd"].cummax()
    df["commission"] = paid_to_date - paid_to_date.groupby(level="payee").shift(fill_value=0.0)

    pts = c2["mechanism"]["points"]
    xs = np.array([float(x["attainment"]) for x in pts])
    ys = np.array([float(x["payout"]) for x in pts])
    share = np.interp(df["cloud"] / df["q_c"], xs, ys, left=0.0, right=ys[-1])
    share = np.where(df["cloud"] / df["q_c"] < xs[0], 0.0, share)
    ti = assign.set_index("payee")["target_incentive"].reindex(df.index.get_level_values("payee")).to_numpy()
    gate_ok = df["bookings"] / df["q_b"] >= float(c2["gates"][0]["min_attainment"])
    df["cloud_bonus"] = np.where(gate_ok, share * ti / 12 * float(c2.get("weight", 1)), 0.0)
    df["override"] = df["team"] * float(c3["mechanism"]["rate"])

    df = df[list(COMPONENTS)].round(2)
    df["net_payable"] = df[list(COMPONENTS)].sum(axis=1).round(2)
    long = df.stack().rename("amount").reset_index()
    long.columns = ["payee", "month", "component", "amount"]
    long["period"] = str(year) + "-" + long["month"].map("{:02d}".format)
    return long[["payee", "period", "component", "amount"]]


def main(argv):
    if len(argv) != 4 or argv[1] not in ("decimal", "pandas"):
        print(__doc__, file=sys.stderr)
        return 2
    impl, data_dir, out = argv[1], argv[2], argv[3]
    if impl == "pandas":
        import numpy  # noqa: F401  (imported before the clock starts, as in a notebook)
        import pandas  # noqa: F401
    t0 = time.perf_counter()
    if impl == "decimal":
        lines = run_decimal(data_dir)
        secs = time.perf_counter() - t0
        with open(out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["payee", "period", "component", "amount"])
            w.writerows(lines)
        n = len(lines)
    else:
        df = run_pandas(data_dir)
        secs = time.perf_counter() - t0
        df.to_csv(out, index=False, float_format="%.2f")
        n = len(df)
    print(json.dumps({"impl": impl, "seconds": secs, "lines": n}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
