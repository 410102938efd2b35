/** The Top up from M-PESA effect, implemented with the domain (see menus/topup-actors.ts). */
import type { RequestTopUpInput, RequestTopUpOutput } from '../../menus/topup-actors.js';
import { requestStkTopUp } from '../mpesa/stk.js';
import { domainEffect } from './effect.js';

export const topUpEffects = {
  /** Records the STK push request (key `ussd:<sessionId>:<n>`); the worker pushes it after the session ends. */
  requestTopUp: domainEffect<RequestTopUpInput, RequestTopUpOutput>(async (i) => {
    const r = await requestStkTopUp({ msisdn: i.msisdn, amount: BigInt(i.amountCents), idempotencyKey: i.idempotencyKey });
    return { amountCents: r.amount.toString() };
  }),
};
