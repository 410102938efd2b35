/**
 * Money by SMS, confirmed over USSD: what the menu is given when the first hop's text is a
 * live confirmation code of the caller (src/ussd/runner.ts looks it up), and the one
 * effect of its own (marking the request used; the money moves through the payment
 * menus' own effects, keyed `sms:<requestId>`).
 *
 * The shared types are extended here by declaration merging, as lipa-actors.ts does.
 */
import { effect } from './effect.js';

/** The kinds of money command an SMS may stage. */
export type SmsCommandKind = 'send' | 'paybill' | 'till' | 'contribute' | 'repay';

/** A pending request as the confirmation screen shows and executes it (cents as strings). */
export interface SmsConfirmationView {
  /** sms_confirmations.id: the idempotency key is `sms:<requestId>`. */
  requestId: string;
  kind: SmsCommandKind;
  amountCents: string;
  chargeCents: string;
  /** send */
  recipientMsisdn?: string;
  recipientName?: string;
  /** paybill / till */
  shortCode?: string;
  accountRef?: string;
  merchantName?: string;
  /** contribute */
  chamaId?: number;
  chamaName?: string;
  /** repay */
  loanId?: string;
  productName?: string;
}

declare module './types.js' {
  interface MenuInput {
    /** The pending request the first hop's code opened (absent: an ordinary dial). */
    smsConfirmation?: SmsConfirmationView | null;
    /** The first hop's code was one of the caller's, but expired or used. */
    smsConfirmationStale?: boolean;
  }
}

/** Inputs and outputs of the confirmation's own effect. */
export interface SmsConfirmEffects {
  markSmsConfirmationUsed: { input: { requestId: string; msisdn: string }; output: Record<string, never> };
}

export const smsConfirmActors = {
  markSmsConfirmationUsed: effect<SmsConfirmEffects['markSmsConfirmationUsed']['input'], SmsConfirmEffects['markSmsConfirmationUsed']['output']>('markSmsConfirmationUsed'),
};
