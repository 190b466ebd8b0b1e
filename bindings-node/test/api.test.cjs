// The public API from a CommonJS consumer: require() and import give the same objects;
// plans from objects, JSON, YAML and files agree; a run takes arrays of objects; numbers
// given as JS numbers follow the float rule end to end; the Estimator holds one engine.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const payplan = require('..')

// A small request built here as JS objects (CASES.md 1: 5 % of three 10.05 bookings).
const plan = {
  payplan: 1,
  id: 'p',
  name: 'Flat 5 %',
  currency: 'EUR',
  calendar: { year: 2027, start_month: 1, period: 'month' },
  measures: [{ id: 'bookings' }],
  components: [{ id: 'commission', name: 'Commission', measure: 'bookings', mechanism: { type: 'rate', rate: '0.05' } }],
}
const planYaml = `payplan: 1
id: p
name: Flat 5 %
currency: EUR
calendar: { year: 2027, start_month: 1, period: month }
measures:
  - id: bookings
components:
  - id: commission
    name: Commission
    measure: bookings
    mechanism: { type: rate, rate: 0.05 }
`
const inputs = (amount) => ({
  payees: [{ id: 'A', name: 'Ana' }],
  assignments: [{ payee: 'A', plan: 'p', from: '2027-01-01' }],
  transactions: ['T1', 'T2', 'T3'].map((id, i) => ({ id, date: `2027-01-0${i + 5}`, amount, owner: 'A' })),
})

test('require() and import() give the very same objects', async () => {
  const esm = await import('../index.mjs')
  for (const key of Object.keys(payplan)) assert.equal(esm[key], payplan[key], key)
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(payplan).sort())
  assert.equal(esm.default, payplan)
  assert.match(payplan.ENGINE_VERSION, /^payplan-core \d+\.\d+\.\d+/)
})

test('plans from an object, JSON text, YAML text and a file are the same canonical plan', () => {
  const fromObject = payplan.planFromObject(plan)
  assert.ok(fromObject instanceof payplan.Plan)
  assert.equal(fromObject.id, 'p')
  assert.equal(fromObject.currency, 'EUR')
  assert.equal(payplan.planFromJson(JSON.stringify(plan)).json, fromObject.json)
  assert.equal(payplan.planFromYaml(planYaml).json, fromObject.json)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payplan-node-'))
  try {
    fs.writeFileSync(path.join(dir, 'p.yaml'), planYaml)
    fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify(plan))
    assert.equal(payplan.planFromFile(path.join(dir, 'p.yaml')).json, fromObject.json)
    assert.equal(payplan.planFromFile(path.join(dir, 'p.json')).json, fromObject.json)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  assert.deepEqual(fromObject.toObject(), JSON.parse(fromObject.json))
  assert.throws(() => new payplan.Plan('{}'), TypeError)
})

test('a run on arrays of objects: statements with lines and traces, decimals as strings', () => {
  const run = payplan.calculateSync({ plan, inputs: inputs('10.05') })
  assert.equal(run.engine, payplan.ENGINE_VERSION)
  assert.match(run.fingerprint, /^[0-9a-f]{64}$/)
  const st = run.statements.find((s) => s.payee === 'A' && s.period === '2027-01')
  assert.ok(st, 'a January statement for A')
  assert.equal(st.currency, 'EUR')
  const line = st.lines.find((l) => l.id === 'commission')
  assert.equal(line.amount, '1.51') // 30.15 × 5 % = 1.5075, rounded once per line
  assert.equal(typeof line.explanation, 'string')
  assert.ok(line.trace.length > 0)
  assert.equal(typeof st.net_payable, 'string')
})

test('a Plan object inside a request runs like the plan it came from', () => {
  const a = payplan.calculateSync({ plan, inputs: inputs('10.05') })
  const b = payplan.calculateSync({ plans: [payplan.planFromYaml(planYaml)], inputs: inputs('10.05') })
  assert.deepEqual(b.statements, a.statements)
  assert.deepEqual(b.totals, a.totals)
})

