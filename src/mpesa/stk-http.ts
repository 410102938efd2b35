/**
 * `POST /stk/callback` under `/mpesa/<token>` (mounted by ./http.ts behind the callback
 * token): Daraja's STK push result (https://developer.safaricom.co.ke/APIs/MpesaExpressSimulate).
 * A malformed body answers 400 with a reason and changes nothing; anything else answers
 * `{"ResultCode":0,"ResultDesc":"Accepted"}` once it is recorded.
 */
import { Router } from 'express';
import type { Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { parseStkCallback, settleStkCallback, STK_ACCEPTED } from './stk-callback.js';

const log = logger.child({ component: 'mpesa' });

/** The STK callback route, for the token-guarded callbacks router. */
export function stkCallbackRoutes(db: Db): Router {
  const router = Router({ mergeParams: true });
  router.post('/stk/callback', async (req, res) => {
    const cb = parseStkCallback(req.body);
    log.info('stk callback received', { checkoutRequestId: cb.checkoutRequestId, resultCode: cb.resultCode, receipt: cb.paid?.receiptNumber, amount: cb.paid?.amount });
    const settled = await settleStkCallback(cb, db);
    log.log(settled.status === 'unknown_request' ? 'warn' : 'info', 'stk callback recorded', {
      checkoutRequestId: cb.checkoutRequestId, status: settled.status, replayed: settled.replayed, receipt: settled.receipt?.status,
    });
    res.json(STK_ACCEPTED);
  });
  return router;
}
