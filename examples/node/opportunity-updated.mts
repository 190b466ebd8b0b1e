// A CRM hook: when an opportunity is updated to closed-won, tell its owner what the deal
// does to their commission statement, with the engine's own explanation.
//
//   node opportunity-updated.mjs <event.json | -> [--company <dir>]
//
// The company (plans/*.yaml plus CSV tables) is prepared once into an `Estimator` — in a
// serverless function that happens at cold start — and every event is one what-if
// (`estimate`) on it, computed off the event loop. No number is computed here: amounts,
// periods and explanations all come from payplan.

import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  Estimator,
  PayplanError,
  planFromYaml,
  type Estimate,
  type EstimateLine,
  type Inputs,
  type Request,
  type TransactionInput,
} from 'payplan'

/** The event a CRM (Salesforce, HubSpot, Pipedrive…) sends when an opportunity changes. */
export interface OpportunityUpdated {
  type: 'opportunity.updated'
  occurred_at?: string
  opportunity: {
    id: string
    name?: string
    /** The payee id of the opportunity owner. */
    owner: string
    stage: string
    /** `YYYY-MM-DD` */
    close_date: string
    /** A decimal string, as CRMs export currency fields. */
    amount: string
    currency: string
    segment?: string
    new_logo?: boolean
    product?: string
  }
  previous?: { stage?: string }
}

const WON = 'closed_won'
const TABLES = ['payees', 'assignments', 'transactions', 'quotas', 'fx_rates', 'payments', 'adjustments'] as const

/** The example company as a payplan request: YAML plans, CSV tables given as CSV text. */
export function loadCompany(dir: string): Request {
  const plans = readdirSync(join(dir, 'plans'))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => planFromYaml(readFileSync(join(dir, 'plans', f), 'utf8')))
  const inputs: Inputs = {}
  for (const table of TABLES) {
    const file = `${table}.csv`
    const path = join(dir, file)
    if (existsSync(path)) inputs[table] = { csv: readFileSync(path, 'utf8'), name: file }
  }
  const optionsPath = join(dir, 'options.json')
  const request: Request = { plans, inputs }
  if (existsSync(optionsPath)) request.options = JSON.parse(readFileSync(optionsPath, 'utf8'))
  return request
}

/** The booking a closed-won opportunity becomes; `null` when this update books nothing. */
export function dealFromEvent(event: OpportunityUpdated): TransactionInput | null {
  const opp = event.opportunity
  if (opp.stage !== WON || event.previous?.stage === WON) return null
  const attributes: Record<string, string> = {}
  if (opp.segment !== undefined) attributes.segment = opp.segment
  if (opp.new_logo !== undefined) attributes.new_logo = opp.new_logo ? 'yes' : 'no'
  if (opp.product !== undefined) attributes.product = opp.product
  return {
    id: opp.id,
    kind: 'booking',
    date: opp.close_date,
    amount: opp.amount,
    currency: opp.currency,
    owner: opp.owner,
    attributes,
  }
}

function sentence(text: string): string {
  const t = text.trim().replace(/[.]+$/, '')
  return t.charAt(0).toLowerCase() + t.slice(1)
}

function signed(change: string): { verb: string; preposition: string; amount: string } {
  return change.startsWith('-')
    ? { verb: 'takes', preposition: 'from', amount: change.slice(1) }
    : { verb: 'adds', preposition: 'to', amount: change }
}

/** What the owner reads: one sentence per statement line the deal changes, with its trace. */
export function describe(estimate: Estimate, owner: string): string[] {
  const out: string[] = []
  const me = estimate.payees.find((p) => p.payee === owner)
  if (!me) return ['This deal does not change your payout.']
  const currency = me.currency
  const lines: EstimateLine[] = estimate.lines.filter((l) => l.payee === owner)
  for (const line of lines) {
    const s = signed(line.change)
    out.push(
      `This deal ${s.verb} ${currency} ${s.amount} ${s.preposition} your ${line.period} payout, ` +
        `because ${sentence(line.explanation)}.`
    )
    for (const step of line.trace) {
      out.push(`    ${step.step}: ${step.detail} = ${step.value}`)
    }
  }
  out.push(`Your statements: ${currency} ${me.before} before, ${currency} ${me.after} after (change ${me.change}).`)
  for (const p of estimate.payees) {
    if (p.payee === owner) continue
    const unchanged = /^-?0(\.0*)?$/.test(p.change)
    out.push(`${p.payee} (credited or above you): ${unchanged ? 'unchanged' : `${p.currency} ${p.change}`}.`)
  }
  return out
}

/** The hook itself: one event in, the owner's message out. */
export async function onOpportunityUpdated(estimator: Estimator, event: OpportunityUpdated): Promise<string[]> {
  const opp = event.opportunity
  const deal = dealFromEvent(event)
  const head = `Opportunity ${opp.id}${opp.name ? ` "${opp.name}"` : ''} (owner ${opp.owner}): ${
    event.previous?.stage ?? '?'
  } -> ${opp.stage}, ${opp.currency} ${opp.amount} on ${opp.close_date}.`
  if (deal === null) return [head, 'No new booking, so no payout change.']
  const estimate = await estimator.estimate(deal)
  return [head, ...describe(estimate, opp.owner)]
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv]
  let company = process.env.PAYPLAN_COMPANY ?? 'examples/company'
  const at = args.indexOf('--company')
  if (at >= 0) {
    company = args[at + 1] ?? company
    args.splice(at, 2)
  }
  const source = args[0] ?? '-'
  const event = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8')) as OpportunityUpdated
  if (event.type !== 'opportunity.updated') {
    console.error(`not an opportunity.updated event: ${String(event.type)}`)
    return 2
  }

  // Cold start: prepare the company once, off the event loop; then one what-if per event.
  const estimator = await Estimator.create(loadCompany(company))
  for (const line of await onOpportunityUpdated(estimator, event)) console.log(line)
  return 0
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  if (err instanceof PayplanError) {
    console.error(`payplan error ${err.code} at ${err.path}: ${err.message}`)
    process.exitCode = 1
  } else {
    throw err
  }
}
