#!/usr/bin/env node
// Benchmark (not a test): latency of Estimator.estimate(deal) in headless Chromium, for a
// rep with 2,000 deals this year, in the web build of bindings-wasm.
//
//   bindings-wasm/build.sh && (cd bindings-wasm && npm ci) && node benches/wasm_estimator_bench.mjs
//
// The data is generated here, deterministically (splitmix64, seed 2027). Timing is taken
// in the page with performance.now() (the page is cross-origin isolated, so its resolution
// is fine-grained). Prints median / p10 / p90; the goal is a median ≤ 300 µs.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmDir, serve, launchChromium, openPage } from '../bindings-wasm/tests/helpers.mjs';

const DEALS = Number(process.env.DEALS || 2000);
const SAMPLES = Number(process.env.SAMPLES || 1000);
const WARMUP = 100;

/** splitmix64: the same numbers on every machine. */
function rng(seed) {
  let s = BigInt(seed);
  const M = (1n << 64n) - 1n;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  };
}

function below(next, n) {
  return Number(next() % BigInt(n));
}

function isoDate(dayOfYear) {
  const d = new Date(Date.UTC(2027, 0, 1 + dayOfYear));
  return d.toISOString().slice(0, 10);
}

function cents(c) {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

function makeRequest() {
  const next = rng(2027);
  const plan = {
    payplan: 1,
    id: 'ae-2027',
    name: 'Account Executives 2027',
    currency: 'EUR',
    calendar: { year: 2027, start_month: 1, period: 'quarter' },
    measures: [{ id: 'bookings', kinds: ['booking'], aggregate: 'sum', field: 'amount', credit: 'own' }],
    quotas: [{ measure: 'bookings', annual: '20000000' }],
    components: [
      {
        id: 'commission',
        name: 'Commission on bookings (year to date)',
        measure: 'bookings',
        cumulative: 'year',
        mechanism: {
          type: 'rate_table', basis: 'attainment', method: 'marginal', per: 'period',
          tiers: [{ from: '0', to: '1', rate: '0.06' }, { from: '1', to: '1.5', rate: '0.10' }, { from: '1.5', rate: '0.14' }],
        },
      },
    ],
  };
  const transactions = [];
  for (let i = 0; i < DEALS; i++) {
    transactions.push({
      id: `D${String(i + 1).padStart(5, '0')}`,
      kind: 'booking',
      date: isoDate(below(next, 365)),
      amount: cents(100_000 + below(next, 2_000_000)), // 1,000.00 .. 20,999.99
      currency: 'EUR',
      owner: 'ae-01',
    });
  }
  const request = {
    plans: [plan],
    inputs: {
      payees: [{ id: 'ae-01', name: 'Olga Garcia', currency: 'EUR' }],
      assignments: [{ payee: 'ae-01', plan: 'ae-2027', from: '2027-01-01', target_incentive: '60000' }],
      transactions,
    },
  };
  const deals = [];
  for (let i = 0; i < SAMPLES + WARMUP; i++) {
    deals.push(JSON.stringify({
      id: 'WHATIF', kind: 'booking', date: isoDate(below(next, 365)),
      amount: cents(100_000 + below(next, 5_000_000)), currency: 'EUR', owner: 'ae-01',
    }));
  }
  return { text: JSON.stringify(request), deals };
}

// `--dump DIR` writes request.json and deals.jsonl (to time the same data natively).
const dump = process.argv.indexOf('--dump');
if (dump > 0) {
  const { text, deals } = makeRequest();
  const dir = process.argv[dump + 1];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'request.json'), text);
  writeFileSync(join(dir, 'deals.jsonl'), deals.join('\n') + '\n');
  console.log(`wrote ${dir}/request.json and ${dir}/deals.jsonl`);
  process.exit(0);
}

if (!existsSync(join(wasmDir, 'pkg-web', 'payplan_wasm.js'))) {
  console.error('bindings-wasm/pkg-web is missing: run bindings-wasm/build.sh first');
  process.exit(2);
}

const { text, deals } = makeRequest();
const server = await serve();
const browser = await launchChromium();
try {
  const { page } = await openPage(browser, server.origin);
  await page.goto(`${server.origin}/bindings-wasm/tests/browser/harness.html`);
  const version = await page.evaluate(() => window.ready);
  const r = await page.evaluate(({ text, deals, warmup }) => {
    const { Estimator } = window.payplan;
    const t0 = performance.now();
    const est = new Estimator(text);
    const setup = performance.now() - t0;
    const objects = deals.map((d) => JSON.parse(d));
    const times = [];
    const timesJson = [];
    let last;
    for (let i = 0; i < deals.length; i++) {
      const a = performance.now();
      last = est.estimate(objects[i]);
      const b = performance.now();
      est.estimateJson(deals[i]);
      const c = performance.now();
      if (i >= warmup) { times.push((b - a) * 1000); timesJson.push((c - b) * 1000); }
    }
    est.free();
    return { setup, times, timesJson, isolated: crossOriginIsolated, lines: last.lines.length, change: last.change };
  }, { text, deals, warmup: WARMUP });

  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { p10: q(0.1), median: q(0.5), p90: q(0.9) };
  };
  const fmt = ({ p10, median, p90 }) => `median ${median.toFixed(0)} µs, p10 ${p10.toFixed(0)} µs, p90 ${p90.toFixed(0)} µs`;
  const o = stats(r.times);
  console.log(`${version}, Chromium (${r.isolated ? 'cross-origin isolated' : 'coarse timer!'}), rep with ${DEALS} deals this year`);
  console.log(`new Estimator(request): ${r.setup.toFixed(1)} ms`);
  console.log(`Estimator.estimate(deal object), ${r.times.length} deals: ${fmt(o)} (goal: median ≤ 300 µs)`);
  console.log(`Estimator.estimateJson(deal text), ${r.timesJson.length} deals: ${fmt(stats(r.timesJson))}`);
  console.log(`last estimate: change ${r.change}, ${r.lines} changed lines`);
  console.log(o.median <= 300 ? 'goal met' : 'goal NOT met');
} finally {
  await browser.close();
  await server.close();
}
