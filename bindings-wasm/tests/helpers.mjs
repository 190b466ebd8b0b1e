// Shared by the tests and the benchmark: the repository's paths, the conformance vectors,
// a static file server on 127.0.0.1 and headless Chromium (the system's /usr/bin/chromium).
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const wasmDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const repoRoot = resolve(wasmDir, '..');
// PAYPLAN_VECTORS overrides the folder (to try another engineer's vectors).
export const vectorsDir = process.env.PAYPLAN_VECTORS || join(repoRoot, 'tests', 'vectors');

/** Every case folder of tests/vectors, with its files as text (absent files are null). */
export function loadVectors() {
  if (!existsSync(vectorsDir)) throw new Error(`no conformance vectors: ${vectorsDir} is missing`);
  const names = readdirSync(vectorsDir)
    .filter((n) => statSync(join(vectorsDir, n)).isDirectory())
    .sort();
  if (names.length === 0) throw new Error(`no conformance vectors in ${vectorsDir}`);
  const read = (name, file) => {
    const p = join(vectorsDir, name, file);
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  };
  return names.map((name) => ({
    name,
    request: read(name, 'request.json'),
    expected: read(name, 'expected.json'),
    error: read(name, 'error.json'),
    deal: read(name, 'deal.json'),
    estimate: read(name, 'estimate.json'),
  }));
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Serve `root` on 127.0.0.1 (a free port). Pages are cross-origin isolated (COOP/COEP), which
 * gives performance.now() its fine resolution in Chromium (used by the benchmark).
 * Records every request path in `requests`.
 */
export async function serve(root = repoRoot) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname);
    const file = resolve(root, '.' + decodeURIComponent(url.pathname));
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404, headers);
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Headless Chromium through playwright-core (no browser download: the system's build). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A page that fails the test on any uncaught error and records requests to other origins. */
export async function openPage(browser, origin) {
  const page = await browser.newPage();
  const offOrigin = [];
  const errors = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin + '/') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) {
      offOrigin.push(r.url());
    }
  });
  page.on('pageerror', (e) => errors.push(e));
  return { page, offOrigin, errors };
}
