// The JS API of the nodejs build: values in (the float rule, strict mode, bigint, toJSON),
// values out (objects with decimal strings), errors (.code/.category/.path/.problems),
// and the prepared Estimator. Hand-worked numbers from CASES.md case 1 and 6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { wasmDir } from './helpers.mjs';

const require = createRequire(import.meta.url);
const payplan = require(`${wasmDir}/pkg-node/payplan_wasm.js`);

const plan = {
  payplan: 1,
  id: 'p',
  currency: 'EUR',
  calendar: { year: 2027, period: 'month' },
  measures: [{ id: 'bookings' }],
  components: [{ id: 'commission', measure: 'bookings', mechanism: { type: 'rate', rate: '0.05' } }],
};

/** CASES.md case 1: three bookings of 10.05 at 5 %, rounded once per line → 1.51. */
function request(amount = '10.05') {
  return {
    plan,
    inputs: {
      payees: [{ id: 'A', name: 'Ana' }, { id: 'B', name: 'Ben' }],
      assignments: [{ payee: 'A', plan: 'p' }, { payee: 'B', plan: 'p' }],
      transactions: [1, 2, 3].map((i) => ({ id: `T${i}`, date: `2027-01-0${i + 4}`, amount, owner: 'A' })),
    },
  };
}

const deal = {
  id: 'WHATIF',
  date: '2027-01-25',
  amount: '100.01',
  splits: [{ payee: 'A', share: '0.5' }, { payee: 'B', share: '0.5' }],
};

function line(out, payee, period, id) {
  const s = out.statements.find((x) => x.payee === payee && x.period === period);
  assert.ok(s, `statement ${payee} ${period}`);
  const l = s.lines.find((x) => x.id === id);
  assert.ok(l, `line ${id}`);
  return l;
}

/** Outputs minus the fingerprint (a hash of the request as given). */
function body(out) {
  const { fingerprint, ...rest } = out;
  return rest;
}

test('version names the core', () => {
  assert.match(payplan.version(), /^payplan-core \d+\.\d+\.\d+/);
});

test('errors are Errors with code, category, path and problems', () => {
  assert.throws(
    () => payplan.calculateJson('{'),
    (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'InputError');
      assert.equal(e.code, 'syntax');
      assert.equal(e.category, 'input');
      assert.equal(typeof e.path, 'string');
      assert.ok(Array.isArray(e.problems) && e.problems.length === 1);
      assert.deepEqual(Object.keys(e.problems[0]), ['code', 'path', 'message']);
      assert.ok(e.message.length > 0);
      return true;
    },
  );
});

test('strict mode rejects a JS float, naming where it is', () => {
  const r = request();
  r.inputs.transactions[1].amount = 10.05;
  assert.throws(
    () => payplan.calculate(r, { strict: true }),
    (e) => e.code === 'float_input' && e.path === 'inputs.transactions[1].amount' && e.category === 'input',
  );
  assert.throws(
    () => payplan.estimate(request(), { ...deal, amount: 100.01 }, { strict: true }),
    (e) => e.code === 'float_input' && e.path === 'deal.amount',
  );
});

test('a JS Date is refused: dates are YYYY-MM-DD strings', () => {
  const r = request();
  r.inputs.transactions[0].date = new Date('2027-01-05');
  assert.throws(
    () => payplan.calculate(r),
    (e) => e.name === 'InputError' && e.code === 'unsupported_type' && e.path === 'inputs.transactions[0].date',
  );
});

test('NaN and Infinity are refused; so are Maps, functions and non-object requests', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const r = request();
    r.inputs.transactions[0].amount = bad;
    assert.throws(() => payplan.calculate(r), (e) => e.code === 'non_finite_number' && e.path === 'inputs.transactions[0].amount');
  }
  const r = request();
  r.inputs.payees[0].attributes = new Map([['region', 'emea']]);
  assert.throws(() => payplan.calculate(r), (e) => e.code === 'unsupported_type' && e.path === 'inputs.payees[0].attributes');
  assert.throws(() => payplan.calculate([request()]), (e) => e.code === 'unsupported_type' && e.path === '');
  assert.throws(() => payplan.estimate(request(), 42), (e) => e.code === 'unsupported_type' && e.path === 'deal');
  delete r.inputs.payees[0].attributes;
  r.inputs.transactions[0].amount = Symbol('x');
  assert.throws(() => payplan.calculate(r), (e) => e.code === 'unsupported_type' && e.path === 'inputs.transactions[0].amount');
});

test('calculate returns the canonical output as an object (hand-worked: 1.51)', () => {
  const out = payplan.calculate(request());
  assert.equal(line(out, 'A', '2027-01', 'commission').amount, '1.51');
  assert.deepEqual(out, JSON.parse(payplan.calculateJson(JSON.stringify(request()))));
  // JSON text is accepted as well as an object.
  assert.deepEqual(payplan.calculate(JSON.stringify(request())), out);
});

