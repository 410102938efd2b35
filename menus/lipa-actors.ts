/**
 * The effects of the Lipa menu, declared for the setup (implemented in
 * src/ussd/effects-lipa.ts). Amounts are cents as decimal strings (JSON context).
 *
 * The menu's own context and failure fields are added to the shared types here, by
 * declaration merging, so that menus/types.ts stays the base menus' file.
 */
import { effect } from './effect.js';

/** Paybill (business number and account number) or till (Buy Goods). */
export type LipaKind = 'paybill' | 'till';

/** What the Lipa menu keeps between hops. */
export interface LipaContext {
  kind: LipaKind;
  shortCode?: string;
  merchantName?: string;
  accountRef?: string;
}

/** The END screen's facts of a paid bill or bought goods. */
export interface LipaReceiptView {
  code: string;
  merchantName: string;
  accountRef: string;
  amountCents: string;
  balanceCents: string;
}

declare module './types.js' {
  interface MenuContext {
    lipa?: LipaContext;
    lipaReceipt?: LipaReceiptView;
  }
  interface MenuFailure {
    /** For merchant_rejected: the merchant's Daraja ResultCode (`C2B00012`, ...) or `timeout`. */
    resultCode?: string;
  }
}

/** Inputs and outputs of the Lipa effects. */
export interface LipaEffects {
  lookupMerchant: { input: { kind: LipaKind; shortCode: string }; output: { merchantName: string } };
  quoteLipa: { input: { payerMsisdn: string; kind: LipaKind; shortCode: string; amountCents: string }; output: { merchantName: string } };
  payMerchant: {
    input: { payerMsisdn: string; kind: LipaKind; shortCode: string; accountRef: string; amountCents: string; pin: string; idempotencyKey: string };
    output: LipaReceiptView;
  };
}

export const lipaActors = {
  lookupMerchant: effect<LipaEffects['lookupMerchant']['input'], LipaEffects['lookupMerchant']['output']>('lookupMerchant'),
  quoteLipa: effect<LipaEffects['quoteLipa']['input'], LipaEffects['quoteLipa']['output']>('quoteLipa'),
  payMerchant: effect<LipaEffects['payMerchant']['input'], LipaEffects['payMerchant']['output']>('payMerchant'),
};
