/**
 * Daraja's B2C callbacks, mounted by ./http.ts behind the callback token:
 * `POST /mpesa/<token>/b2c/result` (ResultURL) and `/b2c/timeout` (QueueTimeOutURL).
 * A malformed body answers 400 with a reason and changes nothing; anything else answers
 * `{ "ResultCode": 0, "ResultDesc": "Accepted" }` (Daraja's acknowledgement, per
 * https://developer.safaricom.co.ke/APIs/BusinessToCustomer), whatever became of it, so
 * that Daraja does not retry what Simu holds. Replays act once (./b2c-outcome.ts).
 */
import { Router } from 'express';
import { db as defaultDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { parseB2cResult } from './b2c-callback.js';
import { applyB2cResult, applyB2cTimeout } from './b2c-outcome.js';

const log = logger.child({ component: 'mpesa' });

/** What Simu answers every well-formed B2C callback. */
export const B2C_ACCEPTED = Object.freeze({ ResultCode: 0, ResultDesc: 'Accepted' });

/** The B2C callback routes (a sub-router with the parent's params). */
export function b2cCallbackRoutes(db: Db = defaultDb): Router {
  const r = Router({ mergeParams: true });
  r.post('/b2c/result', async (req, res) => {
    const result = parseB2cResult(req.body);
    const outcome = await applyB2cResult(result, db);
    log.info('b2c result applied', { originatorConversationId: result.originatorConversationId, resultCode: result.resultCode, outcome });
    res.json(B2C_ACCEPTED);
  });
  r.post('/b2c/timeout', async (req, res) => {
    const result = parseB2cResult(req.body, { timeout: true });
    const outcome = await applyB2cTimeout(result, db);
    log.warn('b2c queue timeout applied', { originatorConversationId: result.originatorConversationId, outcome });
    res.json(B2C_ACCEPTED);
  });
  return r;
}
