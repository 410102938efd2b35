/**
 * Withdrawals to M-Pesa (B2C) that need a person: `sent` requests with no result from
 * Daraja B2C_STUCK_MINUTES after they were sent ("stuck": neither the result nor the queue
 * timeout came), and requests whose success came after they were reversed, or a second
 * time (`late_success_at`: the customer was paid twice over and the money must be
 * recovered by hand). The worker's review pass logs each stuck request once, as an error
 * (`stuck_flagged_at`), so the person on call hears of it.
 *
 * After checking the M-Pesa org portal, an operator settles a stuck request through the
 * same outcome functions as Daraja's callbacks (./b2c-outcome.ts): paid → completed with
 * the portal's receipt number and the receipt SMS; not paid → reversed (amount and charge
 * back to the wallet by a compensating entry) with the notice SMS. A Daraja result that
 * comes after is handled as for any settled request: the same receipt changes nothing, a
 * success after a reversal is flagged `late_success_at`, never paid again.
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { applyB2cResult, reverseB2c } from './b2c-outcome.js';
import { MpesaRequestNotFoundError, MpesaRequestStateError, ReceiptConflictError } from './errors.js';
import { normalizeReceipt } from './stk-admin.js';

const log = logger.child({ component: 'mpesa' });

/** A `sent` request with no result this long after it was sent is stuck. */
export const B2C_STUCK_MINUTES = 30;
/** Every status of a B2C request (see migrations/20261123000140_mpesa_b2c.ts). */
export const B2C_STATUSES = ['requested', 'sent', 'completed', 'failed', 'timed_out'] as const;
export type B2cStatus = (typeof B2C_STATUSES)[number];
/** Which requests needing a person to list: stuck, late successes, or both (`all`). */
export const B2C_REVIEW_FILTERS = ['stuck', 'late_success', 'all'] as const;
export type B2cReviewFilter = (typeof B2C_REVIEW_FILTERS)[number];
/** The result_code of a request an operator reversed. */
export const B2C_OPERATOR_CODE = 'operator';

/** A B2C request as operators see it (amount and charge in cents). */
export interface B2cRequestView {
  id: bigint;
  customerId: number;
  msisdn: string;
  amount: bigint;
  charge: bigint;
  status: B2cStatus;
  /** `sent` with no result for more than B2C_STUCK_MINUTES. */
  stuck: boolean;
  originatorConversationId: string;
  conversationId: string | null;
  resultCode: string | null;
  resultDesc: string | null;
  mpesaReceipt: string | null;
  journalEntryId: bigint;
  reversalEntryId: bigint | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  completedAt: Date | null;
  lateSuccessAt: Date | null;
  stuckFlaggedAt: Date | null;
}

/** Maps a b2c_requests row (with the `stuck` column of `b2cReviewQuery`, else computed from `sent_at`). */
export function toB2cRequestView(r: Record<string, unknown>): B2cRequestView {
  const sentAt = (r.sent_at as Date) ?? null;
  const stuck = typeof r.stuck === 'boolean' ? r.stuck
    : r.status === 'sent' && sentAt !== null && Date.now() - sentAt.getTime() > B2C_STUCK_MINUTES * 60_000;
  return {
    id: r.id as bigint, customerId: r.customer_id as number, msisdn: r.msisdn as string, amount: r.amount as bigint, charge: r.charge as bigint,
    status: r.status as B2cStatus, stuck, originatorConversationId: r.originator_conversation_id as string,
    conversationId: (r.conversation_id as string) ?? null, resultCode: (r.result_code as string) ?? null, resultDesc: (r.result_desc as string) ?? null,
    mpesaReceipt: (r.mpesa_receipt as string) ?? null, journalEntryId: r.journal_entry_id as bigint, reversalEntryId: (r.reversal_entry_id as bigint) ?? null,
    attempts: r.attempts as number, lastError: (r.last_error as string) ?? null, createdAt: r.created_at as Date, sentAt,
    completedAt: (r.completed_at as Date) ?? null, lateSuccessAt: (r.late_success_at as Date) ?? null, stuckFlaggedAt: (r.stuck_flagged_at as Date) ?? null,
  };
}

/**
 * B2C requests needing a person, as a query the caller orders and pages by id: `stuck`,
 * `late_success` (late_success_at set), or `all` of both (the default); `status` narrows
 * it to one status. Each row carries a boolean `stuck` column.
 */
export function b2cReviewQuery(db: Db, opts: { filter?: B2cReviewFilter; status?: B2cStatus } = {}): Knex.QueryBuilder {
  const since = () => db.raw(`now() - (? * interval '1 minute')`, [B2C_STUCK_MINUTES]);
  const stuck = (q: Knex.QueryBuilder) => q.where('status', 'sent').andWhere('sent_at', '<', since());
  const q = db('b2c_requests').select('*', db.raw(`(status = 'sent' AND sent_at < now() - (? * interval '1 minute')) AS stuck`, [B2C_STUCK_MINUTES]));
  const filter = opts.filter ?? 'all';
  if (filter === 'stuck') q.where(stuck);
  else if (filter === 'late_success') q.whereNotNull('late_success_at');
  else q.where((w) => w.where(stuck).orWhereNotNull('late_success_at'));
  if (opts.status) q.andWhere('status', opts.status);
  return q;
}

