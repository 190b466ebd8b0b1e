// Types of payplan for Node. The request and output shapes are those of
// docs/inputs-and-output.md and docs/plan-format.md.

// ---------------------------------------------------------------------------------------
// Numbers

/** A decimal in payplan's output: always a string, e.g. `"1500.00"`. */
export type Decimal = string

/**
 * A decimal on input. Strings are exact (`"0.05"`); a bigint is exact; an integer number is
 * fine; a non-integer `number` is read through its shortest round-trip text (`String(x)`),
 * or rejected when `{ strict: true }`. Objects with `toJSON()` (decimal.js, big.js) work too.
 */
export type DecimalInput = string | bigint | number | { toJSON(): string }

/** A calendar date, `YYYY-MM-DD` (no times, no time zones). */
export type DateString = string

/** A period label: `2027-01`, `2027-Q1`, `2027-H1`, `2027`. */
export type PeriodLabel = string

export interface ConvertOptions {
  /** Reject non-integer `number`s (and integers beyond Number.MAX_SAFE_INTEGER). */
  strict?: boolean
}

// ---------------------------------------------------------------------------------------
// Errors

export interface Problem {
  code: string
  path: string
  message: string
}

export type ErrorCategory = 'plan' | 'input' | 'calculation'

/** Every error payplan throws; the fields are the core's, the codes stable. */
export declare class PayplanError extends Error {
  /** Stable machine code, e.g. `split_shares`, `tiers_out_of_order`, `syntax`. */
  readonly code: string
  readonly category: ErrorCategory
  /** Where: `inputs.transactions[0].splits`, `transactions.csv row 118, column amount`. */
  readonly path: string
  /** Every problem found (plan and input validation list all of them). */
  readonly problems: Problem[]
  /** The canonical error JSON text (for errors from the engine, the core's exact bytes). */
  readonly json: string
  toJSON(): { code: string; category: ErrorCategory; path: string; message: string; problems: Problem[] }
}
export declare class PlanError extends PayplanError {}
export declare class InputError extends PayplanError {}
export declare class CalculationError extends PayplanError {}

// ---------------------------------------------------------------------------------------
// Plans

/** A plan document (see docs/plan-format.md); checked by the core, not by these types. */
export interface PlanObject {
  payplan: number | bigint | string
  id: string
  name?: string
  currency: string
  calendar: { year: number | bigint; start_month?: number | bigint; period: 'month' | 'quarter' | 'half' | 'year' }
  [field: string]: unknown
}

export interface PayoutPoint {
  attainment: Decimal
  payout: Decimal
}

/** A validated plan, held as its canonical JSON. Made by planFromObject/Json/Yaml/File. */
export declare class Plan {
  private constructor()
  readonly id: string
  readonly name: string | null
  readonly currency: string
  /** The canonical JSON text the core validated. */
  readonly json: string
  toObject(): PlanObject
  toJSON(): PlanObject
  /** One component's payout by attainment, sampled by the engine (default 0 to 2 by 0.05). */
  payoutCurve(
    component: string,
    range?: { from?: DecimalInput; to?: DecimalInput; step?: DecimalInput }
  ): PayoutPoint[]
}

export declare function planFromObject(plan: PlanObject | Plan, options?: ConvertOptions): Plan
export declare function planFromJson(text: string): Plan
export declare function planFromYaml(text: string): Plan
/** `.yaml`/`.yml` files are read as YAML, anything else as JSON. */
export declare function planFromFile(file: string): Plan
/** YAML text (a plan or a whole request) as JSON text, every number's digits kept. */
export declare function yamlToJson(text: string): string

// ---------------------------------------------------------------------------------------
// Requests

/** Any table may be CSV text instead of an array; extra columns become attributes. */
export interface CsvTable {
  csv: string
  /** File name used in error paths: `transactions.csv row 118, column amount`. */
  name?: string
}

export type Table<Row> = Row[] | CsvTable

/** Free attributes: text, number or boolean values (measure filters and fields read them). */
export type Attributes = Record<string, string | number | bigint | boolean>

export interface PayeeInput {
  id: string
  name?: string
  manager?: string | null
  team?: string | null
  hire_date?: DateString | null
  termination_date?: DateString | null
  currency?: string
  leaves?: { from: DateString; to: DateString }[]
  attributes?: Attributes
}

export interface AssignmentInput {
  payee: string
  plan: string
  from?: DateString | null
  to?: DateString | null
  /** Annual variable pay at 100 %. */
  target_incentive?: DecimalInput
}

export interface SplitInput {
  payee: string
  share: DecimalInput
}

export interface TransactionInput {
  id: string
  /** `booking` (default), `invoice`, `payment`, `cancellation`, `churn`, or any word a measure filters on. */
  kind?: string
  date: DateString
  amount?: DecimalInput
  currency?: string
  owner?: string
  splits?: SplitInput[]
  quantity?: DecimalInput
  reference?: string | null
  attributes?: Attributes
}

export interface QuotaInput {
  payee: string
  measure: string
  period: PeriodLabel
  amount: DecimalInput
}

export interface FxRateInput {
  from: string
  to: string
  rate: DecimalInput
  effective: DateString
}

/** What was actually paid (as exported from payroll). */
export interface PaymentInput {
  payee: string
  period: PeriodLabel
  /** Component id, or a line kind such as `draw`; absent = the statement as a whole. */
  component?: string
  amount: DecimalInput
  /** The period was closed with this payment. */
  closed?: boolean
}

/** A manual statement line; the engine rejects one without a reason or an approver. */
export interface AdjustmentInput {
  id?: string
  payee: string
  period: PeriodLabel
  amount: DecimalInput
  reason: string
  approver: string
}

