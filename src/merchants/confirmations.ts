/**
 * Delivery of Lipa confirmations to merchants' confirmation URLs, at least once: the row
 * is written in the payment's transaction (./pay.ts); the relay hands it to bull; the
 * processor POSTs its stored Daraja C2B body (the same `TransID`, the entry's code, on
 * every try) until the merchant answers 2xx, with bull's retries and backoff. A merchant
 * must therefore treat a repeated TransID as the same payment, as Daraja asks of them.
 *
 * As with the SMS outbox, a job that runs twice delivers once per claim: the row is claimed
 * by one atomic UPDATE before the POST, and an outcome is written only by the claim that
 * holds it (`attempts` fences it). Redis is not the record: rows stuck in `queued` or
 * `delivering` are relayed again, and `failed` rows (out of attempts) are tried again
 * every hour, so that a merchant who comes back after a long outage still hears of every
 * payment. `next_attempt_at` says when the next POST is due (bull's backoff after a failed
 * try, the hour after a job ran out of attempts; null once delivered): the relay takes
 * `failed` rows by it, and an operator's retry (./retry.ts) sets it to now.
 */
import type { Knex } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { logger, withLogContext } from '../logger/index.js';
import type { Job, Queue } from '../queue/connections.js';
import { postToMerchant } from './http.js';

const log = logger.child({ component: 'merchants' });

/** The bull queue of confirmations. */
export const CONFIRMATION_QUEUE = 'merchant-confirmations';
/** How long one POST of a confirmation may take. */
export const CONFIRMATION_TIMEOUT_MS = 10_000;
const STUCK_AFTER_MINUTES = 5;
const FAILED_RETRY_MINUTES = 60;
/** A claim older than this is taken to be dead: another job may claim the row again. */
export const CLAIM_EXPIRES_MINUTES = 2;

/** The data of a confirmation job: the row id (a bigint as a decimal string). */
export interface ConfirmationJob {
  confirmationId: string;
}

/** The bull jobId of a row: bull ignores a second add under the same id. */
export function confirmationJobId(id: bigint | string): string {
  return `confirmation:${id}`;
}

/** The merchant did not answer 2xx this time; bull retries. When `final`, the row is `failed`. */
export class ConfirmationRetryError extends AppError {
  constructor(readonly confirmationId: string, reason: string, readonly final: boolean) {
    super('confirmation_retry', `confirmation ${confirmationId} not delivered: ${reason}`, 503, false);
  }
}

interface ClaimedRow {
  id: bigint;
  url: string;
  payload: Record<string, unknown>;
  attempts: number;
}

const CLAIM_SQL = `
  UPDATE merchant_confirmations SET status = 'delivering', claimed_at = now(), attempts = attempts + 1
  WHERE id = ? AND (status IN ('pending', 'queued')
                    OR (status = 'delivering' AND claimed_at < now() - make_interval(mins => ?)))
  RETURNING id, url, payload, attempts`;

/** Options of `deliverConfirmation`. */
export interface DeliverOptions {
  /** This is the job's last try: a failure leaves the row `failed`, due again in an hour. */
  finalAttempt?: boolean;
  /** How long the POST may take (ms). Default CONFIRMATION_TIMEOUT_MS. */
  timeoutMs?: number;
  /** When bull tries again after a failure (ms from now), for `next_attempt_at`. Default 0. */
  retryInMs?: number;
}

/**
 * POSTs confirmation `id` once (if it is not delivered already or held by another job).
 * Returns 'delivered' or 'skipped'; on a non-2xx answer, a timeout or a network error it
 * puts the row back to `queued` (or `failed` when `finalAttempt`), records when the next
 * try is due, and throws ConfirmationRetryError so that bull retries.
 */
