/**
 * SMS: the outbox (written in the transaction of the event that causes an SMS), the words
 * of every SMS, the relay into bull, the AT sender, AT's delivery reports, and what the
 * web process needs: its `sms` queue handle and an operator's retry.
 */
export { enqueueSms, SCHEDULED_KINDS, type OutboxSms, type SmsKind, type EnqueueOptions } from './outbox.js';
export { sealSecret, openSecret, textToSend, SECRET_PLACEHOLDER } from './secret.js';
export { isQuietHour, nextSendableAt, QUIET_FROM_HOUR, QUIET_UNTIL_HOUR } from './quiet-hours.js';
export { sms, receiptTime, type ReceiptFacts } from './messages.js';
export {
  sendViaAt, classifyAtResponse, classifyAtError, AT_SEND_TIMEOUT_MS,
  type AtSendResult, type AtSendResponse, type AtRecipient,
} from './at-client.js';
export {
  SMS_QUEUE, smsJobId, sendOutboxSms, processSmsJob, SmsSendRetryError,
  type SmsJob, type SmsSendOutcome, type SendOutboxSmsOptions,
} from './sender.js';
export {
  relayOutbox, relayPendingOutbox, relayStuckOutbox, startRelay, STUCK_AFTER_MINUTES,
  type RelayResult, type RelayLoop, type RelayLoopOptions,
} from './relay.js';
export {
  recordDeliveryReport, parseDeliveryReport, smsDeliveryRouter,
  type DeliveryReport, type DeliveryReportResult, type DeliveryReportOutcome,
} from './delivery-reports.js';
export { smsQueueHandle } from './queue-handle.js';
export { devSmsRouter, keptSmsFor, KEPT_SMS_LIMIT, type KeptSms } from './embedded.js';
export { retryOutboxSms, SmsNotRetryableError, type OutboxRow, type RetryOutboxSmsOptions } from './retry.js';
export { type DeliveryReportOptions } from './delivery-reports.js';
export {
  DR_RETRY_BACKOFF_MINUTES, RETRIABLE_FAILURE_REASONS, FINAL_FAILURE_REASONS, FAILED_STATUSES,
  failureReasonOf, isRetriableFailure, redeliveryAt, type RedeliveryOptions,
} from './delivery-retry.js';
export {
  smsInboundRouter, handleInboundSms, parseSms, parseMoneyCommand, parseInboundSms, parseOptOut, optOut, optIn, isOptedOut,
  smsRateLimit, SMS_COMMANDS_PER_HOUR, defaultStager,
  type InboundSms, type InboundDeps, type InboundResult, type InboundOutcome, type MoneyStager, type ParsedSms, type CommandName,
} from './inbound/index.js';
// Money by SMS, confirmed over USSD: stageMoneyCommand and the dial-code lookup live in ./confirm/index.js
// (imported from there: it reaches the payment domains, which import this file).
export type { MoneyCommand, StagedCommand } from './confirm/index.js';
export { smsParts, SMS_PART_PRICE_CENTS, type SmsParts } from './bulk-parts.js';
export {
  previewBulkSms, sendBulkSms, segmentRecipients,
  type BulkSegment, type BulkMessage, type BulkPreview, type BulkRequester,
} from './bulk.js';
