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

/**
 * Refuses input that PostgreSQL cannot store: a NUL character (refused in `text` and
 * `jsonb`) or a lone UTF-16 surrogate (refused in `jsonb`), in any string or key of
 * `value`. Edges call it on what they parsed, so that such input gets a 400 instead of
 * failing half-way through as a 500.
 *
 * @throws ValidationError naming the field
 */
export function assertStorableText(value: unknown, field = 'body'): void {
  // With the u flag a paired surrogate is one code point: \p{Surrogate} matches lone halves only.
  const unstorable = /[\u0000\p{Surrogate}]/u;
  const stack: Array<[unknown, string]> = [[value, field]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable.test(v)) throw new ValidationError(`${path}: contains a NUL character or an invalid Unicode character`, path);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        // The path names the field; deep inside it stops growing (a body may nest thousands of levels).
        const at = path.length > 80 ? path : path === 'body' ? k.slice(0, 40) : `${path}.${k.slice(0, 40)}`;
        stack.push([k, at], [child, at]);
      }
    }
  }
}

/**
 * Express middleware, after a body parser: `assertStorableText` on the parsed body, so
 * that every callback edge refuses a NUL or a lone surrogate with a 400 (through the error
 * handler) before anything reads it.
 */
export function refuseUnstorableBody(req: { body?: unknown }, _res: unknown, next: (err?: unknown) => void): void {
  try {
    assertStorableText(req.body);
  } catch (err) {
    next(err);
    return;
  }
  next();
}
