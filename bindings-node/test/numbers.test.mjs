// The number rules of the JS layer (DESIGN.md, "Numbers and determinism"): decimals as
// strings are exact, bigint is exact, a JS number goes through its shortest round-trip text
// String(x) (or is rejected with { strict: true }), NaN/Infinity never pass.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { toJsonText, InputError, PayplanError } from '../index.mjs'

const text = (v, o) => toJsonText(v, o)

function rejects(fn, code, path) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof InputError && err instanceof PayplanError && err instanceof Error)
    assert.equal(err.code, code)
    assert.equal(err.category, 'input')
    assert.equal(err.path, path)
    assert.equal(err.problems.length, 1)
    assert.equal(err.problems[0].code, code)
    assert.equal(err.problems[0].path, path)
    return true
  })
}

test('decimal strings are written as they are', () => {
  assert.equal(text({ amount: '10.10', rate: '0.050', big: '79228162514264337593543950335' }),
    '{"amount":"10.10","rate":"0.050","big":"79228162514264337593543950335"}')
})

test('bigint is written as its exact digits', () => {
  assert.equal(text({ a: 12345678901234567890123456789n, b: -5n, c: 0n }), '{"a":12345678901234567890123456789,"b":-5,"c":0}')
  assert.equal(text({ a: 2n ** 64n }, { strict: true }), '{"a":18446744073709551616}')
})

test('integer numbers are written as integers', () => {
  assert.equal(text({ payplan: 1, year: 2027, neg: -40000, zero: 0, negzero: -0 }), '{"payplan":1,"year":2027,"neg":-40000,"zero":0,"negzero":0}')
  assert.equal(text({ n: Number.MAX_SAFE_INTEGER }, { strict: true }), '{"n":9007199254740991}')
})

test('a non-integer number is written as String(x), its shortest round-trip text', () => {
  assert.equal(text([0.1, 10.05, 0.1 + 0.2, 1e-7, 123.456, -2.5]), '[0.1,10.05,0.30000000000000004,1e-7,123.456,-2.5]')
  assert.equal(text([1e21, 2 ** 53 + 2]), '[1e+21,9007199254740994]')
})

test('String(x) and JSON.stringify(x) agree on every finite double (the rule is the same text)', () => {
  // A fixed pseudo-random sample of bit patterns (xorshift, seeded) plus edge values.
  let s = 0x9e3779b9
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0)
  const view = new DataView(new ArrayBuffer(8))
  const values = [Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON, 5e-324, 1 / 3, 2 / 3]
  for (let i = 0; i < 20000; i++) {
    view.setUint32(0, next())
    view.setUint32(4, next())
    values.push(view.getFloat64(0))
  }
  let checked = 0
  for (const x of values) {
    if (!Number.isFinite(x)) continue
    assert.equal(text(x), String(x))
    assert.equal(text(x), JSON.stringify(x))
    assert.equal(Number(text(x)), x, 'round trip')
    checked++
  }
  assert.ok(checked > 19000)
})

test('strict input rejects binary floats and unsafe integers, naming where', () => {
  rejects(() => text({ inputs: { transactions: [{ amount: 10.05 }] } }, { strict: true }), 'float_input', 'inputs.transactions[0].amount')
  rejects(() => text({ a: [1, 2 ** 53] }, { strict: true }), 'float_input', 'a[1]')
  assert.equal(text({ a: [1, '10.05', 3n] }, { strict: true }), '{"a":[1,"10.05",3]}')
})

test('NaN and Infinity are rejected, strict or not', () => {
  rejects(() => text({ plans: [{ components: [{ rate: NaN }] }] }), 'non_finite_number', 'plans[0].components[0].rate')
  rejects(() => text({ x: Infinity }), 'non_finite_number', 'x')
  rejects(() => text({ x: -Infinity }, { strict: true }), 'non_finite_number', 'x')
})

test('Dates, functions, symbols, Maps and cycles are rejected', () => {
  rejects(() => text({ inputs: { transactions: [{ date: new Date('2027-01-05') }] } }), 'unsupported_type', 'inputs.transactions[0].date')
  rejects(() => text({ f() {} }), 'unsupported_type', 'f')
  rejects(() => text({ s: Symbol('x') }), 'unsupported_type', 's')
  rejects(() => text({ m: new Map() }), 'unsupported_type', 'm')
  const loop = { a: {} }
  loop.a.back = loop
  rejects(() => text(loop), 'unsupported_type', 'a.back')
})

test('objects with toJSON (decimal libraries) are written as what toJSON returns', () => {
  class Dec {
    constructor(s) { this.s = s }
    toJSON() { return this.s }
  }
  assert.equal(text({ amount: new Dec('1234.5600') }), '{"amount":"1234.5600"}')
})

test('undefined members are left out, strings are escaped like JSON.stringify', () => {
  assert.equal(text({ a: undefined, b: 1, c: [undefined] }), '{"b":1,"c":[null]}')
  const s = 'quote " backslash \\ newline \n unicode é ☃ \u2028'
  assert.equal(text({ s }), JSON.stringify({ s }))
})

test('the same shape JSON.stringify gives, for plain data', () => {
  const v = { plans: [{ id: 'p', payplan: 1, tiers: [{ from: '0', rate: '0.1' }] }], inputs: { payees: [{ id: 'A', attributes: { region: 'emea', vip: true, parent: null } }] } }
  assert.equal(text(v), JSON.stringify(v))
})

test('bigints anywhere, and strings that look like internal marks, come through intact', () => {
  const v = { a: [1n, { b: -2n, c: ['x', 3n] }], s: '\u0000payplan1n1r0:0', t: '"\\u0000"', n: 4n }
  assert.equal(text(v), '{"a":[1,{"b":-2,"c":["x",3]}],"s":"\\u0000payplan1n1r0:0","t":"\\"\\\\u0000\\"","n":4}')
  assert.equal(text(10n ** 40n), '10000000000000000000000000000000000000000')
})

test('a request of 100,000 transactions converts in well under a few seconds', () => {
  const transactions = []
  for (let i = 0; i < 100000; i++) {
    transactions.push({ id: `T${i}`, date: '2027-01-15', amount: `${(i % 997) + 1}.25`, owner: `P${i % 100}`, quantity: i % 7 })
  }
  const start = process.hrtime.bigint()
  const out = text({ inputs: { transactions } })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  assert.equal(out, JSON.stringify({ inputs: { transactions } }))
  assert.ok(ms < 5000, `${ms} ms`)
})
