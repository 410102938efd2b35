/**
 * An operator's retry of one outbox SMS (admin API): the row goes back to `pending`, so the
 * relay hands it to bull again and the sender sends it once more, e.g. after AT's account
 * was topped up or AT_SENDER_ID fixed.
 */
import type { Knex } from '../db/index.js';
import { AppError, NotFoundError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import type { Queue } from '../queue/connections.js';
import { STUCK_AFTER_MINUTES } from './relay.js';
import { smsJobId, type SmsJob } from './sender.js';
import { SECRET_PLACEHOLDER } from './secret.js';

const log = logger.child({ component: 'sms' });

/** The row cannot be retried now: sent or delivered already, pending already, or in flight (409). */
export class SmsNotRetryableError extends AppError {
  constructor(readonly outboxId: string, readonly rowStatus: string, reason: string) {
    super('sms_not_retryable', `SMS ${outboxId} is ${rowStatus}: ${reason}`, 409, true);
  }
}

/** An sms_outbox row as stored. */
export type OutboxRow = Record<string, unknown> & { id: bigint; status: string };

/** Options of `retryOutboxSms`. */
export interface RetryOutboxSmsOptions {
  /** The `sms` queue, to drop the row's finished job; without it the relay's stuck pass does so, minutes later. */
  queue?: Queue<SmsJob>;
  /** How long a job lookup in Redis may take, in milliseconds. Default 2000. */
  queueTimeoutMs?: number;
}

const WHY_NOT: Record<string, string> = {
  sent: 'Africa\'s Talking accepted it already; retrying would send a second copy',
  delivered: 'it reached the phone already',
  pending: 'it is waiting for the relay already',
};

/**
 * Sets outbox row `id` back to `pending` (an SMS is sent again: the row id stays its
 * idempotency key, the sender's claim still sends it once per retry). Allowed for a
 * `failed` row, and for a `queued` or `sending` row stuck for more than
 * STUCK_AFTER_MINUTES (by the database's clock). Keeps attempts, at_status, last_error and
 * at_message_id as they were: a late delivery report of the earlier send still finds the
 * row. Run it in the transaction that writes the audit row. Returns the row before and after.
 *
 * A job that failed for good stays in bull under the row's jobId (`sms:<id>`), and bull
 * ignores a new job under an id it holds: so the finished job is removed from `queue`
 * here, before commit, so that the relay's next add is not ignored. A live job (waiting,
 * delayed, active) is left alone: it sends the pending row itself.
 *
 * @throws NotFoundError no row `id`
 * @throws SmsNotRetryableError sent, delivered, pending, in flight and not stuck, or its sealed secret is gone
 */
export async function retryOutboxSms(
  trx: Knex.Transaction, id: string, opts: RetryOutboxSmsOptions = {},
): Promise<{ before: OutboxRow; after: OutboxRow }> {
  const before: (OutboxRow & { stuck: boolean }) | undefined = await trx('sms_outbox')
    .select('*', trx.raw(`(CASE status WHEN 'queued' THEN queued_at WHEN 'sending' THEN claimed_at END)
      < now() - make_interval(secs => ?) AS stuck`, [STUCK_AFTER_MINUTES * 60]))
    .where({ id }).forUpdate().first();
  if (!before) throw new NotFoundError(`no SMS ${id} in the outbox`);
  const { stuck, ...row } = before;
  if (WHY_NOT[row.status]) throw new SmsNotRetryableError(id, row.status, WHY_NOT[row.status]);
  if (String(row.message).includes(SECRET_PLACEHOLDER) && !row.secret_sealed) {
    throw new SmsNotRetryableError(id, row.status, 'the secret it carried (a one-time code or an initial PIN) is gone; ask for a new one');
  }
  if (row.status !== 'failed' && !stuck) {
    throw new SmsNotRetryableError(id, row.status, `it is in flight; retry only after ${Math.round(STUCK_AFTER_MINUTES * 60)} seconds without progress`);
  }
  const [after] = await trx('sms_outbox').where({ id }).update({ status: 'pending', claimed_at: null }).returning('*');
  if (opts.queue) await dropFinishedJob(opts.queue, id, opts.queueTimeoutMs ?? 2000);
  return { before: row, after };
}

/**
 * Removes the finished (failed or completed) bull job of row `id`, if any. Best effort: when
 * Redis does not answer, the row still goes back to pending, and the relay's stuck pass
 * replaces the job after STUCK_AFTER_MINUTES.
 */
async function dropFinishedJob(queue: Queue<SmsJob>, id: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const drop = async () => {
    const job = await queue.getJob(smsJobId(id));
    if (!job) return;
    const state = await job.getState();
    if (state === 'failed' || state === 'completed') await job.remove();
  };
  try {
    await Promise.race([drop(), late]);
  } catch (err) {
    log.warn('sms retry could not drop the finished bull job; the relay will replace it later', {
      outboxId: id, error: err instanceof Error ? err.message : String(err),
    });
  } finally {
    clearTimeout(timer);
  }
}