export interface Inputs {
  payees?: Table<PayeeInput>
  assignments?: Table<AssignmentInput>
  transactions?: Table<TransactionInput>
  quotas?: Table<QuotaInput>
  fx_rates?: Table<FxRateInput>
  payments?: Table<PaymentInput>
  adjustments?: Table<AdjustmentInput>
}

export interface RunOptions {
  /** Periods up to and including this label are closed. */
  closed_through?: PeriodLabel
}

export interface Request {
  plan?: PlanObject | Plan
  plans?: (PlanObject | Plan)[]
  inputs?: Inputs
  options?: RunOptions
}

// ---------------------------------------------------------------------------------------
// Output (the core's canonical JSON, parsed; key order as in the JSON)

/** One step that produced a number: what, with which inputs, and the result. */
export interface TraceStep {
  step: string
  detail: string
  value: string
}

export type LineKind =
  | 'component'
  | 'plan_cap'
  | 'clawback'
  | 'holdback'
  | 'holdback_release'
  | 'adjustment'
  | 'true_up'
  | 'draw'
  | 'draw_recovery'

export interface Line {
  kind: LineKind
  /** Component id, deal id, adjustment id… */
  id: string
  name: string
  measure: Decimal | null
  quota: Decimal | null
  attainment: Decimal | null
  amount: Decimal
  /** One sentence for the rep. */
  explanation: string
  trace: TraceStep[]
}

/** Per payee and period. */
export interface Statement {
  payee: string
  period: PeriodLabel
  plan: string
  currency: string
  /** A closed statement is what was paid and never changes. */
  status: 'open' | 'closed'
  lines: Line[]
  /** Sum of component and plan-cap lines. */
  earned: Decimal
  /** Sum of all lines. */
  total: Decimal
  /** Already paid for this open period (`inputs.payments`). */
  prior_paid: Decimal
  /** total − prior_paid. */
  net_payable: Decimal
  /** Outstanding recoverable draw after this period, where the plan has a draw. */
  draw_balance: Decimal | null
}

/** Totals per currency. */
export interface Totals {
  currency: string
  earned: Decimal
  adjustments: Decimal
  total: Decimal
  net_payable: Decimal
  /** Discretionary (adjustment) pay as a share of total pay. */
  discretionary_share: Decimal
}

/** An over- or under-payment and the line that fixes it. */
export interface Reconciliation {
  payee: string
  period: PeriodLabel
  component: string
  calculated: Decimal
  paid: Decimal
  /** calculated − paid: positive = under-paid, negative = over-paid. */
  difference: Decimal
  status: 'under_paid' | 'over_paid'
  /** Period whose true-up (or to-date) line settles the difference. */
  fixed_in: PeriodLabel | null
}

export interface Warning {
  code: string
  path: string
  message: string
}

/** A whole run. */
export interface Run {
  engine: string
  fingerprint: string
  statements: Statement[]
  totals: Totals[]
  reconciliation: Reconciliation[]
  warnings: Warning[]
}

export interface EstimatePayee {
  payee: string
  currency: string
  before: Decimal
  after: Decimal
  change: Decimal
}

export interface EstimateLine {
  payee: string
  period: PeriodLabel
  kind: LineKind
  id: string
  before: Decimal
  after: Decimal
  change: Decimal
  explanation: string
  trace: TraceStep[]
}

export interface Estimate {
  engine: string
  /** The deal's id. */
  deal: string
  /** Sum of the credited payees' and their managers' net payable changes (plan currency). */
  change: Decimal
  payees: EstimatePayee[]
  /** Only lines whose amount changes, sorted by (payee, period, plan order). */
  lines: EstimateLine[]
}

// ---------------------------------------------------------------------------------------
// Calls

/** Engine name and version written into every run, e.g. `payplan-core 0.1.0`. */
export declare const ENGINE_VERSION: string

/** A JS value as request JSON text, with payplan's number rules (what calculate sends). */
export declare function toJsonText(value: unknown, options?: ConvertOptions): string

/** Run a request; throws PayplanError. */
export declare function calculateSync(request: Request | string, options?: ConvertOptions): Run
/** Run a request off the event loop (libuv's thread pool); rejects with PayplanError. */
export declare function calculate(request: Request | string, options?: ConvertOptions): Promise<Run>
/** The canonical output JSON bytes of a run on request JSON text. */
export declare function calculateJsonSync(request: string): string
export declare function calculateJson(request: string): Promise<string>

/** What-if: the change one hypothetical deal makes. */
export declare function estimateSync(
  request: Request | string,
  deal: TransactionInput | string,
  options?: ConvertOptions
): Estimate
export declare function estimate(
  request: Request | string,
  deal: TransactionInput | string,
  options?: ConvertOptions
): Promise<Estimate>
/** The canonical what-if JSON bytes for request and deal JSON text. */
export declare function estimateJsonSync(request: string, deal: string): string
export declare function estimateJson(request: string, deal: string): Promise<string>

/** A request prepared once (the core's Engine) for many runs and what-if questions. */
export declare class Estimator {
  constructor(request: Request | string, options?: ConvertOptions)
  /** Prepare the request off the event loop. */
  static create(request: Request | string, options?: ConvertOptions): Promise<Estimator>
  estimateSync(deal: TransactionInput | string): Estimate
  estimate(deal: TransactionInput | string): Promise<Estimate>
  estimateJsonSync(deal: string): string
  estimateJson(deal: string): Promise<string>
  calculateSync(): Run
  calculate(): Promise<Run>
  calculateJsonSync(): string
  calculateJson(): Promise<string>
}
