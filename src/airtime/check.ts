/**
 * Asking AT about airtime it took but never reported on (its status callback was lost, or
 * never posted). AT's answer (./at-status.ts) is applied through the same code as its
 * callback (./outcome.ts): Success → delivered with a receipt; Failed → the compensating
 * entry and a notice, once, however the review, an admin's recheck and a late callback
 * interleave (each locks the row and skips a request already final). Anything else, or no
 * answer, leaves the request as it was, flagged for the admin report, with what AT said.
 */
import { db as processDb, type Knex } from '../db/index.js';
import { AppError, NotFoundError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { findAirtimeStatusViaAt, type AtStatusAnswer } from './at-status.js';
import { AirtimeNotCheckableError } from './errors.js';
import { recordAirtimeSuccess, reverseAirtime, type AirtimeOutcome } from './outcome.js';
import { findAirtimeRequest, UNRESOLVED_AFTER_MINUTES } from './repository.js';

const log = logger.child({ component: 'airtime' });

/** An unresolved request is asked about again at most this often. */
export const AT_CHECK_EVERY_MINUTES = 60;
/** How many requests one review pass asks AT about (a few at a time). */
export const AT_CHECK_BATCH = 25;
const AT_CHECK_CONCURRENCY = 4;

/** One question to AT and what came of it. */
export interface AirtimeCheck {
  id: string;
  answer: AtStatusAnswer;
  /**
   * `success` / `reversed`: the request moved on now; `unchanged`: it was final already (a
   * callback came first); `none`: AT gave no final status, the request stays as it was;
   * `reversal_failed`: AT said Failed but the reversal could not be written (the request
   * is now `failed` and the review pass writes it).
   */
  applied: AirtimeOutcome | 'none' | 'reversal_failed';
}

/**
 * Asks AT for the status of request `id` (pending or sent, with AT's requestId) and
 * applies a final answer; records when it asked and what AT said (`checked_at`, `checks`,
 * `check_outcome`, `check_detail`) first, so that the record stays when applying fails.
 * AT's errors never throw: they come back as `answer.outcome === 'error'`.
 *
 * @throws NotFoundError; AirtimeNotCheckableError when the request is final, `failed`
 *   (its reversal is owed whatever AT says) or has no AT requestId (AT never took it).
 */
export async function checkAirtimeWithAt(id: bigint | string, db: Knex = processDb): Promise<AirtimeCheck> {
  const req = await findAirtimeRequest(db, id);
  if (!req) throw new NotFoundError(`no airtime request ${id}`);
  if (req.status !== 'pending' && req.status !== 'sent') {
    throw new AirtimeNotCheckableError(String(id), req.status === 'failed' ? 'is failed: its reversal is owed, whatever AT says' : `is ${req.status} already`);
  }
  if (!req.atRequestId) throw new AirtimeNotCheckableError(String(id), 'has no AT requestId: AT never took it, so there is nothing to ask');
  const answer = await findAirtimeStatusViaAt(req.atRequestId);
  await db('airtime_requests').where({ id: String(id) }).update({
    checked_at: db.fn.now(), checks: db.raw('checks + 1'), check_outcome: answer.outcome, check_detail: answer.detail,
  });
  const applied = await apply(db, String(id), answer);
  const fields = { airtimeId: String(id), atRequestId: req.atRequestId, outcome: answer.outcome, detail: answer.detail, applied };
  if (answer.outcome === 'error' || applied === 'reversal_failed') log.warn('asked AT about airtime: no answer applied', fields);
  else log.info('asked AT about airtime', fields);
  return { id: String(id), answer, applied };
}

async function apply(db: Knex, id: string, answer: AtStatusAnswer): Promise<AirtimeCheck['applied']> {
  if (answer.outcome === 'delivered') return recordAirtimeSuccess(id, db);
  if (answer.outcome !== 'failed') return 'none';
  try {
    // The callback's own path: the reason reads as a callback's does, with where it came from.
    return await reverseAirtime(id, `AT reported ${answer.detail} (status query)`, db);
  } catch {
    return 'reversal_failed'; // reverseAirtime set the request `failed` and logged why
  }
}

/** What one pass of `checkUnresolvedWithAt` did. */
export interface AirtimeChecks {
  /** Requests AT was asked about. */
  checked: number;
  /** Of those, delivered now on AT's word. */
  delivered: number;
  /** Of those, reversed now on AT's word. */
  reversed: number;
}

// Claims in one statement (SKIP LOCKED: a request a callback is settling, or another
// worker is claiming, is left alone); stamping checked_at keeps another worker from asking
// again within AT_CHECK_EVERY_MINUTES. The never-asked first, then the longest since.
const CLAIM_SQL = `
  UPDATE airtime_requests SET checked_at = now()
  WHERE id IN (
    SELECT id FROM airtime_requests
    WHERE status IN ('pending','sent') AND at_request_id IS NOT NULL
      AND created_at < now() - (? * interval '1 minute')
      AND (checked_at IS NULL OR checked_at < now() - (? * interval '1 minute'))
    ORDER BY checked_at NULLS FIRST, id
    LIMIT ?
    FOR UPDATE SKIP LOCKED)
  RETURNING id`;

/**
 * The review's question to AT: up to `batch` requests without a final status an hour after
 * they were made, that AT took (they have its requestId) and that were not asked about in
 * the last AT_CHECK_EVERY_MINUTES, are each checked with `checkAirtimeWithAt`, a few at a
 * time. An error on one request (AT down, a reversal that cannot be written) is logged and
 * the others are still checked; nothing here throws but the claim's own database error.
 */
export async function checkUnresolvedWithAt(db: Knex = processDb, batch = AT_CHECK_BATCH): Promise<AirtimeChecks> {
  const rows = (await db.raw<{ rows: Array<{ id: bigint | string }> }>(CLAIM_SQL, [UNRESOLVED_AFTER_MINUTES, AT_CHECK_EVERY_MINUTES, batch])).rows;
  const ids = rows.map((r) => String(r.id)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const result: AirtimeChecks = { checked: 0, delivered: 0, reversed: 0 };
  await eachLimited(ids, AT_CHECK_CONCURRENCY, async (id) => {
    try {
      const check = await checkAirtimeWithAt(id, db);
      result.checked += 1;
      if (check.applied === 'success') result.delivered += 1;
      if (check.applied === 'reversed') result.reversed += 1;
    } catch (err) {
      // Settled since the claim (a callback won): nothing to ask. Anything else is logged.
      if (err instanceof AppError && err.userFault) return;
      log.error('airtime status check failed', { airtimeId: id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  return result;
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
