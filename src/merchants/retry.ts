/**
 * The operator's side of merchant confirmations (admin API): a merchant's confirmations
 * newest first, and a retry that makes one due now — after the merchant fixed its
 * confirmation URL, say, rather than waiting out bull's backoff or the hourly round.
 */
import type { Db, Knex } from '../db/index.js';
import { AppError, NotFoundError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import type { Queue } from '../queue/connections.js';
import { CLAIM_EXPIRES_MINUTES, confirmationJobId, type ConfirmationJob } from './confirmations.js';

const log = logger.child({ component: 'merchants' });

/** What a listing narrows to: `pending` is every row still on its way (pending, queued, delivering). */
export type ConfirmationFilter = 'pending' | 'delivered' | 'failed';
export const CONFIRMATION_FILTERS: readonly ConfirmationFilter[] = ['pending', 'delivered', 'failed'];
const STATUSES_OF: Record<ConfirmationFilter, string[]> = {
  pending: ['pending', 'queued', 'delivering'],
  delivered: ['delivered'],
  failed: ['failed'],
};

/** A merchant_confirmations row as stored, with its entry's transaction code (`code`, the TransID). */
export type ConfirmationRow = Record<string, unknown> & { id: bigint; status: string; code: string };

/** The row cannot be retried: delivered already, or a POST of it is in flight (409). */
export class ConfirmationNotRetryableError extends AppError {
  constructor(readonly confirmationId: string, readonly rowStatus: string, reason: string) {
    super('confirmation_not_retryable', `confirmation ${confirmationId} is ${rowStatus}: ${reason}`, 409, true);
  }
}

/**
 * The confirmations of merchant `merchantId` (not ordered or limited: the admin pager
 * orders by `c.id` newest first), each with its entry's code, narrowed by `status`.
 */
export function confirmationsQuery(db: Db, merchantId: number, status?: ConfirmationFilter): Knex.QueryBuilder {
  const query = db('merchant_confirmations as c')
    .join('journal_entries as e', 'e.id', 'c.journal_entry_id')
    .where('c.merchant_id', merchantId)
    .select('c.*', 'e.code');
  if (status) query.whereIn('c.status', STATUSES_OF[status]);
  return query;
}

/** Confirmation `id` with its entry's code, or null. */
export async function findConfirmation(db: Db, id: string): Promise<ConfirmationRow | null> {
  const row = await confirmationsRow(db, id).first();
  return row ?? null;
}

function confirmationsRow(db: Db, id: string): Knex.QueryBuilder {
  return db('merchant_confirmations as c').join('journal_entries as e', 'e.id', 'c.journal_entry_id').where('c.id', id).select('c.*', 'e.code');
}

/** Options of `retryConfirmation`. */
export interface RetryConfirmationOptions {
  /** The confirmation queue, to run a job waiting out its backoff now; without it the job keeps its delay. */
  queue?: Queue<ConfirmationJob>;
  /** How long the queue may take to answer, in milliseconds. Default 2000. */
  queueTimeoutMs?: number;
}

/**
 * Makes confirmation `id` due now: `next_attempt_at` becomes now and the row goes (back)
 * to `pending`, so the relay hands it to bull at its next pass — a `failed` row (out of
 * attempts, waiting for the hourly round) as much as a `queued` one. A bull job waiting
 * out its backoff is promoted to run at once, and a finished one removed (the relay adds a
 * fresh one with a full set of attempts). `attempts` and the last error stay as they
 * were. Run it in the transaction that writes the audit row. Returns the row before and after.
 *
 * @throws NotFoundError no row `id`
 * @throws ConfirmationNotRetryableError delivered already, or claimed by a job less than
 *   CLAIM_EXPIRES_MINUTES ago (its POST is in flight)
 */
export async function retryConfirmation(
  trx: Knex.Transaction, id: string, opts: RetryConfirmationOptions = {},
): Promise<{ before: ConfirmationRow; after: ConfirmationRow }> {
  const locked: { status: string; in_flight: boolean } | undefined = await trx('merchant_confirmations')
    .select('status', trx.raw(`(status = 'delivering' AND claimed_at >= now() - make_interval(mins => ?)) AS in_flight`, [CLAIM_EXPIRES_MINUTES]))
    .where({ id }).forUpdate().first();
  if (!locked) throw new NotFoundError(`no merchant confirmation ${id}`);
  if (locked.status === 'delivered') throw new ConfirmationNotRetryableError(id, 'delivered', 'the merchant answered 2xx already');
  if (locked.in_flight) throw new ConfirmationNotRetryableError(id, 'delivering', `a POST is in flight; retry after ${CLAIM_EXPIRES_MINUTES} minutes without an answer`);
  const before = (await confirmationsRow(trx, id).first()) as ConfirmationRow;
  await trx('merchant_confirmations').where({ id }).update({ status: 'pending', next_attempt_at: trx.fn.now() });
  const after = (await confirmationsRow(trx, id).first()) as ConfirmationRow;
  if (opts.queue) await hurryJob(opts.queue, id, opts.queueTimeoutMs ?? 2000);
  return { before, after };
}

/**
 * Promotes row `id`'s delayed bull job (it runs now, and claims the row once this
 * transaction commits), or removes a finished one (the relay then adds a fresh one). Best
 * effort: when Redis does not answer, the row is pending all the same and the relay
 * catches up.
 */
async function hurryJob(queue: Queue<ConfirmationJob>, id: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const hurry = async () => {
    const job = await queue.getJob(confirmationJobId(id));
    if (!job) return;
    const state = await job.getState();
    if (state === 'delayed') await job.promote();
    else if (state === 'failed' || state === 'completed') await job.remove();
  };
  try {
    await Promise.race([hurry(), late]);
  } catch (err) {
    log.warn('confirmation retry could not hurry the bull job; the relay will catch up', {
      confirmationId: id, error: err instanceof Error ? err.message : String(err),
    });
  } finally {
    clearTimeout(timer);
  }
}
