// A small promise-based client for ./worker.js: the engine runs off the main thread.
//
//   import { PayplanWorker } from 'payplan-wasm/client.js';
//   const pp = new PayplanWorker();
//   await pp.load(request);                  // prepares an Estimator in the worker
//   const est = await pp.estimate(deal);     // {change, payees, lines, ...}
//
// Errors are rejected as `Error`s with the same .code, .category, .path, .problems
// as the in-thread API.
export class PayplanWorker {
  constructor(workerUrl = new URL('./worker.js', import.meta.url)) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.nextId = 1;
    this.pending = new Map();
    this.worker.onmessage = (event) => {
      const { id, ok, result, error } = event.data;
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (ok) {
        p.resolve(result);
      } else {
        const e = new Error(error.message);
        e.name = error.name || 'InputError';
        e.code = error.code;
        e.category = error.category;
        e.path = error.path;
        e.problems = error.problems;
        p.reject(e);
      }
    };
    this.worker.onerror = (event) => {
      const e = new Error(`payplan worker failed: ${event.message || 'could not start'}`);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
  }

  call(op, ...args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  load(request, options) { return this.call('load', request, options); }
  estimate(deal) { return this.call('estimate', deal); }
  estimateJson(dealText) { return this.call('estimateJson', dealText); }
  run() { return this.call('run'); }
  runJson() { return this.call('runJson'); }
  calculate(request, options) { return this.call('calculate', request, options); }
  calculateJson(text) { return this.call('calculateJson', text); }
  estimateOnce(request, deal, options) { return this.call('estimateOnce', request, deal, options); }
  parsePlan(plan, options) { return this.call('parsePlan', plan, options); }
  validatePlanJson(text) { return this.call('validatePlanJson', text); }
  version() { return this.call('version'); }
  terminate() {
    this.worker.terminate();
    const e = new Error('payplan worker terminated');
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
