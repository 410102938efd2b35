/**
 * The one error handler of the HTTP layer: an AppError answers its status with
 * `{ error, reason }` (and the error's `details`, if any); body-parser's refusals keep their 4xx; anything else is a bug,
 * logged once and answered 500 without a stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, ValidationError } from '../errors/index.js';
import { logger } from '../logger/index.js';

const log = logger.child({ component: 'http' });

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof AppError) {
    const level = err.userFault ? 'info' : 'error';
    log.log(level, 'request refused', { method: req.method, path: req.path, status: err.status, code: err.code, reason: err.message });
    res.status(err.status).json({ ...err.details, error: err.code, reason: err.message, ...(err instanceof ValidationError && err.field ? { field: err.field } : {}) });
    return;
  }
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status < 500) {
    log.info('request refused', { method: req.method, path: req.path, status, reason: err.type ?? err.message });
    res.status(status).json({ error: err.type ?? 'bad_request', reason: err.message });
    return;
  }
  log.error('request failed', { method: req.method, path: req.path, error: err?.message, stack: err?.stack });
  if (!res.headersSent) res.status(500).json({ error: 'internal', reason: 'internal error' });
};

/** 404 for any route nobody answered. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', reason: `no route ${req.method} ${req.path}` });
};
