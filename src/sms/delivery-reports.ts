/**
 * AT's SMS delivery reports. AT posts, form-encoded, to the callback URL set in its
 * dashboard (SMS → SMS Callback URLs → Delivery Reports): `id` (the messageId of the send
 * answer), `status` (Sent, Submitted, Buffered, Rejected, Success, Failed, AbsentSubscriber,
 * Expired), `phoneNumber`, `networkCode`, and `failureReason` (only with Rejected or Failed),
 * `retryCount` (premium SMS only). Source: AT's SMS notifications docs.
 *
 * Success is delivered to the handset. Rejected, Failed and Expired end that send: when the
 * reason may clear (./delivery-retry.ts) the row goes back to `pending` with a `not_before`
 * (backoff 5, 30, 120 minutes) and the relay sends it again, up to 3 times; otherwise, or
 * past the limit, it is final `failed` and logged as `sms undeliverable` (an alert). The
 * others (Sent, Submitted, Buffered, AbsentSubscriber: the telco may still deliver) are
 * recorded in at_status only. A report never undoes `delivered`; a report seen before
 * changes nothing more.
 */
import express, { Router, type Request, type Response } from 'express';
import { Ajv } from 'ajv';
import { db as processDb, type Knex } from '../db/index.js';
import { ValidationError, refuseUnstorableBody } from '../errors/index.js';
import { logger, maskMsisdn } from '../logger/index.js';
import { FAILED_STATUSES, failureReasonOf, isRetriableFailure, redeliveryAt, type RedeliveryOptions } from './delivery-retry.js';
import { SECRET_PLACEHOLDER } from './secret.js';

const log = logger.child({ component: 'sms' });

/** A delivery report as AT posts it (form fields are strings). */
export interface DeliveryReport {
  id: string;
  status: string;
  phoneNumber?: string;
  networkCode?: string;
  failureReason?: string;
  retryCount?: string | number;
}

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 100 },
    // Open-ended on purpose: a status AT adds later is recorded, not refused.
    status: { type: 'string', pattern: '^[A-Za-z]{1,40}$' },
    phoneNumber: { type: 'string', maxLength: 32 },
    networkCode: { type: 'string', maxLength: 16 },
    failureReason: { type: 'string', maxLength: 100 },
    retryCount: { anyOf: [{ type: 'string', pattern: '^[0-9]{1,6}$' }, { type: 'integer', minimum: 0 }] },
  },
  required: ['id', 'status'],
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<DeliveryReport>(schema);

/** What a report did to its row: `retry` means set back to pending for another send. */
export type DeliveryReportOutcome = 'delivered' | 'failed' | 'retry' | 'recorded' | 'unknown_id';

/** The outcome, and the outbox row the report was about when one matched. */
export interface DeliveryReportResult {
  outcome: DeliveryReportOutcome;
  outboxId?: string;
}

/** Options of `recordDeliveryReport`: the redelivery backoff and clock (tests shorten them). */
export type DeliveryReportOptions = RedeliveryOptions;

