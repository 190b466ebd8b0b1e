// Every conformance vector through the nodejs build: output bytes identical with
// expected.json (and estimate.json), or the error's code and path as in error.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadVectors, wasmDir } from './helpers.mjs';
import { checkError } from './checks.mjs';

const require = createRequire(import.meta.url);
const payplan = require(`${wasmDir}/pkg-node/payplan_wasm.js`);

const vectors = loadVectors();

for (const v of vectors) {
  test(`vector ${v.name}`, () => {
    assert.ok(v.request !== null, 'request.json is missing');
    if (v.error !== null) {
      assert.throws(() => payplan.calculateJson(v.request), (e) => {
        assert.ok(e instanceof Error, `expected an Error, got ${e}`);
        checkError(e, v.error);
        return true;
      });
      return;
    }
    assert.ok(v.expected !== null, 'the case has neither expected.json nor error.json');
    assert.equal(payplan.calculateJson(v.request), v.expected);
    if (v.deal !== null) {
      assert.ok(v.estimate !== null, 'deal.json without estimate.json');
      assert.equal(payplan.estimateJson(v.request, v.deal), v.estimate);
      const est = new payplan.Estimator(v.request);
      try {
        assert.equal(est.runJson(), v.expected);
        assert.equal(est.estimateJson(v.deal), v.estimate);
        // Asked twice: a prepared estimator is not changed by a what-if.
        assert.equal(est.estimateJson(v.deal), v.estimate);
        assert.deepEqual(est.estimate(JSON.parse(v.deal)), JSON.parse(v.estimate));
      } finally {
        est.free();
      }
    }
  });
}
