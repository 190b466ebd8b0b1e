// payplan in a Web Worker: `new Worker(new URL('./worker.js', import.meta.url), {type: 'module'})`,
// or use the promise-based client in ./client.js.
//
// Messages in: {id, op, args}; out: {id, ok: true, result} or {id, ok: false, error}.
// ops: load(request, options) prepares an Estimator; estimate(deal), estimateJson(text),
// run(), runJson() use it; calculate, calculateJson, estimateOnce(request, deal, options),
// parsePlan, validatePlanJson, version are stateless.
import init, * as payplan from './payplan_wasm.js';

const ready = init();
let estimator = null;

function prepared() {
  if (estimator === null) {
    const e = new Error('no request loaded: send {op: "load", args: [request]} first');
    e.name = 'InputError';
    e.code = 'not_loaded';
    e.category = 'input';
    e.path = '';
    e.problems = [{ code: e.code, path: '', message: e.message }];
    throw e;
  }
  return estimator;
}

const ops = {
  load(request, options) {
    const next = new payplan.Estimator(request, options);
    if (estimator !== null) estimator.free();
    estimator = next;
    return null;
  },
  estimate: (deal) => prepared().estimate(deal),
  estimateJson: (deal) => prepared().estimateJson(deal),
  run: () => prepared().run(),
  runJson: () => prepared().runJson(),
  calculate: (request, options) => payplan.calculate(request, options),
  calculateJson: (text) => payplan.calculateJson(text),
  estimateOnce: (request, deal, options) => payplan.estimate(request, deal, options),
  parsePlan: (plan, options) => payplan.parsePlan(plan, options),
  validatePlanJson: (text) => payplan.validatePlanJson(text),
  version: () => payplan.version(),
};

self.onmessage = async (event) => {
  const { id, op, args = [] } = event.data || {};
  try {
    await ready;
    if (!Object.prototype.hasOwnProperty.call(ops, op)) {
      throw new Error(`unknown op ${JSON.stringify(op)}`);
    }
    self.postMessage({ id, ok: true, result: ops[op](...args) });
  } catch (e) {
    self.postMessage({
      id,
      ok: false,
      error: {
        name: e && e.name, message: String(e && e.message), code: e && e.code,
        category: e && e.category, path: e && e.path, problems: e && e.problems,
      },
    });
  }
};
