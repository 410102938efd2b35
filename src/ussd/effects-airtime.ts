/** The airtime menu's effects, implemented with the domain (see menus/airtime-actors.ts). */
import type { BuyAirtimeInput, BuyAirtimeOutput } from '../../menus/airtime-actors.js';
import { buyAirtime } from '../airtime/index.js';
import { domainEffect } from './effect.js';

export const airtimeEffects = {
  /** Debits the wallet and records the request (key `ussd:<sessionId>:<n>`); AT is called by the worker. */
  buyAirtime: domainEffect<BuyAirtimeInput, BuyAirtimeOutput>(async (i) => {
    const p = await buyAirtime({ payerMsisdn: i.payerMsisdn, recipientMsisdn: i.recipientMsisdn, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey });
    return { code: p.code, amountCents: p.amount.toString(), recipientMsisdn: p.recipientMsisdn, balanceCents: p.balance.toString() };
  }),
};
