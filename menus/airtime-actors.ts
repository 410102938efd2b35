/**
 * The effects of the Airtime menu, declared for the setup (implemented in
 * src/ussd/effects-airtime.ts). Amounts are cents as decimal strings (JSON context).
 */
import { effect } from './effect.js';

/** What `buyAirtime` takes: the PIN rides in the event, never in the context. */
export interface BuyAirtimeInput {
  payerMsisdn: string;
  recipientMsisdn: string;
  amountCents: string;
  pin: string;
  /** `ussd:<sessionId>:<n>`. */
  idempotencyKey: string;
}

/** What the last screen shows: the purchase's code and the payer's balance after. */
export interface BuyAirtimeOutput {
  code: string;
  amountCents: string;
  recipientMsisdn: string;
  balanceCents: string;
}

export const airtimeActors = {
  buyAirtime: effect<BuyAirtimeInput, BuyAirtimeOutput>('buyAirtime'),
};
