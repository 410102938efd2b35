/**
 * Daraja C2B-style validation: before a Lipa payment posts, a merchant with a validation
 * URL is asked whether to accept it. The call runs outside the payment's transaction (no
 * row lock waits on a merchant's server) and has a deadline well inside the USSD hop's
 * budget; past it, or on any answer that is not Daraja's, the merchant's default applies,
 * as M-Pesa's ResponseType Completed / Cancelled does.
 */
import { logger } from '../logger/index.js';
import { MerchantRejectedError } from './errors.js';
import { postToMerchant } from './http.js';
import { c2bRequest, readValidationAnswer, type C2bFacts } from './daraja.js';
import type { Merchant } from './repository.js';

const log = logger.child({ component: 'merchants' });

/** The result code a rejection carries when the merchant did not answer and its default is to reject. */
export const NO_ANSWER = 'timeout';

/** An accepted payment: `thirdPartyTransId` is what the merchant echoed, if anything. */
export interface ValidationOutcome {
  /** `answered` by the merchant, `default` applied (no URL, no answer in time, or no Daraja answer). */
  by: 'answered' | 'default' | 'no_url';
  thirdPartyTransId?: string;
}

/**
 * Asks `merchant`'s validation URL about a payment (when it has one). Moves nothing.
 *
 * @throws MerchantRejectedError the merchant answered `C2B000xx`, or did not answer and its default is reject
 */
export async function validatePayment(merchant: Merchant, facts: C2bFacts): Promise<ValidationOutcome> {
  if (!merchant.validationUrl) return { by: 'no_url' };
  const fields = { merchantId: merchant.id, shortCode: merchant.shortCode };
  let verdict = null;
  try {
    const answer = await postToMerchant(merchant.validationUrl, c2bRequest(facts), merchant.validationTimeoutMs);
    verdict = readValidationAnswer(answer.status, answer.body);
    if (!verdict) log.warn('merchant validation answer was not Daraja\'s; default applies', { ...fields, httpStatus: answer.status, default: merchant.validationDefault });
  } catch (err) {
    log.warn('merchant validation did not answer; default applies', { ...fields, error: (err as Error).message, default: merchant.validationDefault });
  }
  if (verdict?.accepted) return { by: 'answered', ...(verdict.thirdPartyTransId ? { thirdPartyTransId: verdict.thirdPartyTransId } : {}) };
  if (verdict) {
    log.info('merchant validation rejected a payment', { ...fields, resultCode: verdict.resultCode });
    throw new MerchantRejectedError(verdict.resultCode, verdict.resultDesc);
  }
  if (merchant.validationDefault === 'reject') throw new MerchantRejectedError(NO_ANSWER, 'the merchant did not answer');
  return { by: 'default' };
}
