/**
 * The one error base class. Every capability subclasses it beside the code that throws
 * (`InsufficientFundsError` in src/ledger, `PinLockedError` in src/customers). The HTTP
 * handler and the USSD runner turn any error into an answer through `code`, `status` and
 * `userFault`; anything that is not an AppError is a bug and answers 500.
 */
export class AppError extends Error {
  /** Stable machine-readable code, e.g. `insufficient_funds`. */
  readonly code: string;
  /** HTTP status to answer with. */
  readonly status: number;
  /** True when the caller's input caused it (logged at info, not error). */
  readonly userFault: boolean;
  /** Facts the HTTP answer carries beside `error` and `reason` (say the float in cents that was short). */
  details?: Record<string, unknown>;

  constructor(code: string, message: string, status = 400, userFault = true) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.userFault = userFault;
  }
}

/** Input from outside failed validation (HTTP 400). */
export class ValidationError extends AppError {
  constructor(message: string, readonly field?: string) {
    super('validation_failed', message, 400, true);
  }
}

/** A thing that was asked for does not exist (HTTP 404). */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message, 404, true);
  }
}
