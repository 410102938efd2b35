/**
 * The SMS confirmation's own effect (menus/sms-confirm-actors.ts): marking the request
 * used once its money moved. The money itself moves through the payment menus' effects.
 */
import type { SmsConfirmEffects } from '../../menus/sms-confirm-actors.js';
import { db } from '../db/index.js';
import { markRequestUsed } from '../sms/confirm/index.js';
import { domainEffect } from './effect.js';

export const smsConfirmEffects = {
  markSmsConfirmationUsed: domainEffect<SmsConfirmEffects['markSmsConfirmationUsed']['input'], SmsConfirmEffects['markSmsConfirmationUsed']['output']>(async (i) => {
    await markRequestUsed(db, i.requestId, i.msisdn);
    return {};
  }),
};
