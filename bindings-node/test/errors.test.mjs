// Error mapping: every core error reaches JS as a PayplanError subclass with the core's
// code, category, path and problems; async calls reject with the same error.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as payplan from '../index.mjs'

const { PayplanError, PlanError, InputError, CalculationError } = payplan

function isSyntax(err) {
  assert.ok(err instanceof InputError, `got ${err && err.stack}`)
  assert.ok(err instanceof PayplanError)
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'InputError')
  assert.equal(err.code, 'syntax')
  assert.equal(err.category, 'input')
  assert.equal(typeof err.path, 'string')
  assert.equal(typeof err.message, 'string')
  assert.ok(err.message.length > 0)
  assert.ok(Array.isArray(err.problems) && err.problems.length >= 1)
  for (const p of err.problems) assert.deepEqual(Object.keys(p), ['code', 'path', 'message'])
  assert.deepEqual(Object.keys(err.toJSON()), ['code', 'category', 'path', 'message', 'problems'])
  assert.match(err.stack, /InputError/)
  assert.deepEqual(JSON.parse(err.json), err.toJSON())
  assert.ok(err.json.endsWith('}\n'))
  return true
}

test('malformed request JSON is an InputError with code syntax (sync and async)', async () => {
  assert.throws(() => payplan.calculateJsonSync('{'), isSyntax)
  await assert.rejects(payplan.calculateJson('{'), isSyntax)
  assert.throws(() => payplan.estimateJsonSync('{', '{}'), isSyntax)
  await assert.rejects(payplan.estimateJson('{', '{}'), isSyntax)
})

test('malformed plans and YAML are errors with code syntax', () => {
  assert.throws(() => payplan.planFromJson('{"payplan": 1,'), isSyntax)
  assert.throws(() => payplan.planFromYaml('payplan: [1,\n'), isSyntax)
  assert.throws(() => payplan.yamlToJson('a: [\n'), isSyntax)
})

test('preparing an Estimator on bad JSON throws, and Estimator.create rejects', async () => {
  assert.throws(() => new payplan.Estimator('{'), isSyntax)
  await assert.rejects(payplan.Estimator.create('{'), isSyntax)
})

test('an error found in the JS value rejects the promise (never throws synchronously)', async () => {
  const p = payplan.calculate({ inputs: { transactions: [{ amount: NaN }] } })
  assert.ok(p instanceof Promise)
  await assert.rejects(p, (err) => err instanceof InputError && err.code === 'non_finite_number' && err.path === 'inputs.transactions[0].amount')
  await assert.rejects(payplan.estimate({}, { amount: 0.5 }, { strict: true }), (err) => err.code === 'float_input' && err.path === 'deal.amount')
})

test('wrong argument types are InputErrors, not crashes', async () => {
  assert.throws(() => payplan.calculateJsonSync(42), (e) => e instanceof InputError && e.code === 'unsupported_type')
  assert.throws(() => payplan.calculateSync(null), (e) => e instanceof InputError)
  assert.throws(() => payplan.calculateSync([]), (e) => e instanceof InputError)
  await assert.rejects(payplan.calculateJson(undefined), (e) => e instanceof InputError)
})

test('error categories map to subclasses', () => {
  // The vector corpus checks real codes; here the mapping itself on every category.
  const cats = { plan: PlanError, input: InputError, calculation: CalculationError }
  for (const [category, Cls] of Object.entries(cats)) {
    const e = new Cls({ code: 'x', category, path: 'p', message: 'm', problems: [] })
    assert.ok(e instanceof PayplanError)
    assert.equal(e.name, Cls.name)
  }
})

test('a plan error from the core is a PlanError naming the path inside the plan', () => {
  // Tiers whose from values are not increasing (CASES.md, bad input).
  const plan = {
    payplan: 1, id: 'p', currency: 'EUR', calendar: { year: 2027, period: 'quarter' },
    measures: [{ id: 'bookings' }],
    quotas: [{ measure: 'bookings', per_period: '100000' }],
    components: [{ id: 'c', measure: 'bookings', mechanism: { type: 'rate_table', basis: 'attainment', method: 'marginal',
      tiers: [{ from: '0', rate: '0.1' }, { from: '1.2', rate: '0.2' }, { from: '1', rate: '0.15' }] } }],
  }
  assert.throws(() => payplan.planFromObject(plan), (err) => {
    assert.ok(err instanceof PlanError, `got ${err && err.stack}`)
    assert.equal(err.category, 'plan')
    assert.equal(err.code, 'tiers_out_of_order')
    assert.match(err.path, /components\[0\]\.mechanism\.tiers\[2\]\.from$/)
    assert.ok(err.problems.some((p) => p.code === 'tiers_out_of_order'))
    return true
  })
})
