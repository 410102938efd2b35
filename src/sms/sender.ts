/**
 * The processor of the `sms` queue: sends one outbox row through Africa's Talking, once.
 *
 * A job that runs twice sends once: the row is claimed by one atomic UPDATE (pending or
 * queued → sending) before AT is called, and a second job finds nothing to claim. A row left
 * in `sending` by a crashed worker may be claimed again after 2 minutes (SMS_CLAIM_EXPIRES_S); so only a crash
 * between AT's acceptance and our UPDATE to `sent` can send a second copy (DESIGN.md, SMS).
 * Each outcome is written with the claim's `attempts` as a fencing token, so a job that lost
 * its claim does not overwrite the row of the job that holds it.
 */
import { config } from '../config/index.js';
import { db as processDb, type Knex } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { logger, maskMsisdn, withLogContext } from '../logger/index.js';
import { countSmsOutcome } from '../metrics/index.js';
import type { Job } from '../queue/connections.js';
import { AT_SEND_TIMEOUT_MS, sendViaAt, type AtSendResult } from './at-client.js';
import { textToSend } from './secret.js';
import { keepSms } from './embedded.js';

const log = logger.child({ component: 'sms' });

/** The name of the bull queue that carries outbox rows to AT. */
export const SMS_QUEUE = 'sms';

/** The data of an `sms` job: the outbox row id (a bigint, as a decimal string for JSON). */
export interface SmsJob {
  outboxId: string;
}

/** The bull jobId of an outbox row, `sms:<id>`: bull ignores a second add with the same id. */
export function smsJobId(outboxId: bigint | string): string {
  return `sms:${outboxId}`;
}

/** What `sendOutboxSms` did: sent, refused for good, or nothing (sent already, or held by another job). */
export type SmsSendOutcome = 'sent' | 'failed' | 'skipped';

/**
 * Thrown when AT could not take an SMS this time (HTTP error, timeout, a transient recipient
 * status) so that bull retries the job with backoff. When `final`, the row is already `failed`.
 */
export class SmsSendRetryError extends AppError {
  constructor(readonly outboxId: string, reason: string, readonly final: boolean) {
    super('sms_send_retry', `SMS ${outboxId} not sent: ${reason}`, 503, false);
  }
}

/** Options of `sendOutboxSms`. */
export interface SendOutboxSmsOptions {
  /** Defaults to the process pool. Not a transaction: AT is called between two statements. */
  db?: Knex;
  /** True on bull's last attempt: a transient failure then ends the row `failed`. */
  finalAttempt?: boolean;
}

interface ClaimedRow {
  id: bigint;
  msisdn: string;
  message: string;
  kind: string;
  attempts: number;
  session_id: string | null;
  sender_id: string | null;
  secret_sealed: string | null;
}

// A row is free when pending or queued, or when a claim is older than
// config.smsClaimExpiresSeconds (default 2 minutes: its worker died). AT_SEND_TIMEOUT_MS
// keeps a live send well inside that window.
const CLAIM_SQL = `
  UPDATE sms_outbox SET status = 'sending', claimed_at = now(), attempts = attempts + 1
  WHERE id = ? AND (status IN ('pending', 'queued')
                    OR (status = 'sending' AND claimed_at < now() - (? * interval '1 second')))
  RETURNING id, msisdn, message, kind, attempts, session_id, sender_id, secret_sealed`;

async function claim(db: Knex, id: string): Promise<ClaimedRow | undefined> {
  const result = await db.raw<{ rows: ClaimedRow[] }>(CLAIM_SQL, [id, config.smsClaimExpiresSeconds]);
  return result.rows[0];
}

/** Updates the claimed row, unless another job has claimed it since. */
async function settle(db: Knex, row: ClaimedRow, changes: Record<string, unknown>): Promise<void> {
  const updated = await db('sms_outbox')
    .where({ id: String(row.id), status: 'sending', attempts: row.attempts })
    .update(changes);
  if (updated === 0) log.warn('sms outbox row was claimed by another job while sending', { outboxId: String(row.id) });
}

/**
 * How long the record of an accepted send is retried while the database does not answer:
 * up to a minute, and always ending before another job may take the claim over (the claim
 * window less a send's own timeout), which would send a second copy.
 */
export const SETTLE_PATIENCE_MS = Math.min(60_000, Math.max(5_000, config.smsClaimExpiresSeconds * 1000 - AT_SEND_TIMEOUT_MS - 5_000));

/**
 * `settle`, retried with backoff (0.25 s doubling to 8 s) for up to SETTLE_PATIENCE_MS while
 * it fails: the row stays claimed by this job meanwhile (the claim window is longer than a
 * live send). Throws the last error when the database is still away after that.
 */
