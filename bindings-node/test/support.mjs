// Shared helpers of the node --test suites.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = path.dirname(fileURLToPath(import.meta.url))
export const repo = path.resolve(here, '../..')
/** The conformance corpus (PAYPLAN_VECTORS overrides, e.g. to try another checkout's). */
export const vectorsDir = process.env.PAYPLAN_VECTORS || path.join(repo, 'tests/vectors')
/** The example company (PAYPLAN_COMPANY overrides). */
export const companyDir = process.env.PAYPLAN_COMPANY || path.join(repo, 'examples/company')

/** Case folders (those with a request.json), sorted by name. */
export function vectorCases() {
  if (!fs.existsSync(vectorsDir)) return []
  return fs
    .readdirSync(vectorsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(vectorsDir, d.name, 'request.json')))
    .map((d) => d.name)
    .sort()
}

export function vectorFile(name, file) {
  const p = path.join(vectorsDir, name, file)
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null
}

/**
 * Whether JSON.parse keeps every number of this JSON text exactly (each number token is the
 * shortest round-trip text of its double), so the object path sends the same values.
 */
export function numbersSurviveParse(text) {
  const tokens = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g
  for (const m of text.matchAll(tokens)) {
    const t = m[0]
    if (t.startsWith('"')) continue
    if (String(Number(t)) !== t) return false
  }
  return true
}

/** A request's first plan object, from a vector. */
export function firstPlan(name) {
  const req = JSON.parse(vectorFile(name, 'request.json'))
  return req.plans ? req.plans[0] : req.plan
}
