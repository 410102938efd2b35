/**
 * Banks: Equity's and KCB's signed payment webhooks (HMAC-SHA256 of the raw body), each
 * payment credited once to the customer whose phone number the payer typed as the account,
 * or held on suspense:bank until an operator allocates it. Payloads follow
 * /work/shared/reference/000_9f163036b5a0d679.txt. Amounts are KES cents as bigint.
 */
export { bankWebhookRouter } from './router.js';
export { BANKS, BANK_CODES, enabledBank, parseBankPayload, type BankCode, type BankPayment, type BankSpec } from './payloads.js';
export { parseShillingsExact, rawAmountText, rawTopLevelValues } from './amount.js';
export { signBody, signatureMatches } from './signature.js';
export { receiveBankPayment, bankLedgerKey, type BankAck, type ReceivedBankPayment } from './receive.js';
export { allocateBankPayment, type AllocationRequest, type AllocationOutcome } from './allocate.js';
export {
  bankPaymentsQuery, toBankPayment, findBankPayment,
  type BankPaymentRecord, type BankPaymentStatus, type SuspenseReason,
} from './repository.js';
export { bankSms, type BankReceiptFacts } from './messages.js';
export { BadSignatureError, BankPaymentConflictError, BankPaymentNotFoundError, NotInSuspenseError } from './errors.js';
