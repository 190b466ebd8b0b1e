// End to end: the demo page (examples/web) in headless Chromium. Pick a rep, type a deal,
// read the change the page shows, and compare it with the nodejs build's estimate for the
// same request text and the same deal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot, wasmDir, serve, launchChromium, openPage } from './helpers.mjs';
import { TABLES, buildRequestText, dealFrom, sumDecimals } from '../../examples/web/request.js';

const require = createRequire(import.meta.url);
const payplan = require(`${wasmDir}/pkg-node/payplan_wasm.js`);

const company = join(repoRoot, 'examples', 'company');
const plansJson = join(repoRoot, 'examples', 'web', 'data', 'plans.json');

/** The request the page builds, built here from the same files on disk. */
function requestText() {
  assert.ok(existsSync(join(company, 'payees.csv')), `${company} is missing the example company`);
  assert.ok(existsSync(plansJson), `${plansJson} is missing: run examples/web/build-data.sh`);
  const tables = {};
  for (const t of TABLES) {
    const p = join(company, `${t}.csv`);
    if (existsSync(p)) tables[t] = readFileSync(p, 'utf8');
  }
  const opt = join(company, 'options.json');
  return buildRequestText({
    plans: readFileSync(plansJson, 'utf8'),
    tables,
    options: existsSync(opt) ? readFileSync(opt, 'utf8') : null,
  });
}

let server, browser, page, offOrigin, errors;

before(async () => {
  server = await serve();
  browser = await launchChromium();
  ({ page, offOrigin, errors } = await openPage(browser, server.origin));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('demo page: type a deal, read the change, same as the nodejs build', async () => {
  await page.goto(`${server.origin}/examples/web/index.html`);
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  const ready = await page.getAttribute('body', 'data-ready');
  assert.equal(ready, 'true', `page failed to load: ${await page.textContent('#error')}`);

  const reps = await page.$$eval('#rep option', (os) => os.map((o) => o.value));
  assert.ok(reps.length > 0, 'no rep to pick');
  const rep = reps.find((r) => r.startsWith('ae-')) || reps[0];
  await page.selectOption('#rep', rep);
  const earnings = await page.textContent('#earnings');

  const amount = '25000.00';
  const date = '2027-06-15';
  await page.fill('#amount', amount);
  await page.fill('#date', date);
  await page.click('#go');
  await page.waitForSelector('#result:not([hidden]), #error:not([hidden])', { timeout: 30_000 });
  assert.equal(await page.isVisible('#error'), false, `estimate failed: ${await page.textContent('#error')}`);
  const shown = await page.textContent('#change');
  const shownTotal = await page.textContent('#total-change');
  const lines = await page.$$eval('#lines li.line', (ls) => ls.length);

  // The same question through the nodejs build.
  const text = requestText();
  const run = payplan.calculate(text);
  const want = sumDecimals(run.statements.filter((s) => s.payee === rep).map((s) => s.net_payable));
  assert.equal(earnings, want, 'earnings to date');

  const deal = dealFrom({ rep, amount, date, newLogo: false, currency: run.statements.find((s) => s.payee === rep).currency });
  const est = payplan.estimate(text, deal);
  const mine = est.payees.find((p) => p.payee === rep);
  assert.ok(mine, `the estimate does not name ${rep}`);
  const signed = (a) => (a.startsWith('-') ? a : `+${a}`);
  assert.equal(shown, signed(mine.change), 'the change shown');
  assert.equal(shownTotal, signed(est.change), 'the total change shown');
  assert.equal(lines, est.lines.length, 'one explained line per changed statement line');
  // A 25,000 booking on a commission plan pays something.
  assert.notEqual(mine.change.replace(/[-0.]/g, ''), '', 'a 25,000 deal changes the rep\'s pay');

  assert.deepEqual(offOrigin, [], 'no request leaves the page origin');
  assert.deepEqual(errors, [], 'no uncaught page error');
});