/**
 * Stamps `stuck_flagged_at` on requests stuck since the last pass and logs each once as an
 * error, for the person on call (the worker's review pass). Answers how many it flagged.
 */
export async function flagStuckB2c(db: Db = defaultDb): Promise<number> {
  const flagged: Array<Record<string, unknown>> = await db('b2c_requests').where({ status: 'sent' }).whereNull('stuck_flagged_at')
    .andWhere('sent_at', '<', db.raw(`now() - (? * interval '1 minute')`, [B2C_STUCK_MINUTES]))
    .update({ stuck_flagged_at: db.fn.now(), updated_at: db.fn.now() })
    .returning(['id', 'originator_conversation_id', 'conversation_id', 'amount', 'sent_at']);
  for (const r of flagged) {
    log.error(`b2c withdrawal stuck: no result from M-Pesa ${B2C_STUCK_MINUTES} minutes after it was sent; check the portal, then complete or reverse it`, {
      b2cId: String(r.id), originatorConversationId: r.originator_conversation_id, conversationId: r.conversation_id, amount: String(r.amount), sentAt: r.sent_at,
    });
  }
  return flagged.length;
}

/** An operator's settlement of a stuck request: who and why (and, when paid, the portal's receipt). */
export interface B2cSettlement {
  by: string;
  reason: string;
}

/**
 * Completes `sent` request `id` that the M-Pesa portal shows paid, as a success result
 * would (./b2c-outcome.ts `applyB2cResult`): status `completed`, `receipt` recorded, the
 * customer's receipt SMS; nothing moves (the money left the wallet when it was requested).
 * Runs in a transaction of its own or a savepoint of `db`'s.
 *
 * @throws ValidationError (receipt), MpesaRequestNotFoundError (404), MpesaRequestStateError
 *   (409: not `sent`), ReceiptConflictError (409: the receipt is recorded for another request)
 */
export async function completeB2cRequest(
  db: Db, id: bigint | number | string, s: B2cSettlement & { receipt: string },
): Promise<{ before: B2cRequestView; after: B2cRequestView }> {
  const receipt = normalizeReceipt(s.receipt);
  return db.transaction(async (trx) => {
    const row = await lockSent(trx, id);
    const other = await trx('b2c_requests').where({ mpesa_receipt: receipt }).whereNot({ id: row.id }).first('id');
    if (other) throw new ReceiptConflictError(receipt, `is recorded for B2C request ${other.id}`);
    const outcome = await applyB2cResult({
      originatorConversationId: row.originator_conversation_id, conversationId: null, resultCode: '0', resultDesc: `completed by ${s.by}: ${s.reason}`.slice(0, 200),
      transactionId: receipt, receipt, amount: null, receiverName: null,
    }, trx);
    if (outcome !== 'completed') throw new Error(`B2C request ${row.id}: completing it answered ${outcome}`);
    log.warn('b2c withdrawal completed by an operator', { b2cId: String(row.id), receipt, by: s.by });
    return { before: toB2cRequestView(row), after: toB2cRequestView(await trx('b2c_requests').where({ id: row.id }).first()) };
  });
}

/**
 * Reverses `sent` request `id` that the M-Pesa portal shows not paid, as a failure result
 * would (./b2c-outcome.ts `reverseB2c`, status `failed`, result_code `operator`): amount and
 * charge back to the wallet by a compensating entry keyed `b2c:<id>:reversal`, with the
 * notice SMS. A success result that comes after is flagged `late_success_at`, not paid.
 *
 * @throws MpesaRequestNotFoundError (404), MpesaRequestStateError (409: not `sent`)
 */
export async function reverseB2cRequest(db: Db, id: bigint | number | string, s: B2cSettlement): Promise<{ before: B2cRequestView; after: B2cRequestView }> {
  return db.transaction(async (trx) => {
    const row = await lockSent(trx, id);
    const outcome = await reverseB2c(String(row.id), 'failed', { code: B2C_OPERATOR_CODE, desc: `reversed by ${s.by}: ${s.reason}` }, trx);
    if (outcome !== 'reversed') throw new Error(`B2C request ${row.id}: reversing it answered ${outcome}`);
    log.warn('b2c withdrawal reversed by an operator', { b2cId: String(row.id), by: s.by });
    return { before: toB2cRequestView(row), after: toB2cRequestView(await trx('b2c_requests').where({ id: row.id }).first()) };
  });
}

/** Locks request `id` and checks that it is `sent`. */
async function lockSent(trx: Knex.Transaction, id: bigint | number | string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const key = String(id);
  const row = /^[0-9]{1,18}$/.test(key) ? await trx('b2c_requests').where({ id: key }).forUpdate().first() : undefined;
  if (!row) throw new MpesaRequestNotFoundError('b2c', key);
  if (row.status !== 'sent') throw new MpesaRequestStateError('b2c', key, row.status, ['sent']);
  return row;
}