test('JS numbers follow the float rule: 10.05 reads as "10.05"; strict rejects it', () => {
  const asStrings = payplan.calculateSync({ plan, inputs: inputs('10.05') })
  const asNumbers = payplan.calculateSync({ plan, inputs: inputs(10.05) })
  assert.deepEqual(asNumbers.statements, asStrings.statements)
  assert.throws(
    () => payplan.calculateSync({ plan, inputs: inputs(10.05) }, { strict: true }),
    (e) => e instanceof payplan.InputError && e.code === 'float_input' && e.path === 'inputs.transactions[0].amount'
  )
  const asBigint = payplan.calculateSync({ plan, inputs: inputs(10n) }, { strict: true })
  const asInteger = payplan.calculateSync({ plan, inputs: inputs(10) }, { strict: true })
  assert.deepEqual(asBigint.statements, asInteger.statements)
})

test('sync and async agree, and async runs in parallel without mixing results', async () => {
  const requests = ['10.05', '20.10', '0.01', '123456.78'].map((a) => ({ plan, inputs: inputs(a) }))
  const sync = requests.map((r) => payplan.calculateSync(r))
  const all = await Promise.all(requests.concat(requests).map((r) => payplan.calculate(r)))
  assert.deepEqual(all, sync.concat(sync))
  const text = payplan.toJsonText(requests[0])
  assert.equal(await payplan.calculateJson(text), payplan.calculateJsonSync(text))
})

test('the Estimator holds one prepared engine: what-ifs, sync and async, agree with estimate()', async () => {
  const request = { plan, inputs: inputs('10.05') }
  const deal = { id: 'WHATIF', date: '2027-01-20', amount: '100.00', owner: 'A' }
  const est = new payplan.Estimator(request)
  const once = payplan.estimateSync(request, deal)
  assert.equal(once.deal, 'WHATIF')
  assert.equal(typeof once.change, 'string')
  assert.deepEqual(est.estimateSync(deal), once)
  assert.deepEqual(await est.estimate(deal), once)
  assert.deepEqual(await payplan.estimate(request, deal), once)
  const prepared = await payplan.Estimator.create(request)
  assert.deepEqual(await Promise.all([prepared.estimate(deal), prepared.estimate(deal)]), [once, once])
  assert.deepEqual(est.calculateSync(), payplan.calculateSync(request))
  // what-ifs do not change the prepared request
  assert.deepEqual(await est.calculate(), payplan.calculateSync(request))
})

test('payout curve points come from the engine as decimal strings', () => {
  const curvePlan = payplan.planFromObject({
    ...plan,
    components: [{ id: 'c', measure: 'bookings', mechanism: { type: 'rate', rate: '0.05' } }],
  })
  const points = curvePlan.payoutCurve('c', { from: '0', to: '1', step: '0.5' })
  assert.ok(Array.isArray(points) && points.length > 0)
  for (const p of points) {
    assert.equal(typeof p.attainment, 'string')
    assert.equal(typeof p.payout, 'string')
  }
})

test('calculate() leaves the event loop free while the engine works', async () => {
  const payees = []
  const assignments = []
  const transactions = []
  for (let i = 0; i < 50; i++) {
    payees.push({ id: `P${i}` })
    assignments.push({ payee: `P${i}`, plan: 'p', from: '2027-01-01' })
  }
  for (let i = 0; i < 20000; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0')
    transactions.push({ id: `T${i}`, date: `2027-${month}-15`, amount: `${(i % 997) + 1}.25`, owner: `P${i % 50}` })
  }
  const text = payplan.toJsonText({ plan, inputs: { payees, assignments, transactions } })
  let settled = false
  let turns = 0
  const pending = payplan.calculateJson(text).then((out) => {
    settled = true
    return out
  })
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve))
    turns++
  }
  const out = await pending
  assert.equal(out, payplan.calculateJsonSync(text))
  assert.ok(turns > 3, `the event loop turned ${turns} times while the run was computed`)
})
