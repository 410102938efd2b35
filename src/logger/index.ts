/**
 * The one winston logger: one JSON line per event. A child per capability
 * (`logger.child({ component: 'ussd' })`); the request id and sessionId ride along through
 * AsyncLocalStorage (`withLogContext`). MSISDNs are masked to their last 3 digits with
 * `maskMsisdn`; PINs never reach a log line (the USSD runner redacts them from `text`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import winston from 'winston';
import { config } from '../config/index.js';

/** Fields that follow every log line written inside one request or job. */
export interface LogContext {
  requestId?: string;
  sessionId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` attached to every log line it writes, however deep. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

/** The context of the request or job being handled, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

const addContext = winston.format((info) => {
  const ctx = storage.getStore();
  if (ctx) for (const [k, v] of Object.entries(ctx)) if (v !== undefined && info[k] === undefined) info[k] = v;
  return info;
});

// bigint is not JSON; amounts are logged as cents strings.
const bigintSafe = winston.format((info) => {
  for (const [k, v] of Object.entries(info)) if (typeof v === 'bigint') info[k] = v.toString();
  return info;
});

/** The root logger. Prefer a child per capability. */
export const logger = winston.createLogger({
  level: config.logLevel === 'silent' ? 'error' : config.logLevel,
  silent: config.logLevel === 'silent',
  format: winston.format.combine(
    addContext(),
    bigintSafe(),
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    winston.format.json(),
  ),
  transports: [new winston.transports.Console()],
});

/** `+254712345678` → `+*********678`: enough to tell numbers apart on call, no more. */
export function maskMsisdn(msisdn: string | undefined): string {
  if (!msisdn) return '';
  return msisdn.length <= 3 ? '***' : msisdn.slice(0, 1).replace(/\d/, '*') + '*'.repeat(msisdn.length - 4) + msisdn.slice(-3);
}
