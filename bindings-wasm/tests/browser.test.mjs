// The web build in headless Chromium (page served on 127.0.0.1): every conformance vector
// (bytes identical, or error code and path), then the Estimator inside a Web Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadVectors, serve, launchChromium, openPage } from './helpers.mjs';
import { checkError } from './checks.mjs';

let server, browser, page, offOrigin, errors;

before(async () => {
  server = await serve();
  browser = await launchChromium();
  ({ page, offOrigin, errors } = await openPage(browser, server.origin));
  await page.goto(`${server.origin}/bindings-wasm/tests/browser/harness.html`);
  const version = await page.evaluate(() => window.ready);
  assert.match(version, /^payplan-core /);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const vectors = loadVectors();

test('web build: every conformance vector in Chromium', async (t) => {
  const cases = vectors.map(({ name, request, deal }) => ({ name, request, deal }));
  const results = await page.evaluate((cases) => {
    const { calculateJson, estimateJson, Estimator } = window.payplan;
    const err = (e) => ({ isError: e instanceof Error, name: e.name, message: e.message, code: e.code,
      category: e.category, path: e.path, problems: e.problems });
    return cases.map((c) => {
      const r = { name: c.name };
      if (c.request === null) return r;
      try { r.output = calculateJson(c.request); } catch (e) { r.error = err(e); }
      if (c.deal !== null && r.error === undefined) {
        try {
          r.estimate = estimateJson(c.request, c.deal);
          const est = new Estimator(c.request);
          try { r.prepared = est.estimateJson(c.deal); } finally { est.free(); }
        } catch (e) { r.estimateError = err(e); }
      }
      return r;
    });
  }, cases);
  assert.equal(results.length, vectors.length);
  for (const [i, v] of vectors.entries()) {
    const r = results[i];
    await t.test(v.name, () => {
      assert.ok(v.request !== null, 'request.json is missing');
      if (v.error !== null) {
        assert.ok(r.error, `expected error ${v.error}, got output`);
        assert.ok(r.error.isError, 'thrown value is an Error');
        checkError(r.error, v.error);
        return;
      }
      assert.ok(v.expected !== null, 'the case has neither expected.json nor error.json');
      assert.equal(r.error, undefined, `unexpected error: ${JSON.stringify(r.error)}`);
      assert.equal(r.output, v.expected);
      if (v.deal !== null) {
        assert.equal(r.estimateError, undefined, `unexpected error: ${JSON.stringify(r.estimateError)}`);
        assert.equal(r.estimate, v.estimate);
        assert.equal(r.prepared, v.estimate);
      }
    });
  }
});

test('Estimator in a Web Worker: what-if vectors and errors', async () => {
  const whatifs = vectors.filter((v) => v.deal !== null && v.estimate !== null);
  assert.ok(whatifs.length > 0, 'no what-if vectors (deal.json + estimate.json) found');
  const bad = vectors.find((v) => v.error !== null);
  assert.ok(bad, 'no error vector found');
  const res = await page.evaluate(async ({ whatifs, bad }) => {
    const pp = new window.PayplanWorker();
    try {
      const out = [];
      for (const w of whatifs) {
        await pp.load(w.request);
        out.push({
          name: w.name,
          text: await pp.estimateJson(w.deal),
          object: await pp.estimate(JSON.parse(w.deal)),
          run: await pp.runJson(),
        });
      }
      let error = null;
      try { await pp.load(bad.request); } catch (e) {
        error = { isError: e instanceof Error, name: e.name, code: e.code, category: e.category, path: e.path, problems: e.problems };
      }
      // The worker really is a worker: the main thread's module is not the one answering.
      const version = await pp.version();
      return { out, error, version };
    } finally {
      pp.terminate();
    }
  }, { whatifs: whatifs.map(({ name, request, deal }) => ({ name, request, deal })), bad: { request: bad.request } });
  assert.match(res.version, /^payplan-core /);
  for (const [i, w] of whatifs.entries()) {
    assert.equal(res.out[i].name, w.name);
    assert.equal(res.out[i].text, w.estimate, w.name);
    assert.deepEqual(res.out[i].object, JSON.parse(w.estimate), w.name);
    assert.equal(res.out[i].run, w.expected, w.name);
  }
  assert.ok(res.error, `the worker accepted the bad request of an error vector`);
  assert.ok(res.error.isError);
  checkError(res.error, bad.error);
});

test('no request left the page origin, no uncaught page error', () => {
  assert.deepEqual(offOrigin, []);
  assert.deepEqual(errors, []);
  assert.ok(server.requests.some((p) => p.endsWith('/worker.js')), 'the worker script was loaded');
  assert.ok(server.requests.some((p) => p.endsWith('.wasm')), 'the wasm module was loaded');
});