function reasonOf(errors: typeof validate.errors): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath.slice(1) || String(e.params.missingProperty ?? 'body')}: ${e.message}`)
    .join('; ');
}

/** Validates `payload` as a DeliveryReport; throws ValidationError (HTTP 400) with the reason. */
export function parseDeliveryReport(payload: unknown): DeliveryReport {
  if (!validate(payload)) throw new ValidationError(`bad delivery report: ${reasonOf(validate.errors)}`);
  return payload;
}

interface ReportedRow {
  id: bigint;
  status: string;
  kind: string;
  msisdn: string;
  message: string;
  secret_sealed: string | null;
  dr_retries: number;
  at_message_id: string | null;
}

const ROW_COLUMNS = ['id', 'status', 'kind', 'msisdn', 'message', 'secret_sealed', 'dr_retries', 'at_message_id'];

/**
 * The outbox row of AT message `atMessageId`, locked: the row that carries it now, or the
 * row an earlier send of which carried it (sms_delivery_retries). `current` is false in the
 * latter case: the report is about a send that was superseded.
 */
async function findRow(trx: Knex.Transaction, atMessageId: string): Promise<{ row: ReportedRow; current: boolean } | undefined> {
  const row: ReportedRow | undefined = await trx('sms_outbox').select(ROW_COLUMNS).where({ at_message_id: atMessageId }).forUpdate().first();
  if (row) return { row, current: true };
  const earlier = await trx('sms_delivery_retries').select('outbox_id').where({ at_message_id: atMessageId }).first();
  if (!earlier) return undefined;
  const old: ReportedRow | undefined = await trx('sms_outbox').select(ROW_COLUMNS).where({ id: String(earlier.outbox_id) }).forUpdate().first();
  return old && { row: old, current: old.at_message_id === atMessageId };
}

/** Applies a failed report (Failed, Rejected, Expired) to a `sent` row: another send, or final. */
async function applyFailure(trx: Knex.Transaction, report: DeliveryReport, row: ReportedRow, opts: DeliveryReportOptions): Promise<DeliveryReportOutcome> {
  const reason = failureReasonOf(report.status, report.failureReason);
  const lastError = `${report.status}${report.failureReason ? `: ${report.failureReason}` : ''}`;
  const fields = { outboxId: String(row.id), kind: row.kind, msisdn: maskMsisdn(row.msisdn), atMessageId: report.id, atStatus: report.status, failureReason: reason };
  const retry = row.dr_retries + 1;
  const secretGone = row.message.includes(SECRET_PLACEHOLDER) && !row.secret_sealed;
  const notBefore = isRetriableFailure(reason) && !secretGone ? redeliveryAt(retry, row.kind, opts) : null;
  if (notBefore) {
    await trx('sms_outbox').where({ id: String(row.id) }).update({
      status: 'pending', not_before: notBefore, dr_retries: retry, claimed_at: null,
      at_status: report.status, failure_reason: reason, last_error: lastError,
    });
    await trx('sms_delivery_retries').insert({
      at_message_id: report.id, outbox_id: String(row.id), retry, at_status: report.status, failure_reason: reason, not_before: notBefore,
    }).onConflict('at_message_id').ignore();
    log.warn('sms not delivered; will send again', { ...fields, retry, notBefore: notBefore.toISOString() });
    return 'retry';
  }
  await trx('sms_outbox').where({ id: String(row.id) }).update({
    status: 'failed', at_status: report.status, failure_reason: reason, last_error: lastError, secret_sealed: null,
  });
  const why = secretGone ? 'its one-time secret is gone' : isRetriableFailure(reason) ? 'redelivery limit reached' : 'not retriable';
  // An alert for the person on call: a stable message to match on, never the text.
  log.error('sms undeliverable', {
    ...fields, alert: true, why, redeliveries: row.dr_retries,
    ...(reason === 'InsufficientCredit' ? { action: 'check Simu\'s Africa\'s Talking account: balance and SMS product setup' } : {}),
  });
  return 'failed';
}

/**
 * Applies one AT delivery report to the outbox row whose at_message_id is `payload.id` (or
 * whose earlier send carried it): Success → `delivered` and delivered_at; Rejected, Failed,
 * Expired of the row's current send → `pending` again for another send when the reason may
 * clear and fewer than 3 redeliveries were made (`retry`), else `failed` with the reason in
 * failure_reason and last_error and an alert logged; other statuses → at_status only.
 * Idempotent: AT may post a report twice, and a report of a send that was superseded or
 * already settled changes nothing. Returns `unknown_id` when no row matches. Throws
 * ValidationError on a bad payload.
 */
export async function recordDeliveryReport(payload: unknown, db: Knex = processDb, opts: DeliveryReportOptions = {}): Promise<DeliveryReportResult> {
  const report = parseDeliveryReport(payload);
  return db.transaction(async (trx) => {
    const found = await findRow(trx, report.id);
    const fields = { atMessageId: report.id, atStatus: report.status, failureReason: report.failureReason, msisdn: maskMsisdn(report.phoneNumber) };
    if (!found) {
      log.warn('sms delivery report for an unknown message', fields);
      return { outcome: 'unknown_id' as const };
    }
    const { row, current } = found;
    let outcome: DeliveryReportOutcome = 'recorded';
    if (report.status === 'Success') {
      await trx('sms_outbox').where({ id: String(row.id) })
        .update({ status: 'delivered', at_status: report.status, delivered_at: trx.raw('coalesce(delivered_at, now())') });
      outcome = 'delivered';
    } else if (row.status === 'delivered' || !current) {
      outcome = 'recorded'; // a late, out-of-order or superseded report
    } else if (FAILED_STATUSES.has(report.status)) {
      if (row.status === 'sent') outcome = await applyFailure(trx, report, row, opts);
      else outcome = row.status === 'failed' ? 'failed' : 'retry'; // seen before: settled already
    } else if (row.status === 'sent') {
      await trx('sms_outbox').where({ id: String(row.id) }).update({ at_status: report.status });
    }
    log.info('sms delivery report', { ...fields, outboxId: String(row.id), kind: row.kind, outcome });
    return { outcome, outboxId: String(row.id) };
  });
}

async function handleDeliveryReport(req: Request, res: Response): Promise<void> {
  try {
    const result = await recordDeliveryReport(req.body ?? {});
    // 200 for an unknown id too: AT retries anything else, and retrying will not make it known.
    res.status(200).json({ ok: true, outcome: result.outcome });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err; // express 5 passes it to the error handler
    log.info('bad sms delivery report', { reason: err.message });
    res.status(400).json({ error: err.code, reason: err.message });
  }
}

/**
 * `POST /sms/delivery-reports` (and the older `POST /sms/delivery`, kept for callback URLs
 * already set in AT's dashboard): AT's delivery report callback (form-encoded). Answers 200
 * `{ ok, outcome }`, or 400 `{ error, reason }` for a bad payload. The HTTP app mounts it
 * behind the AT_CALLBACK_TOKEN check.
 */
export const smsDeliveryRouter: Router = Router();
smsDeliveryRouter.post(['/sms/delivery', '/sms/delivery-reports'], express.urlencoded({ extended: false, limit: '16kb' }), refuseUnstorableBody, handleDeliveryReport);
