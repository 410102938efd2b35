/**
 * Buy Airtime: the purchase (debit into `clearing:airtime` and the request row, one
 * transaction), the worker that buys the airtime through AT's Airtime API, AT's status
 * callback, the reversal of what AT refuses or fails, and the review of late requests,
 * which asks AT about those it took and never reported on.
 */
export { buyAirtime, type AirtimePurchase, type AirtimeOrder } from './buy.js';
export { AirtimeAmountError, AirtimeNotCheckableError, isAirtimeAmount, MIN_AIRTIME_CENTS, MAX_AIRTIME_CENTS } from './errors.js';
export {
  findAirtimeRequest, toAirtimeRequest, AIRTIME_STATUSES, OPEN_STATUSES,
  type AirtimeRequest, type AirtimeStatus, type AirtimeCheckOutcome,
} from './repository.js';
export { recordAirtimeSuccess, reverseAirtime, reversalKey, type AirtimeOutcome } from './outcome.js';
export { recordAirtimeStatus, parseAirtimeStatus, airtimeStatusRouter, type AirtimeStatusReport } from './callback.js';
export { sendAirtimeViaAt, classifyAirtimeAnswer, classifyAirtimeError, type AtAirtimeResult, type AtAirtimeAnswer } from './at-airtime.js';
export { findAirtimeStatusViaAt, classifyFindAnswer, classifyFindError, AT_STATUS_TIMEOUT_MS, type AtStatusAnswer, type AtFindAnswer } from './at-status.js';
export { checkAirtimeWithAt, checkUnresolvedWithAt, AT_CHECK_EVERY_MINUTES, AT_CHECK_BATCH, type AirtimeCheck, type AirtimeChecks } from './check.js';
export { sendAirtimeRequest, processAirtimeJob, airtimeJobId, AIRTIME_QUEUE, AirtimeRetryError, type AirtimeJob, type AirtimeSendOutcome } from './send.js';
export {
  relayAirtime, reviewAirtime, startAirtimeWorker, UNRESOLVED_AFTER_MINUTES,
  type AirtimeReview, type AirtimeWorkerOptions, type RunningAirtimeWorker,
} from './worker.js';
export { airtimeSms, type AirtimeFacts, type AirtimeReversalFacts } from './messages.js';
