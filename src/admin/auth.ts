/**
 * Authentication of admin requests: `Authorization: Bearer <key>`. Failures are counted per
 * client address in Redis (rate-limiter-flexible); past the limit an address gets 429
 * until the window passes, even with a right key.
 */
import type { RequestHandler } from 'express';
import { rateLimiter, type KeyStore } from '../keystore/index.js';
import type { Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { authenticateKey } from './keys.js';
import { TooManyFailuresError, UnauthenticatedError } from './errors.js';

const log = logger.child({ component: 'admin' });

/** Failed authentications one address may make per window. */
export const AUTH_FAILURES_ALLOWED = 20;
/** The window, in seconds. */
export const AUTH_FAILURE_WINDOW_SECONDS = 15 * 60;

/** Middleware that puts the request's key in `res.locals.key`, or refuses (401, 429). */
export function authenticate(db: Knex, redis: KeyStore): RequestHandler {
  const failures = rateLimiter(redis, {
    keyPrefix: 'simu:admin-auth-fail',
    points: AUTH_FAILURES_ALLOWED,
    duration: AUTH_FAILURE_WINDOW_SECONDS,
  });
  return async (req, res, next) => {
    const address = req.ip ?? 'unknown';
    const seen = await failures.get(address);
    if (seen && seen.consumedPoints >= AUTH_FAILURES_ALLOWED) {
      res.set('Retry-After', String(Math.ceil(seen.msBeforeNext / 1000)));
      throw new TooManyFailuresError(Math.ceil(seen.msBeforeNext / 1000));
    }
    const header = req.get('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const key = presented ? await authenticateKey(db, presented) : null;
    if (!key) {
      await failures.consume(address).catch(() => undefined);
      log.info('admin authentication failed', { address, path: req.path });
      throw new UnauthenticatedError();
    }
    res.locals.key = key;
    next();
  };
}
