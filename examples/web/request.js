// Builds the engine request for the example company, in the browser (fetch) or in Node
// (the end-to-end test builds the very same text from the files on disk).
//
// The request is built as JSON *text*: plans.json is inserted as it is (its numbers keep
// their digits; JSON.parse would turn them into binary floats), and each CSV file is sent
// as a CSV table, {"csv": text, "name": "transactions.csv"}.

/** The company's tables, in request order; each is `<name>.csv` beside the plans. */
export const TABLES = ['payees', 'assignments', 'quotas', 'transactions', 'fx_rates', 'payments', 'adjustments'];

/**
 * @param {{plans: string, tables: Record<string, string>, options?: string | null}} files
 *   plans: JSON text of an array of plans; tables: table name -> CSV text (absent tables
 *   are left out); options: JSON text of the request's options.
 * @returns {string} the request's JSON text
 */
export function buildRequestText({ plans, tables, options }) {
  const inputs = TABLES.filter((t) => typeof tables[t] === 'string').map(
    (t) => `${JSON.stringify(t)}: ${JSON.stringify({ csv: tables[t], name: `${t}.csv` })}`,
  );
  const opts = options && options.trim() ? options.trim() : '{}';
  return `{"plans": ${plans.trim()}, "inputs": {${inputs.join(', ')}}, "options": ${opts}}`;
}

/** Fetch the company's files from the page's own origin (a missing optional table is skipped). */
export async function fetchCompany(companyUrl, plansUrl) {
  const get = async (url, optional) => {
    const r = await fetch(url);
    if (r.ok) return r.text();
    if (optional && r.status === 404) return null;
    throw new Error(`${url}: HTTP ${r.status}${url.endsWith('plans.json') ? ' (run examples/web/build-data.sh)' : ''}`);
  };
  const required = new Set(['payees', 'assignments', 'transactions']);
  const [plans, options, ...texts] = await Promise.all([
    get(plansUrl, false),
    get(new URL('options.json', companyUrl), true),
    ...TABLES.map((t) => get(new URL(`${t}.csv`, companyUrl), !required.has(t))),
  ]);
  const tables = {};
  TABLES.forEach((t, i) => { if (texts[i] !== null) tables[t] = texts[i]; });
  return { plans, tables, options };
}

/** The hypothetical deal, as the engine reads a transaction (amount as typed: a string). */
export function dealFrom({ rep, amount, date, newLogo, currency }) {
  return {
    id: 'WHATIF',
    kind: 'booking',
    date,
    amount: amount.trim().replace(/[\s_]/g, ''),
    currency,
    owner: rep,
    attributes: { new_logo: newLogo ? 'yes' : 'no' },
  };
}

/** Minimal RFC 4180 reader, for showing names in the page (the engine reads the CSVs itself). */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Exact sum of decimal strings (BigInt), for totals shown in the page. */
export function sumDecimals(values) {
  let scale = 0;
  const parts = values.map((v) => {
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(v).trim());
    if (!m) throw new Error(`not a decimal: ${v}`);
    const frac = m[3] || '';
    scale = Math.max(scale, frac.length);
    return { neg: m[1] === '-', int: m[2] || '0', frac };
  });
  let total = 0n;
  for (const p of parts) {
    const n = BigInt(p.int + p.frac.padEnd(scale, '0'));
    total += p.neg ? -n : n;
  }
  const neg = total < 0n;
  let digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return (neg ? '-' : '') + out;
}
