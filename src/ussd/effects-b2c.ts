/** The effects of Withdraw Cash → To M-PESA, implemented with src/mpesa (see menus/withdraw-actors.ts). */
import type { WithdrawEffects } from '../../menus/withdraw-actors.js';
import { quoteB2cWithdrawal, requestB2cWithdrawal } from '../mpesa/b2c.js';
import { domainEffect } from './effect.js';

type E = WithdrawEffects;

/** Withdraw-to-M-Pesa effects, for `mainMenu.provide({ actors })`. */
export const b2cEffects = {
  quoteMpesaWithdrawal: domainEffect<E['quoteMpesaWithdrawal']['input'], E['quoteMpesaWithdrawal']['output']>(async (i) => {
    const q = await quoteB2cWithdrawal(i.msisdn, BigInt(i.amountCents));
    return { chargeCents: q.charge.toString() };
  }),
  /** Debits the wallet and records the request (key `ussd:<sessionId>:<n>`); Daraja is called by the worker. */
  withdrawToMpesa: domainEffect<E['withdrawToMpesa']['input'], E['withdrawToMpesa']['output']>(async (i) => {
    const w = await requestB2cWithdrawal({ msisdn: i.msisdn, amount: BigInt(i.amountCents), pin: i.pin, idempotencyKey: i.idempotencyKey });
    return { code: w.code, amountCents: w.amount.toString(), chargeCents: w.charge.toString(), balanceCents: w.balance.toString() };
  }),
};
