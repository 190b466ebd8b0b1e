import type { Request, Transaction, Options, Output, Estimate } from './payplan_wasm.js';

/** payplan in a Web Worker, with promises. Values cross by structured clone: pass decimals
 *  as strings (or bigints); class instances such as decimal.js values do not survive it. */
export declare class PayplanWorker {
  constructor(workerUrl?: string | URL);
  /** Prepare an Estimator for `request` inside the worker. */
  load(request: Request | string, options?: Options): Promise<null>;
  estimate(deal: Transaction | string): Promise<Estimate>;
  estimateJson(dealText: string): Promise<string>;
  run(): Promise<Output>;
  runJson(): Promise<string>;
  calculate(request: Request | string, options?: Options): Promise<Output>;
  calculateJson(text: string): Promise<string>;
  estimateOnce(request: Request | string, deal: Transaction | string, options?: Options): Promise<Estimate>;
  parsePlan(plan: Record<string, unknown> | string, options?: Options): Promise<Record<string, unknown>>;
  validatePlanJson(text: string): Promise<string>;
  version(): Promise<string>;
  terminate(): void;
}
