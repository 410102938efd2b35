/**
 * Merchants (Lipa: Pay Bill and Buy Goods): merchants as data with their settlement
 * accounts, commission rate and SMS language; payments to them, Daraja C2B-style
 * validation before posting, and confirmations delivered from an outbox after it, which
 * operators can list and retry.
 */
export {
  findMerchant, activeMerchant, getMerchant, merchantsQuery, createMerchant, updateMerchant, toMerchant, settlementAccountCode,
  MERCHANT_KINDS, MERCHANT_LANGUAGES, type Merchant, type MerchantKind, type NewMerchant, type MerchantChanges, type ValidationDefault, type MerchantStatus,
  type MerchantLanguage,
} from './repository.js';
export { payMerchant, quoteLipa, lookupMerchantName, ACCOUNT_REF, type LipaRequest, type LipaReceipt } from './pay.js';
export { commissionFor, MAX_COMMISSION_BP, DEFAULT_COMMISSION_BP } from './commission.js';
export { merchantNotice, payerReceipt, type LipaSmsFacts, type MerchantNoticeFacts } from './messages.js';
export { validatePayment, NO_ANSWER, type ValidationOutcome } from './validation.js';
export { c2bRequest, readValidationAnswer, transTime, shillings, maskedMsisdn, type C2bRequest, type C2bFacts, type ValidationVerdict } from './daraja.js';
export {
  CONFIRMATION_QUEUE, CLAIM_EXPIRES_MINUTES, deliverConfirmation, relayConfirmations, processConfirmationJob, confirmationJobId, ConfirmationRetryError,
  type ConfirmationJob, type DeliverOptions,
} from './confirmations.js';
export {
  confirmationsQuery, findConfirmation, retryConfirmation, ConfirmationNotRetryableError, CONFIRMATION_FILTERS,
  type ConfirmationFilter, type ConfirmationRow, type RetryConfirmationOptions,
} from './retry.js';
export { confirmationQueueHandle } from './queue-handle.js';
export { startConfirmationWorker, type ConfirmationWorkerOptions, type RunningConfirmationWorker } from './worker.js';
export { MerchantNotFoundError, MerchantExistsError, MerchantRejectedError } from './errors.js';