export async function deliverConfirmation(db: Knex, id: string, opts: DeliverOptions = {}): Promise<'delivered' | 'skipped'> {
  const row = (await db.raw<{ rows: ClaimedRow[] }>(CLAIM_SQL, [id, CLAIM_EXPIRES_MINUTES])).rows[0];
  if (!row) return 'skipped';
  const fence = { id: String(row.id), status: 'delivering', attempts: row.attempts };
  let httpStatus: number | null = null;
  let reason: string;
  try {
    httpStatus = (await postToMerchant(row.url, row.payload, opts.timeoutMs ?? CONFIRMATION_TIMEOUT_MS)).status;
    reason = `HTTP ${httpStatus}`;
  } catch (err) {
    reason = (err as Error).message;
  }
  const fields = { confirmationId: id, transId: row.payload.TransID, attempt: row.attempts, httpStatus };
  if (httpStatus !== null && httpStatus >= 200 && httpStatus < 300) {
    await db('merchant_confirmations').where(fence).update({
      status: 'delivered', delivered_at: db.fn.now(), next_attempt_at: null, last_http_status: httpStatus, last_error: null,
    });
    log.info('merchant confirmation delivered', fields);
    return 'delivered';
  }
  const final = opts.finalAttempt ?? false;
  const next = final
    ? { status: 'failed', next_attempt_at: db.raw('now() + make_interval(mins => ?)', [FAILED_RETRY_MINUTES]) }
    : { status: 'queued', queued_at: db.fn.now(), next_attempt_at: db.raw('now() + make_interval(secs => ?)', [Math.max(0, opts.retryInMs ?? 0) / 1000]) };
  await db('merchant_confirmations').where(fence).update({ ...next, last_http_status: httpStatus, last_error: reason.slice(0, 500) });
  log.warn(final ? 'merchant confirmation failed for now; retried hourly' : 'merchant confirmation not delivered, will retry', { ...fields, reason });
  throw new ConfirmationRetryError(id, reason, final);
}

/** The bull processor of the confirmation queue. A job without a valid id is logged and dropped. */
export async function processConfirmationJob(job: Job<ConfirmationJob>, db: Knex, timeoutMs?: number): Promise<void> {
  const id = job.data?.confirmationId;
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
    log.error('confirmation job without a valid id: dropped', { jobId: String(job.id) });
    return;
  }
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const retryInMs = backoffAfter(job.opts.backoff, job.attemptsMade + 1);
  await withLogContext({ jobId: String(job.id) }, () => deliverConfirmation(db, id, { finalAttempt, timeoutMs, retryInMs }));
}

/** The delay bull waits before the next try after `attemptsMade` tries failed (its fixed and exponential strategies). */
function backoffAfter(backoff: number | { type?: string; delay?: number } | undefined, attemptsMade: number): number {
  if (typeof backoff === 'number') return backoff;
  const delay = backoff?.delay ?? 0;
  if (backoff?.type === 'exponential') return Math.round((2 ** attemptsMade - 1) * delay);
  return backoff?.type === 'fixed' ? delay : 0;
}

/**
 * One relay pass: hands up to `batch` pending rows to bull (status `queued`), then adds
 * again the jobs of rows stuck in `queued`/`delivering` and of `failed` rows due another
 * try. Rows are locked SKIP LOCKED: any number of workers may relay at once. Returns how
 * many jobs it added.
 */
export async function relayConfirmations(db: Knex, queue: Queue<ConfirmationJob>, batch = 100): Promise<number> {
  return db.transaction(async (trx) => {
    const rows: Array<{ id: bigint; status: string }> = await trx('merchant_confirmations')
      .select('id', 'status')
      .where('status', 'pending')
      .orWhere((q) => q.where('status', 'queued').andWhere('queued_at', '<', ago(trx, STUCK_AFTER_MINUTES)))
      .orWhere((q) => q.where('status', 'delivering').andWhere('claimed_at', '<', ago(trx, STUCK_AFTER_MINUTES)))
      .orWhere((q) => q.where('status', 'failed').andWhere('next_attempt_at', '<=', trx.fn.now()))
      .orderBy('id').limit(batch).forUpdate().skipLocked();
    let added = 0;
    for (const row of rows) if (await ensureJob(queue, String(row.id))) added += 1;
    if (rows.length) await trx('merchant_confirmations').whereIn('id', rows.map((r) => String(r.id))).update({ status: 'queued', queued_at: trx.fn.now() });
    return added;
  });
}

function ago(trx: Knex.Transaction, minutes: number) {
  return trx.raw(`now() - make_interval(mins => ?)`, [minutes]);
}

/** Adds row `id`'s job unless bull holds a live one (a finished one is replaced). */
async function ensureJob(queue: Queue<ConfirmationJob>, id: string): Promise<boolean> {
  const jobId = confirmationJobId(id);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return false;
    if (!(await existing.remove().then(() => true, () => false))) return false;
  }
  await queue.add({ confirmationId: id }, { jobId });
  return true;
}
