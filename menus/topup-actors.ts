/**
 * The effect of My Account → 7 Top up from M-PESA, declared for the setup (implemented in
 * src/ussd/effects-topup.ts). Amounts are cents as decimal strings (JSON context).
 */
import { effect } from './effect.js';

/** What `requestTopUp` takes: no PIN (M-Pesa asks the M-PESA PIN on the phone). */
export interface RequestTopUpInput {
  msisdn: string;
  amountCents: string;
  /** `ussd:<sessionId>:<n>`: a replayed hop records one request. */
  idempotencyKey: string;
}

/** The recorded request's amount (cents). */
export interface RequestTopUpOutput {
  amountCents: string;
}

/** The Top up from M-PESA effects, spread into the setup's actors. */
export const topUpActors = {
  requestTopUp: effect<RequestTopUpInput, RequestTopUpOutput>('requestTopUp'),
};