async function settlePatiently(db: Knex, row: ClaimedRow, changes: Record<string, unknown>): Promise<void> {
  const deadline = Date.now() + SETTLE_PATIENCE_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 8_000)) {
    try {
      await settle(db, row, changes);
      return;
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      log.warn('sms sent but not yet recorded; retrying the record', { outboxId: String(row.id), error: (err as Error).message });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function logOutcome(row: ClaimedRow, outcome: string, result: AtSendResult): void {
  // Never the message: receipts carry balances.
  const fields = {
    outboxId: String(row.id), kind: row.kind, msisdn: maskMsisdn(row.msisdn), outcome, attempt: row.attempts,
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    atStatus: result.status, atStatusCode: result.statusCode,
    ...(result.outcome === 'accepted' ? { atMessageId: result.messageId } : { reason: result.reason }),
  };
  countSmsOutcome(outcome, row.kind); // simu_sms_sent_total / simu_sms_failed_total
  if (outcome === 'sent') log.info('sms sent', fields);
  else if (outcome === 'retry') log.warn('sms not sent, will retry', fields);
  else log.error('sms failed', fields);
}

/**
 * Sends outbox row `outboxId` through AT, at most once per claim (idempotency key: the row
 * id). Returns 'sent' (status `sent`, at_message_id, at_status, sent_at recorded), 'failed'
 * (AT refused it for good: status `failed`, last_error) or 'skipped' (nothing to claim: sent
 * already, or another job holds it). On a transient failure it puts the row back to
 * `queued` (or `failed` when `finalAttempt`) with last_error and throws SmsSendRetryError.
 * Database errors are thrown as they come.
 */
export async function sendOutboxSms(outboxId: string | bigint, opts: SendOutboxSmsOptions = {}): Promise<SmsSendOutcome> {
  const db = opts.db ?? processDb;
  const id = String(outboxId);
  const row = await claim(db, id);
  if (!row) {
    log.debug('sms skipped: sent already or held by another job', { outboxId: id });
    return 'skipped';
  }
  const text = textToSend(row.message, row.secret_sealed);
  // Embedded mode sends nothing: the SMS is kept in memory and logged (./embedded.ts).
  let result = config.embedded ? keepSms(row.msisdn, text, row.message) : await sendViaAt(row.msisdn, text, undefined, row.sender_id ?? undefined);
  if (row.sender_id && result.outcome === 'permanent' && result.status === 'InvalidSenderId') {
    // A school's sender name AT has not approved for us: the SMS still matters, so it goes
    // under Simu's own sender; the person on call hears of the name to get approved.
    log.warn('sms sender id refused by AT; sent under Simu\'s sender', { outboxId: id, senderId: row.sender_id });
    result = await sendViaAt(row.msisdn, text);
  }
  if (result.outcome === 'accepted') {
    // AT has the message: from here a lost record means a second copy later, so the record
    // is pressed through a database outage (the fault suite's PostgreSQL restart).
    await settlePatiently(db, row, { status: 'sent', at_message_id: result.messageId, at_status: result.status, sent_at: db.fn.now(), last_error: null, secret_sealed: null });
    logOutcome(row, 'sent', result);
    return 'sent';
  }
  if (result.outcome === 'permanent') {
    await settle(db, row, { status: 'failed', at_status: result.status, last_error: result.reason, secret_sealed: null });
    logOutcome(row, 'failed', result);
    return 'failed';
  }
  const final = opts.finalAttempt ?? false;
  const next = final ? { status: 'failed', secret_sealed: null } : { status: 'queued', queued_at: db.fn.now() };
  await settle(db, row, { ...next, at_status: result.status, last_error: result.reason });
  logOutcome(row, final ? 'failed' : 'retry', result);
  throw new SmsSendRetryError(id, result.reason, final);
}

/**
 * The bull processor of the `sms` queue (job data `SmsJob`). Passes bull's attempt count
 * on so that the last attempt leaves the row `failed`; throws SmsSendRetryError so that
 * bull retries with the queue's backoff. A job without a valid outboxId is logged and dropped.
 * `db` defaults to the process pool.
 */
export async function processSmsJob(job: Job<SmsJob>, db?: Knex): Promise<void> {
  const outboxId = job.data?.outboxId;
  if (typeof outboxId !== 'string' || !/^[0-9]{1,19}$/.test(outboxId)) {
    log.error('sms job without a valid outboxId: dropped', { jobId: String(job.id) });
    return;
  }
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  await withLogContext({ jobId: String(job.id) }, () => sendOutboxSms(outboxId, { db, finalAttempt }));
}
