/**
 * The processor of the `airtime` queue: sends one pending request to AT. A request is
 * claimed by one atomic UPDATE before AT is called, so a second job for it finds nothing
 * to claim; a claim left by a crashed worker may be taken again after 2 minutes, and AT's
 * Idempotency-Key (`simu-airtime-<id>`) keeps that retry from buying twice.
 */
import { config } from '../config/index.js';
import { db as processDb, type Knex } from '../db/index.js';
import { AppError } from '../errors/index.js';
import { logger, maskMsisdn, withLogContext } from '../logger/index.js';
import type { Job } from '../queue/connections.js';
import { sendAirtimeViaAt, type AtAirtimeResult } from './at-airtime.js';
import { recordAirtimeSuccess, reverseAirtime } from './outcome.js';

const log = logger.child({ component: 'airtime' });

/** The bull queue that carries airtime requests to AT. */
export const AIRTIME_QUEUE = 'airtime';

/** An `airtime` job's data: the request id (a bigint, as a decimal string for JSON). */
export interface AirtimeJob {
  airtimeId: string;
}

/** The bull jobId of request `id`: bull ignores a second add with the same id. */
export function airtimeJobId(id: bigint | string): string {
  return `airtime:${id}`;
}

/** Thrown so that bull tries the job again with backoff. */
export class AirtimeRetryError extends AppError {
  constructor(readonly airtimeId: string, reason: string) {
    super('airtime_retry', `airtime ${airtimeId} not sent: ${reason}`, 503, false);
  }
}

/** What `sendAirtimeRequest` did. */
export type AirtimeSendOutcome = 'sent' | 'reversed' | 'unresolved' | 'skipped';

interface Claimed {
  id: bigint;
  recipient_msisdn: string;
  amount: bigint;
  attempts: number;
}

const CLAIM_SQL = `
  UPDATE airtime_requests SET claimed_at = now(), attempts = attempts + 1
  WHERE id = ? AND status = 'pending' AND (claimed_at IS NULL OR claimed_at < now() - interval '2 minutes')
  RETURNING id, recipient_msisdn, amount, attempts`;

/**
 * Sends request `id` to AT once per claim. Accepted → `sent` with AT's requestId; refused
 * → reversed (./outcome.ts); AT surely did not take it → claim released and
 * AirtimeRetryError thrown (on the last attempt: reversed); AT may have taken it → claim
 * released and AirtimeRetryError thrown (on the last attempt: left `pending` for the
 * review pass and the admin report, never reversed on a guess).
 */
export async function sendAirtimeRequest(id: string, opts: { db?: Knex; finalAttempt?: boolean } = {}): Promise<AirtimeSendOutcome> {
  const db = opts.db ?? processDb;
  const row = (await db.raw<{ rows: Claimed[] }>(CLAIM_SQL, [id])).rows[0];
  if (!row) return 'skipped';
  const amountKes = Number(BigInt(row.amount) / 100n);
  // Embedded mode buys nothing: AT's acceptance and its Success callback are played here.
  const result: AtAirtimeResult = config.embedded
    ? { outcome: 'accepted', requestId: `embedded-${id}`, status: 'Kept' }
    : await sendAirtimeViaAt(row.recipient_msisdn, amountKes, `simu-airtime-${id}`);
  logResult(row, result);
  if (result.outcome === 'accepted') {
    await db('airtime_requests').where({ id, status: 'pending' }).update({
      status: 'sent', at_request_id: result.requestId, at_status: result.status, sent_at: db.fn.now(), last_error: null,
    });
    if (config.embedded) await recordAirtimeSuccess(row.id, db);
    return 'sent';
  }
  if (result.outcome === 'refused') {
    await reverseAirtime(id, `AT refused: ${result.reason}`, db);
    return 'reversed';
  }
  const final = opts.finalAttempt ?? false;
  if (final && result.outcome === 'retry') {
    await reverseAirtime(id, `AT did not take it: ${result.reason}`, db);
    return 'reversed';
  }
  await db('airtime_requests').where({ id, status: 'pending' }).update({ claimed_at: null, at_status: result.status, last_error: result.reason });
  if (final) return 'unresolved';
  throw new AirtimeRetryError(id, result.reason);
}

function logResult(row: Claimed, result: AtAirtimeResult): void {
  const fields = {
    airtimeId: String(row.id), msisdn: maskMsisdn(row.recipient_msisdn), attempt: row.attempts, outcome: result.outcome, atStatus: result.status,
    ...(result.outcome === 'accepted' ? { atRequestId: result.requestId } : { reason: result.reason }),
  };
  if (result.outcome === 'accepted') log.info(config.embedded ? 'airtime kept, not bought (embedded mode)' : 'airtime sent to AT', fields);
  else log.warn('airtime not taken by AT', fields);
}

/** The bull processor of the `airtime` queue; drops (and logs) a job without a valid id. */
export async function processAirtimeJob(job: Job<AirtimeJob>, db?: Knex): Promise<AirtimeSendOutcome | undefined> {
  const id = job.data?.airtimeId;
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
    log.error('airtime job without a valid id: dropped', { jobId: String(job.id) });
    return undefined;
  }
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  return withLogContext({ jobId: String(job.id) }, () => sendAirtimeRequest(id, { db, finalAttempt }));
}
