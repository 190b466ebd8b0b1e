// Every conformance vector through the Node binding: output bytes identical to Rust's
// (expected.json / estimate.json), errors with the same code and path (error.json), and the
// sync, async, object and prepared-Estimator paths all agreeing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as payplan from '../index.mjs'
import { vectorCases, vectorFile, vectorsDir, numbersSurviveParse } from './support.mjs'

const cases = vectorCases()

test('the conformance corpus is there', () => {
  assert.ok(cases.length > 0, `no vector case found in ${vectorsDir}`)
})

function errorCheck(want) {
  return (err) => {
    assert.ok(err instanceof payplan.PayplanError, `expected a PayplanError, got ${err && err.stack}`)
    assert.equal(err.code, want.code, `code (message: ${err.message})`)
    if (want.path !== null) assert.equal(err.path, want.path, `path (message: ${err.message})`)
    return true
  }
}

for (const name of cases) {
  test(`vector ${name}`, async (t) => {
    const request = vectorFile(name, 'request.json')
    const errorJson = vectorFile(name, 'error.json')
    const lossless = numbersSurviveParse(request)
    const skipObject = lossless ? false : 'request.json has number text a JS number cannot hold'

    if (errorJson !== null) {
      const check = errorCheck(JSON.parse(errorJson))
      await t.test('calculateJsonSync throws the error', () => {
        assert.throws(() => payplan.calculateJsonSync(request), check)
      })
      await t.test('calculateJson rejects with the same error', async () => {
        await assert.rejects(payplan.calculateJson(request), check)
      })
      if (name !== 'err-json-syntax') {
        await t.test('object path throws the same error', { skip: skipObject }, async () => {
          const obj = JSON.parse(request)
          assert.throws(() => payplan.calculateSync(obj), check)
          await assert.rejects(payplan.calculate(obj), check)
        })
      }
      return
    }

    const expected = vectorFile(name, 'expected.json')
    assert.ok(expected !== null, `${name}/expected.json is missing: bless the case with the Rust runner`)

    await t.test('calculateJsonSync is byte-identical', () => {
      assert.equal(payplan.calculateJsonSync(request), expected)
    })
    await t.test('calculateJson (async) is byte-identical', async () => {
      assert.equal(await payplan.calculateJson(request), expected)
    })
    await t.test('Estimator (prepared engine) run is byte-identical, sync and async', async () => {
      const est = new payplan.Estimator(request)
      assert.equal(est.calculateJsonSync(), expected)
      assert.equal(await est.calculateJson(), expected)
    })
    await t.test('object path: same bytes sent, same run', { skip: skipObject }, async () => {
      const obj = JSON.parse(request)
      assert.equal(payplan.calculateJsonSync(payplan.toJsonText(obj)), expected)
      const want = JSON.parse(expected)
      assert.deepEqual(payplan.calculateSync(obj), want)
      assert.deepEqual(await payplan.calculate(obj), want)
    })

    const deal = vectorFile(name, 'deal.json')
    if (deal === null) return
    const estimate = vectorFile(name, 'estimate.json')
    assert.ok(estimate !== null, `${name}/estimate.json is missing: bless the case with the Rust runner`)
    await t.test('estimate: sync, async and Estimator byte-identical', async () => {
      assert.equal(payplan.estimateJsonSync(request, deal), estimate)
      assert.equal(await payplan.estimateJson(request, deal), estimate)
      const est = new payplan.Estimator(request)
      assert.equal(est.estimateJsonSync(deal), estimate)
      assert.equal(await est.estimateJson(deal), estimate)
      const prepared = await payplan.Estimator.create(request)
      assert.equal(await prepared.estimateJson(deal), estimate)
    })
    await t.test('estimate: object path', { skip: skipObject || (numbersSurviveParse(deal) ? false : 'deal.json numbers') }, async () => {
      const obj = JSON.parse(request)
      const d = JSON.parse(deal)
      const want = JSON.parse(estimate)
      assert.equal(payplan.estimateJsonSync(payplan.toJsonText(obj), payplan.toJsonText(d)), estimate)
      assert.deepEqual(payplan.estimateSync(obj, d), want)
      assert.deepEqual(await payplan.estimate(obj, d), want)
      const est = new payplan.Estimator(obj)
      assert.deepEqual(est.estimateSync(d), want)
      assert.deepEqual(await est.estimate(d), want)
    })
  })
}
