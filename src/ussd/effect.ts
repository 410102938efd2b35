/**
 * How a domain call becomes a menu effect: each domain refusal (an AppError) turns into
 * the plain `MenuFailure` the pure machine reads; anything else is logged once, as the bug
 * or outage it is. Feature effect files (effects-<menu>.ts) build on `domainEffect`.
 */
import { fromPromise } from 'xstate';
import type { MenuFailure } from '../../menus/index.js';
import { AppError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { PinLockedError, ResetLockedError, WrongPinError, WrongResetAnswerError } from '../customers/index.js';
import { LimitExceededError } from '../payments/index.js';

const log = logger.child({ component: 'ussd' });

/** The MenuFailure for any error thrown by the domain. */
export function toMenuFailure(err: unknown): MenuFailure {
  if (!(err instanceof AppError)) {
    log.error('menu effect failed', { error: (err as Error)?.message, stack: (err as Error)?.stack });
    return { code: 'unexpected' };
  }
  const failure: MenuFailure = { code: err.code };
  if (err instanceof WrongPinError || err instanceof WrongResetAnswerError) failure.attemptsLeft = err.attemptsLeft;
  if (err instanceof PinLockedError || err instanceof ResetLockedError) failure.minutesLeft = Math.max(1, Math.ceil((err.until.getTime() - Date.now()) / 60_000));
  if (err instanceof LimitExceededError) {
    failure.limitName = err.limitName;
    failure.limitCents = err.limit.toString();
  }
  return failure;
}

/** Wraps a domain call as a menu effect taking `I` and giving `O`: refusals become MenuFailures. */
export function domainEffect<I, O>(run: (input: I) => Promise<O>) {
  return fromPromise<O, I>(async ({ input }) => {
    try {
      return await run(input);
    } catch (err) {
      throw toMenuFailure(err);
    }
  });
}