test('a JS number is read through String(x); strict integers are fine', () => {
  const asText = payplan.calculate(request('10.05'));
  const asNumber = payplan.calculate(request(10.05));
  assert.deepEqual(body(asNumber), body(asText));
  // 0.1 + 0.2 is the double 0.30000000000000004, and String() says so: read exactly that.
  assert.deepEqual(body(payplan.calculate(request(0.1 + 0.2))), body(payplan.calculate(request('0.30000000000000004'))));
  // Safe integers are exact in a double: allowed in strict mode (payplan: 1, year: 2027, 10).
  assert.deepEqual(body(payplan.calculate(request(10), { strict: true })), body(payplan.calculate(request('10'))));
});

test('bigint and toJSON() (decimal.js, big.js) are read exactly', () => {
  const text = body(payplan.calculate(request('123456789012345678901')));
  assert.deepEqual(body(payplan.calculate(request(123456789012345678901n), { strict: true })), text);
  const decimalLike = { toJSON: () => '10.05' };
  assert.deepEqual(body(payplan.calculate(request(decimalLike), { strict: true })), body(payplan.calculate(request())));
});

test('estimate: a split deal (hand-worked: 5.00 each)', () => {
  const est = payplan.estimate(request(), deal);
  assert.equal(est.deal, 'WHATIF');
  const a = est.lines.find((l) => l.payee === 'A' && l.id === 'commission');
  const b = est.lines.find((l) => l.payee === 'B' && l.id === 'commission');
  // A: 30.15 + 50.005 = 80.155 × 5 % = 4.00775 → 4.01, before 1.51: +2.50. B: 50.005 × 5 % → 2.50.
  assert.equal(a.before, '1.51');
  assert.equal(a.after, '4.01');
  assert.equal(a.change, '2.50');
  assert.equal(b.change, '2.50');
  assert.equal(est.change, '5.00');
  assert.deepEqual(est, JSON.parse(payplan.estimateJson(JSON.stringify(request()), JSON.stringify(deal))));
});

test('Estimator: prepared once, asked many times, same answers as estimate()', () => {
  const est = new payplan.Estimator(request());
  try {
    const once = payplan.estimate(request(), deal);
    assert.deepEqual(est.estimate(deal), once);
    assert.deepEqual(est.estimate(JSON.stringify(deal)), once);
    assert.equal(est.estimateJson(JSON.stringify(deal)), payplan.estimateJson(JSON.stringify(request()), JSON.stringify(deal)));
    assert.equal(est.runJson(), payplan.calculateJson(JSON.stringify(request())));
    assert.deepEqual(est.run(), payplan.calculate(request()));
  } finally {
    est.free();
  }
  const strict = new payplan.Estimator(request(), { strict: true });
  try {
    assert.throws(() => strict.estimate({ ...deal, amount: 100.01 }), (e) => e.code === 'float_input' && e.path === 'deal.amount');
  } finally {
    strict.free();
  }
});

test('Estimator refuses a bad request with a PayplanError', () => {
  assert.throws(() => new payplan.Estimator('{"plans": ['), (e) => e.name === 'InputError' && e.code === 'syntax');
});

test('parsePlan returns the canonical plan; a bad plan lists every problem', () => {
  const canonical = payplan.parsePlan(plan);
  assert.equal(canonical.id, 'p');
  assert.deepEqual(payplan.parsePlan(JSON.stringify(plan)), canonical);
  assert.equal(payplan.validatePlanJson(JSON.stringify(plan)), payplan.validatePlanJson(JSON.stringify(canonical)));
  const bad = { ...plan, payplan: 2, components: [{ ...plan.components[0], measure: 'nope' }] };
  assert.throws(
    () => payplan.parsePlan(bad),
    (e) => e.name === 'PlanError' && e.category === 'plan' && e.problems.length >= 2,
  );
});

test('payoutCurve samples the engine (hand-worked: CASES.md case 4)', () => {
  const curvePlan = {
    payplan: 1, id: 'c', currency: 'EUR', calendar: { year: 2027, period: 'quarter' },
    measures: [{ id: 'bookings' }],
    quotas: [{ measure: 'bookings', annual: '400000' }],
    components: [{
      id: 'inc', measure: 'bookings',
      mechanism: { type: 'curve', max_payout: '2',
        points: [{ attainment: '0.5', payout: '0.25' }, { attainment: '1', payout: '1' }, { attainment: '1.5', payout: '2' }] },
    }],
  };
  const points = payplan.payoutCurve(curvePlan, 'inc', '0.4', '1.9', '0.05');
  const at = (a) => {
    const p = points.find((x) => Number(x.attainment) === a);
    assert.ok(p, `no point at ${a}`);
    return Number(p.payout);
  };
  assert.equal(at(0.45), 0);
  assert.equal(at(0.8), 0.7);
  assert.equal(at(1.3), 1.6);
  assert.equal(at(1.8), 2);
  for (const p of points) assert.equal(typeof p.payout, 'string');
  assert.throws(() => payplan.payoutCurve(curvePlan, 'nope', '0', '1', '0.5'), (e) => e.name === 'InputError' && typeof e.code === 'string');
});
