/**
 * Daraja's callbacks: `POST /mpesa/<token>/c2b/validation` and `/c2b/confirmation`.
 * Daraja callbacks are unsigned, so the URL carries a secret token (MPESA_CALLBACK_TOKEN);
 * a wrong or missing token, or a rail that is not configured, answers 404 as if nothing
 * were there, before the body is read. A malformed body answers 400 with a reason and
 * changes nothing. Bodies and answers follow Safaricom's C2B page
 * (https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL).
 *
 * Requests are dispatched by `BusinessShortCode` (c2bPayee): Simu's paybill tops up wallets
 * (src/mpesa/c2b.ts), a school's paybill records school fees (src/fees/c2b.ts), and a
 * confirmation for any other shortcode answers 400, records nothing and is logged at error
 * level (validation answers C2B00015 "Invalid Shortcode").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { config } from '../config/index.js';
import { db as defaultDb, type Db } from '../db/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { refuseUnstorableBody } from '../errors/index.js';
import { parseC2bCallback, type ParsedC2b } from './callback.js';
import { confirmSchoolC2b } from '../fees/index.js';
import { C2B_CONFIRMED, c2bPayee, confirmC2b, validateC2b } from './c2b.js';
import { b2cCallbackRoutes } from './b2c-http.js';
import { stkCallbackRoutes } from './stk-http.js';

const log = logger.child({ component: 'mpesa' });

/** What the callbacks need; defaults come from config (tests pass an unconfigured rail). */
export interface MpesaRouterOptions {
  db?: Db;
  callbackToken?: string;
  shortCode?: string;
}

/** True when `given` equals `expected`, in time independent of where they differ (hashes of equal length). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The router of Daraja's callbacks, mounted at the app's root. */
export function mpesaRouter(opts: MpesaRouterOptions = {}): Router {
  const db = opts.db ?? defaultDb;
  const token = 'callbackToken' in opts ? opts.callbackToken : config.mpesa.callbackToken;
  const shortCode = 'shortCode' in opts ? opts.shortCode : config.mpesa.shortcode;

  const requireToken: RequestHandler = (req, res, next) => {
    const given = String(req.params.token ?? '');
    if (token && shortCode && tokenMatches(given, token)) return next();
    res.status(404).json({ error: 'not_found', reason: `no route ${req.method} ${req.originalUrl.split('/').slice(0, 2).join('/')}/...` });
  };

  const callbacks = Router({ mergeParams: true });
  callbacks.post('/c2b/validation', async (req, res) => {
    const c2b = parseC2bCallback(req.body);
    logCallback('c2b validation', c2b);
    const answer = await validateC2b(c2b, shortCode!, db);
    log.info('c2b validation answered', { transId: c2b.transId, resultCode: answer.ResultCode });
    res.json(answer);
  });
  callbacks.post('/c2b/confirmation', async (req, res) => {
    const c2b = parseC2bCallback(req.body);
    logCallback('c2b confirmation', c2b);
    const payee = await c2bPayee(c2b, shortCode!, db);
    if (payee.kind === 'school') {
      // School Fees (src/fees/c2b.ts): the school's own paybill, so only its book moves.
      const recorded = await confirmSchoolC2b(db, payee.school, c2b);
      const level = recorded.status === 'unmatched' && !recorded.replayed ? 'warn' : 'info';
      log.log(level, 'c2b school fees confirmation recorded', {
        transId: c2b.transId, schoolId: payee.school.id, status: recorded.status, paymentId: String(recorded.paymentId), replayed: recorded.replayed,
      });
      res.json(C2B_CONFIRMED);
      return;
    }
    if (payee.kind === 'unknown') {
      // Money M-Pesa says has moved to a paybill that is neither Simu's nor a school's: it
      // answers 400 and is recorded nowhere (confirmC2b refuses it), so someone registered
      // our URL for a paybill we do not serve. Daraja retries and then drops it: page the on-call.
      log.error('c2b confirmation for an unknown shortcode: not recorded', {
        transId: c2b.transId, shortCode: c2b.shortCode, amount: String(c2b.amount),
      });
    }
    const outcome = await confirmC2b(c2b, shortCode!, db);
    const level = outcome.status === 'suspense' && !outcome.replayed ? 'warn' : 'info';
    log.log(level, 'c2b confirmation recorded', { transId: c2b.transId, ...outcome });
    // Success whatever became of the money: Daraja must not retry a payment Simu holds.
    res.json(C2B_CONFIRMED);
  });
  // POST /b2c/result and /b2c/timeout (src/mpesa/b2c-http.ts), POST /stk/callback
  // (src/mpesa/stk-http.ts): behind the same token. The rail counts as configured only with
  // Simu's paybill (MPESA_SHORTCODE) set, which C2B and STK both need.
  callbacks.use(b2cCallbackRoutes(db));
  callbacks.use(stkCallbackRoutes(db));

  const router = Router();
  // A NUL or a lone surrogate anywhere in a body is refused (400) before any callback reads it.
  router.use('/mpesa/:token', requireToken, express.json({ limit: '64kb' }), refuseUnstorableBody, callbacks);
  return router;
}

/** Logs a callback's facts; the account (a phone number) is masked as every MSISDN in logs. */
function logCallback(what: string, c2b: ParsedC2b): void {
  const account = normalizeMsisdn(c2b.billRef);
  log.info(`${what} received`, {
    transId: c2b.transId, amount: c2b.amount, shortCode: c2b.shortCode,
    account: account ? maskMsisdn(account) : maskMsisdn(c2b.billRef), payer: maskMsisdn(c2b.msisdn),
  });
}
