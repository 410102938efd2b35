/**
 * AT's callbacks are unsigned. When AT_CALLBACK_TOKEN is set, a callback must carry
 * `?token=<it>` (in the URL registered with AT), else it gets 404 as if nothing were there.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Middleware that requires `?token=` to equal `token` when `token` is set. */
export function requireCallbackToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!token) return next();
    const given = Buffer.from(String(req.query.token ?? ''));
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(404).json({ error: 'not_found', reason: `no route ${req.method} ${req.path}` });
  };
}
