// The demo: pick a rep, type a deal, see the change and why. The engine runs in a Web
// Worker (bindings-wasm/pkg-web); the company's CSV files are fetched from this origin.
import { PayplanWorker } from '../../bindings-wasm/pkg-web/client.js';
import { buildRequestText, dealFrom, fetchCompany, parseCsv, sumDecimals } from './request.js';

const $ = (id) => document.getElementById(id);
const companyUrl = new URL('../company/', import.meta.url);
const plansUrl = new URL('data/plans.json', import.meta.url);

const state = { run: null, payees: new Map(), pp: null };

function showError(e) {
  const where = e.path ? ` (at ${e.path})` : '';
  $('error').textContent = `${e.message}${where}${e.code ? ` [${e.code}]` : ''}`;
  $('error').hidden = false;
}

function signed(amount) {
  return amount.startsWith('-') ? amount : `+${amount}`;
}

function cell(tr, text) {
  const td = document.createElement('td');
  td.textContent = text;
  tr.appendChild(td);
}

function statementsOf(rep) {
  return state.run.statements.filter((s) => s.payee === rep);
}

function showRep() {
  const rep = $('rep').value;
  const p = state.payees.get(rep) || {};
  const statements = statementsOf(rep);
  $('rep-name').textContent = `${p.name || rep} (${rep})`;
  $('earnings').textContent = sumDecimals(statements.map((s) => s.net_payable));
  $('plan-name').textContent = statements.length ? `· plan ${statements[0].plan}, ${statements[0].currency}` : '';
  const body = $('statements').querySelector('tbody');
  body.replaceChildren();
  for (const s of statements) {
    const tr = document.createElement('tr');
    cell(tr, s.period);
    cell(tr, s.earned);
    cell(tr, s.net_payable);
    body.appendChild(tr);
  }
  $('rep-panel').hidden = false;
  $('result').hidden = true;
}

function showEstimate(rep, est) {
  const mine = est.payees.find((x) => x.payee === rep);
  const change = mine ? mine.change : '0';
  $('change').textContent = signed(change);
  $('change').className = change.startsWith('-') ? 'neg' : /^[0.]+$/.test(change) ? '' : 'pos';
  $('before').textContent = mine ? mine.before : '';
  $('after').textContent = mine ? mine.after : '';
  $('total-change').textContent = signed(est.change);

  const others = est.payees.filter((x) => x.payee !== rep);
  const box = $('payees');
  box.replaceChildren();
  if (others.length) {
    const t = document.createElement('table');
    t.innerHTML = '<thead><tr><th>also changes</th><th>before</th><th>after</th><th>change</th></tr></thead>';
    const tb = document.createElement('tbody');
    for (const o of others) {
      const tr = document.createElement('tr');
      const name = state.payees.get(o.payee)?.name;
      cell(tr, name ? `${name} (${o.payee})` : o.payee);
      cell(tr, o.before);
      cell(tr, o.after);
      cell(tr, signed(o.change));
      tb.appendChild(tr);
    }
    t.appendChild(tb);
    box.appendChild(t);
  }

  const ol = $('lines');
  ol.replaceChildren();
  for (const l of est.lines) {
    const li = document.createElement('li');
    li.className = 'line';
    const head = document.createElement('div');
    head.innerHTML = '<strong></strong> <span class="muted"></span>';
    head.children[0].textContent = `${l.payee} ${l.period} ${l.id}: ${signed(l.change)}`;
    head.children[1].textContent = `(${l.before} → ${l.after})`;
    const why = document.createElement('div');
    why.className = 'explanation';
    why.textContent = l.explanation;
    li.append(head, why);
    if (Array.isArray(l.trace) && l.trace.length) {
      const ul = document.createElement('ul');
      ul.className = 'trace';
      for (const step of l.trace) {
        const s = document.createElement('li');
        s.textContent = `${step.step}: ${step.detail}${step.value != null ? ` = ${step.value}` : ''}`;
        ul.appendChild(s);
      }
      li.appendChild(ul);
    }
    ol.appendChild(li);
  }
  if (!est.lines.length) {
    const li = document.createElement('li');
    li.textContent = 'No statement line changes.';
    ol.appendChild(li);
  }
  $('result').hidden = false;
}

async function onSubmit(event) {
  event.preventDefault();
  $('error').hidden = true;
  const rep = $('rep').value;
  const currency = statementsOf(rep)[0]?.currency || 'EUR';
  const deal = dealFrom({ rep, amount: $('amount').value, date: $('date').value, newLogo: $('new-logo').checked, currency });
  $('status').textContent = 'Estimating…';
  try {
    const t0 = performance.now();
    const est = await state.pp.estimate(deal);
    showEstimate(rep, est);
    $('status').textContent = `Estimated in ${(performance.now() - t0).toFixed(1)} ms.`;
  } catch (e) {
    $('result').hidden = true;
    $('status').textContent = 'The engine refused the deal.';
    showError(e);
  }
}

async function main() {
  try {
    const company = await fetchCompany(companyUrl, plansUrl);
    for (const p of parseCsv(company.tables.payees)) state.payees.set(p.id, p);
    state.pp = new PayplanWorker();
    $('engine').textContent = await state.pp.version();
    const t0 = performance.now();
    await state.pp.load(buildRequestText(company));
    state.run = await state.pp.run();
    const reps = [...new Set(state.run.statements.map((s) => s.payee))];
    for (const id of reps) {
      const p = state.payees.get(id) || {};
      const opt = document.createElement('option');
      opt.value = id;
      opt.textContent = `${p.name || id} — ${id}${p.role ? `, ${p.role}` : ''}`;
      $('rep').appendChild(opt);
    }
    const year = state.run.statements[0]?.period.slice(0, 4) || '2027';
    $('date').value = `${year}-06-15`;
    $('date').min = `${year}-01-01`;
    $('status').textContent = `Loaded ${state.payees.size} payees in ${(performance.now() - t0).toFixed(0)} ms. Pick a rep and type a deal.`;
    $('deal').hidden = false;
    $('rep').addEventListener('change', showRep);
    $('deal').addEventListener('submit', onSubmit);
    showRep();
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('status').textContent = 'Could not load the example company.';
    showError(e);
    document.body.dataset.ready = 'error';
  }
}

main();
