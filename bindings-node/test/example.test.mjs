// The typed CRM example (examples/node/opportunity-updated.mts): it type-checks with
// `tsc --noEmit`, compiles, runs on the example company, and prints the engine's what-if.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import * as payplan from '../index.mjs'
import { repo, companyDir } from './support.mjs'

const pkg = path.resolve(repo, 'bindings-node')
const tsc = path.join(pkg, 'node_modules/typescript/bin/tsc')
const project = path.join(repo, 'examples/node/tsconfig.json')
const compiled = path.join(pkg, 'build/examples/opportunity-updated.mjs')
const eventFile = path.join(repo, 'examples/node/events/opportunity-updated.json')

function runTsc(...args) {
  const r = spawnSync(process.execPath, [tsc, '-p', project, ...args], { encoding: 'utf8' })
  assert.equal(r.status, 0, `tsc ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`)
}

test('the example type-checks (tsc --noEmit) against index.d.mts', () => {
  runTsc('--noEmit')
})

test('the example type-check is real: a wrong type in a request fails tsc', () => {
  fs.mkdirSync(path.join(pkg, 'build'), { recursive: true })
  const dir = fs.mkdtempSync(path.join(pkg, 'build', 'typecheck-'))
  try {
    fs.writeFileSync(path.join(dir, 'bad.mts'),
      "import { calculateSync } from 'payplan'\n" +
      "calculateSync({ inputs: { transactions: [{ id: 'T1', date: '2027-01-01', amount: true }] } })\n")
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [],
        paths: { payplan: [path.join(pkg, 'index.d.mts')] } },
      files: ['bad.mts'],
    }))
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' })
    assert.notEqual(r.status, 0, 'tsc accepted a boolean amount')
    assert.match(r.stdout, /TS2322: Type '(true|boolean)' is not assignable to type 'DecimalInput/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the example prints the owner\'s payout change from the engine\'s what-if', async (t) => {
  assert.ok(fs.existsSync(path.join(companyDir, 'plans')), `example company missing at ${companyDir}`)
  runTsc() // emits build/examples/opportunity-updated.mjs
  const out = execFileSync(process.execPath, [compiled, eventFile, '--company', companyDir], { encoding: 'utf8' })
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'))
  const owner = event.opportunity.owner

  // The same what-if computed here directly from the company files.
  const tables = ['payees', 'assignments', 'transactions', 'quotas', 'fx_rates', 'payments', 'adjustments']
  const inputs = {}
  for (const t of tables) {
    const f = path.join(companyDir, `${t}.csv`)
    if (fs.existsSync(f)) inputs[t] = { csv: fs.readFileSync(f, 'utf8'), name: `${t}.csv` }
  }
  const plans = fs.readdirSync(path.join(companyDir, 'plans')).filter((f) => /\.ya?ml$/.test(f)).sort()
    .map((f) => payplan.planFromFile(path.join(companyDir, 'plans', f)))
  const request = { plans, inputs }
  const opts = path.join(companyDir, 'options.json')
  if (fs.existsSync(opts)) request.options = JSON.parse(fs.readFileSync(opts, 'utf8'))
  const opp = event.opportunity
  const estimate = payplan.estimateSync(request, {
    id: opp.id, kind: 'booking', date: opp.close_date, amount: opp.amount, currency: opp.currency, owner: opp.owner,
    attributes: { segment: opp.segment, new_logo: opp.new_logo ? 'yes' : 'no', product: opp.product },
  })
  const mine = estimate.lines.filter((l) => l.payee === owner)
  assert.ok(mine.length > 0, 'the deal changes at least one of the owner\'s lines')

  const said = [...out.matchAll(/^This deal (adds|takes) (\S+) (\S+) (?:to|from) your (\S+) payout, because (.+)\.$/gm)]
  assert.equal(said.length, mine.length, out)
  const me = estimate.payees.find((p) => p.payee === owner)
  const run = payplan.calculateSync(request)
  const currency = run.statements.find((s) => s.payee === owner).currency
  assert.equal(me.currency, currency)
  said.forEach((m, i) => {
    const line = mine[i]
    assert.equal(m[2], currency)
    assert.equal(m[1] === 'takes' ? `-${m[3]}` : m[3], line.change)
    assert.equal(m[4], line.period)
    const because = line.explanation.trim().replace(/[.]+$/, '')
    assert.equal(m[5], because.charAt(0).toLowerCase() + because.slice(1))
  })
  assert.ok(out.includes(`${currency} ${me.before} before, ${currency} ${me.after} after (change ${me.change})`), out)
  for (const l of out.trimEnd().split('\n')) t.diagnostic(`example: ${l}`)
})
