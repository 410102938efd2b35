/**
 * M-Pesa (Safaricom Daraja): the API client (OAuth token cache, `darajaPost`, C2B URL
 * registration), Daraja's callbacks (C2B, STK push, B2C), C2B top-ups into wallets, the
 * receipts held in suspense until an operator allocates them, and the STK and B2C
 * requests Daraja left hanging, which an operator settles.
 */
export {
  DarajaClient, darajaClient, c2bCallbackUrls, DARAJA_HOSTS, TOKEN_MARGIN_MS, DARAJA_TIMEOUT_MS,
  type DarajaClientOptions, type C2bRegisterRequest, type C2bRegisterAnswer, type C2bResponseType,
} from './client.js';
export { parseC2bCallback, type C2bCallback, type ParsedC2b } from './callback.js';
export { validateC2b, confirmC2b, accountHolder, mpesaKey, C2B_CONFIRMED, type C2bValidationAnswer, type C2bOutcome } from './c2b.js';
export { suspenseQuery, allocateReceipt, toReceiptView, type ReceiptView, type Allocation } from './receipts.js';
export { mpesaRouter, tokenMatches, type MpesaRouterOptions } from './http.js';
export { registerRequest, registerC2bUrls } from './register-urls.js';
export { topUpSms, type TopUpFacts } from './messages.js';
export {
  MpesaNotConfiguredError, DarajaAuthError, DarajaRequestError, DarajaUnreachableError, ReceiptNotFoundError, ReceiptNotInSuspenseError,
  MpesaRequestNotFoundError, MpesaRequestStateError, ReceiptConflictError,
} from './errors.js';
// Withdraw to M-Pesa (B2C): the USSD debit, the worker's Daraja request, the result/timeout callbacks.
export { quoteB2cWithdrawal, requestB2cWithdrawal, checkB2cAmount, B2C_MIN_AMOUNT, type B2cQuote, type B2cWithdrawal, type B2cOrder } from './b2c.js';
export { dispatchB2c, b2cSettings, b2cRequestBody, B2C_PATH, type B2cDispatchOptions, type B2cPaymentRequest, type B2cAcknowledgement, type B2cDispatch } from './b2c-send.js';
export { startB2cWorker, type RunningB2cWorker } from './b2c-worker.js';
export { parseB2cResult, type ParsedB2cResult } from './b2c-callback.js';
export { applyB2cResult, applyB2cTimeout, reverseB2c, b2cReversalKey, type B2cOutcome } from './b2c-outcome.js';
// Top up from M-PESA (STK push): the USSD request, the worker's push and query, the callback.
export { requestStkTopUp, stkPushBody, stkQueryBody, stkPassword, darajaTimestamp, StkAmountError, STK_MIN_CENTS, STK_MAX_CENTS, type StkTopUp, type StkTopUpRequest, type StkPushBody } from './stk.js';
export { parseStkCallback, settleStkCallback, STK_ACCEPTED, OPEN_STK_STATUSES, type ParsedStkCallback, type StkSettlement } from './stk-callback.js';
export { requestFeesStk, settleFeeStkByReceipt, settleFeeStkCallback, settleFeePushFromC2b, awaitsFeePush, ACCOUNT_REFERENCE_MAX, FEES_STK_DESC, type FeesStkRequest, type FeesStk, type FeeStkOutcome } from './stk-fees.js';
export { pushRequestedStk, reviewStk, startStkWorker, GIVE_UP_MINUTES, GAVE_UP_DESC, type StkReview, type StkWorkerOptions } from './stk-worker.js';
export { creditReceipt, type MpesaReceipt } from './c2b.js';
export { stkFailureSms } from './messages.js';
// Requests Daraja left hanging, for the person on call: lists and the operator's settlements.
export {
  stkRequestsQuery, toStkRequestView, creditStkRequest, failStkRequest, normalizeReceipt, STK_STATUSES, STK_NEEDS_PERSON, STK_SETTLEABLE, STK_OPERATOR_CODE,
  type StkStatus, type StkRequestView, type StkCredit, type StkCreditResult, type StkFailure,
} from './stk-admin.js';
export {
  b2cReviewQuery, toB2cRequestView, flagStuckB2c, completeB2cRequest, reverseB2cRequest, B2C_STUCK_MINUTES, B2C_STATUSES, B2C_REVIEW_FILTERS, B2C_OPERATOR_CODE,
  type B2cStatus, type B2cReviewFilter, type B2cRequestView, type B2cSettlement,
} from './b2c-admin.js';
