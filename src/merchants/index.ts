/**
 * Merchants (Lipa: Pay Bill and Buy Goods): merchants as data with their settlement
 * accounts, payments to them with 0.5 % commission, Daraja C2B-style validation before
 * posting, and confirmations delivered from an outbox after it.
 */
export {
  findMerchant, activeMerchant, getMerchant, merchantsQuery, createMerchant, updateMerchant, toMerchant, settlementAccountCode,
  MERCHANT_KINDS, type Merchant, type MerchantKind, type NewMerchant, type MerchantChanges, type ValidationDefault, type MerchantStatus,
} from './repository.js';
export { payMerchant, quoteLipa, lookupMerchantName, ACCOUNT_REF, type LipaRequest, type LipaReceipt } from './pay.js';
export { commissionFor } from './commission.js';
export { validatePayment, NO_ANSWER, type ValidationOutcome } from './validation.js';
export { c2bRequest, readValidationAnswer, transTime, shillings, maskedMsisdn, type C2bRequest, type C2bFacts, type ValidationVerdict } from './daraja.js';
export {
  CONFIRMATION_QUEUE, deliverConfirmation, relayConfirmations, processConfirmationJob, confirmationJobId, ConfirmationRetryError, type ConfirmationJob,
} from './confirmations.js';
export { startConfirmationWorker, type ConfirmationWorkerOptions, type RunningConfirmationWorker } from './worker.js';
export { MerchantNotFoundError, MerchantExistsError, MerchantRejectedError } from './errors.js';
