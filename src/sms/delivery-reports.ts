/**
 * AT's SMS delivery reports. AT posts, form-encoded, to the callback URL set in its
 * dashboard (SMS → SMS Callback URLs → Delivery Reports): `id` (the messageId of the send
 * answer), `status` (Sent, Submitted, Buffered, Rejected, Success, Failed, AbsentSubscriber,
 * Expired), `phoneNumber`, `networkCode`, and `failureReason` (only with Rejected or Failed),
 * `retryCount` (premium SMS only). Source: AT's SMS notifications docs.
 *
 * Success is delivered to the handset; Rejected, Failed and Expired are final failures;
 * the others (Sent, Submitted, Buffered, AbsentSubscriber: the telco may still deliver) are
 * recorded in at_status only. A report never undoes `delivered`.
 */
import express, { Router, type Request, type Response } from 'express';
import { Ajv } from 'ajv';
import { db as processDb, type Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { logger, maskMsisdn } from '../logger/index.js';

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

const FINAL_FAILURES = new Set(['Rejected', 'Failed', 'Expired']);

/** What a report did to its row. */
export type DeliveryReportOutcome = 'delivered' | 'failed' | 'recorded' | 'unknown_id';

/** The outcome, and the outbox row the report was about when one matched. */
export interface DeliveryReportResult {
  outcome: DeliveryReportOutcome;
  outboxId?: string;
}

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

function changesFor(report: DeliveryReport, current: string, db: Knex): [DeliveryReportOutcome, Record<string, unknown>] {
  if (report.status === 'Success') {
    return ['delivered', { status: 'delivered', at_status: report.status, delivered_at: db.raw('coalesce(delivered_at, now())') }];
  }
  if (current === 'delivered') return ['recorded', {}]; // a late or out-of-order report
  if (FINAL_FAILURES.has(report.status)) {
    const reason = `${report.status}${report.failureReason ? `: ${report.failureReason}` : ''}`;
    return ['failed', { status: 'failed', at_status: report.status, last_error: reason }];
  }
  return ['recorded', { at_status: report.status }];
}

/**
 * Applies one AT delivery report to the outbox row whose at_message_id is `payload.id`:
 * Success → `delivered` and delivered_at; Rejected, Failed, Expired → `failed` with the
 * reason in last_error; other statuses → at_status only. Idempotent: AT may post a report
 * twice. Returns `unknown_id` when no row matches. Throws ValidationError on a bad payload.
 */
export async function recordDeliveryReport(payload: unknown, db: Knex = processDb): Promise<DeliveryReportResult> {
  const report = parseDeliveryReport(payload);
  return db.transaction(async (trx) => {
    const row: { id: bigint; status: string; kind: string } | undefined = await trx('sms_outbox')
      .select('id', 'status', 'kind').where({ at_message_id: report.id }).forUpdate().first();
    const fields = { atMessageId: report.id, atStatus: report.status, failureReason: report.failureReason, msisdn: maskMsisdn(report.phoneNumber) };
    if (!row) {
      log.warn('sms delivery report for an unknown message', fields);
      return { outcome: 'unknown_id' as const };
    }
    const [outcome, changes] = changesFor(report, row.status, trx);
    if (Object.keys(changes).length > 0) await trx('sms_outbox').where({ id: String(row.id) }).update(changes);
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
 * `POST /sms/delivery`: AT's delivery report callback (form-encoded). Answers 200
 * `{ ok, outcome }`, or 400 `{ error, reason }` for a bad payload. The HTTP app mounts it
 * behind the AT_CALLBACK_TOKEN check.
 */
export const smsDeliveryRouter: Router = Router();
smsDeliveryRouter.post('/sms/delivery', express.urlencoded({ extended: false, limit: '16kb' }), handleDeliveryReport);
