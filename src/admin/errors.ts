import { AppError } from '../errors/index.js';

/** No key, a wrong key, or a revoked key (401). */
export class UnauthenticatedError extends AppError {
  constructor() {
    super('unauthenticated', 'a valid API key is required: Authorization: Bearer <key>', 401, true);
  }
}

/** The key lacks the route's scope (403). */
export class ForbiddenError extends AppError {
  constructor(scope: string) {
    super('forbidden', `this key lacks the ${scope} scope`, 403, true);
  }
}

/** Too many failed authentications from one address (429). */
export class TooManyFailuresError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_failures', 'too many failed authentications from this address; try later', 429, true);
  }
}

/** An Idempotency-Key was sent with a different request, or is missing where required. */
export class IdempotencyKeyError extends AppError {
  constructor(message: string, status = 409) {
    super('idempotency_key', message, status, true);
  }
}
