/**
 * The worker's STK half: pushes recorded requests (the `stk_requests` row is the outbox:
 * written by the USSD hop, claimed here) and settles pushes whose callback never came with
 * Daraja's STK query. No bull queue: a push is one Daraja call that is never retried (a
 * second push would prompt the customer twice), so the claim on the row is the whole job.
 *
 * Crash safety: a row is claimed by stamping `push_started_at` (one claimer wins). A
 * `requested` row never claimed within EXPIRE_MINUTES (worker down) is failed with an SMS
 * rather than pushed late to a customer who has moved on; a claimed row with no answer
 * recorded after STALE_PUSH_MINUTES (the worker died mid-push) becomes `unknown`: the push
 * may have reached the phone, and a callback for it (whose CheckoutRequestID we never
 * stored) is held in suspense by ./stk-callback.ts for an operator.
 *
 * The query (https://developer.safaricom.co.ke/APIs/MpesaExpressQuery) answers ResultCode 0
 * with no MpesaReceiptNumber. Crediting then under another key (`mpesa:stk:<checkout id>`)
 * would post the payment twice when the callback or the C2B confirmation — both keyed
 * `mpesa:<receipt>` — arrive late, so a 0 from the query moves no money: the request
 * becomes `paid_unconfirmed` and is logged for the person on call; a late callback still
 * credits it, and so does the C2B confirmation of the payment (AccountReference is the
 * customer's number). A non-zero code settles the push as failed with the customer's SMS;
 * "The transaction is being processed" (500.001.1001) and any outage are asked again later.
 *
 * A push still `accepted` GIVE_UP_MINUTES after Daraja took it (every query said "being
 * processed", or Daraja was down) is given up: it becomes `unknown`, logged as an error for
 * the person on call, who settles it from the admin API (./stk-admin.ts) after checking the
 * M-Pesa org portal. Nothing moves; a late callback still credits it.
 */
import { db as processDb, type Db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { startLoops } from '../queue/loops.js';
import { darajaClient, type DarajaClient } from './client.js';
import { DarajaAuthError, DarajaRequestError, MpesaNotConfiguredError } from './errors.js';
import { stkPushBody, stkQueryBody, type StkPushAnswer, type StkQueryAnswer } from './stk.js';
import { settleFailure } from './stk-callback.js';
import { FEES_STK_DESC } from './stk-fees.js';

const log = logger.child({ component: 'mpesa' });

/** A requested push never claimed for this long is failed, not pushed. */
export const EXPIRE_MINUTES = 5;
/** A claimed push with no answer recorded for this long is `unknown` (the worker died mid-push). */
export const STALE_PUSH_MINUTES = 2;
/** A push with no callback for this long is asked about with the STK query. */
export const QUERY_AFTER_MINUTES = 2;
/** The same push is asked about at most this often. */
export const QUERY_EVERY_MINUTES = 1;
/** A push still `accepted` this long after Daraja took it is given up: `unknown`, for the person on call. */
export const GIVE_UP_MINUTES = 30;
/** The result_desc of a push given up. */
export const GAVE_UP_DESC = `no final answer from M-Pesa after ${GIVE_UP_MINUTES} minutes`;

/** Where the worker's Daraja calls go (tests and production share the process client). */
export type ClientSource = () => DarajaClient;

/**
 * Pushes up to `batch` requested rows, in parallel; each row is claimed first, so two
 * workers never push one row. Answers how many it pushed.
 */
export async function pushRequestedStk(db: Db = processDb, client: ClientSource = darajaClient, batch = 20): Promise<number> {
  const claimed: Array<Record<string, any>> = await db('stk_requests') // eslint-disable-line @typescript-eslint/no-explicit-any
    .whereIn('id', db('stk_requests').select('id').where({ status: 'requested' }).whereNull('push_started_at')
      .andWhere('created_at', '>', db.raw(`now() - (? * interval '1 minute')`, [EXPIRE_MINUTES])).orderBy('id').limit(batch).forUpdate().skipLocked())
    .update({ push_started_at: db.fn.now(), push_attempts: db.raw('push_attempts + 1'), updated_at: db.fn.now() })
    .returning('*');
  await Promise.all(claimed.map((row) => pushOne(db, client, row)));
  return claimed.length;
}

async function pushOne(db: Db, client: ClientSource, row: Record<string, any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    const answer = await client().darajaPost<StkPushAnswer>('/mpesa/stkpush/v1/processrequest', stkPushBody(pushOf(row), new Date()));
    const ok = String(answer.ResponseCode ?? '') === '0' && typeof answer.CheckoutRequestID === 'string' && answer.CheckoutRequestID !== '';
    if (!ok) throw new DarajaRequestError(200, String(answer.ResponseCode ?? ''), String(answer.ResponseDescription ?? 'no CheckoutRequestID'));
    await db('stk_requests').where({ id: row.id, status: 'requested' }).update({
      status: 'accepted', merchant_request_id: String(answer.MerchantRequestID ?? '').slice(0, 100), checkout_request_id: answer.CheckoutRequestID!.slice(0, 100),
      result_desc: String(answer.ResponseDescription ?? '').slice(0, 500), accepted_at: db.fn.now(), updated_at: db.fn.now(),
    });
    log.info('stk push accepted', { stkId: String(row.id), checkoutRequestId: answer.CheckoutRequestID });
  } catch (err) {
    // A refusal (Daraja's error, our credentials or configuration) pushed nothing: failed,
    // with the SMS. A timeout or network error may have pushed: unknown, for the person on call.
    const refused = err instanceof DarajaRequestError || err instanceof DarajaAuthError || err instanceof MpesaNotConfiguredError;
    const reason = (err as Error).message ?? String(err);
    if (refused) {
      await db.transaction(async (trx) => {
        const locked = await trx('stk_requests').where({ id: row.id, status: 'requested' }).forUpdate().first();
        if (locked) await settleFailure(trx, locked, err instanceof DarajaRequestError && err.darajaCode ? err.darajaCode : 'push_refused', reason);
      });
      log.warn('stk push refused', { stkId: String(row.id), reason });
    } else {
      await db('stk_requests').where({ id: row.id, status: 'requested' }).update({ status: 'unknown', result_desc: reason.slice(0, 500), updated_at: db.fn.now() });
      log.error('stk push outcome unknown', { stkId: String(row.id), reason });
    }
  }
}

/** What a row's push carries: a school-fee row its account reference (the admission number) and `School fees`. */
function pushOf(row: Record<string, any>): Parameters<typeof stkPushBody>[0] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return row.student_id ? { msisdn: row.msisdn, amount: row.amount, accountReference: row.account_reference, transactionDesc: FEES_STK_DESC } : { msisdn: row.msisdn, amount: row.amount };
}

/** What one review pass did. */
export interface StkReview {
  /** Requested rows never pushed in time, failed with an SMS. */
  expired: number;
  /** Claimed rows with no answer recorded (worker died mid-push), now `unknown`. */
  stale: number;
  /** Pushes asked about with the STK query. */
  queried: number;
  /** Of those, settled as failed or cancelled. */
  failed: number;
  /** Of those, ResultCode 0 with no callback: `paid_unconfirmed`. */
  unconfirmed: number;
  /** Pushes still `accepted` GIVE_UP_MINUTES after Daraja took them, now `unknown` (not queried again). */
  gaveUp: number;
}

/**
 * Expires and flags crashed rows, gives up pushes accepted more than GIVE_UP_MINUTES ago
 * (`unknown`, an error in the log each), then asks Daraja about pushes with no callback
 * after QUERY_AFTER_MINUTES.
 */
export async function reviewStk(db: Db = processDb, client: ClientSource = darajaClient, batch = 50): Promise<StkReview> {
  const review: StkReview = { expired: 0, stale: 0, queried: 0, failed: 0, unconfirmed: 0, gaveUp: 0 };
  const expired: Array<{ id: bigint }> = await db('stk_requests').select('id').where({ status: 'requested' }).whereNull('push_started_at')
    .andWhere('created_at', '<=', db.raw(`now() - (? * interval '1 minute')`, [EXPIRE_MINUTES])).orderBy('id').limit(batch);
  for (const { id } of expired) {
    await db.transaction(async (trx) => {
      const row = await trx('stk_requests').where({ id, status: 'requested' }).whereNull('push_started_at').forUpdate().first();
      if (row && (await settleFailure(trx, row, 'expired', 'not pushed in time'))) review.expired += 1;
    });
  }
  const stale = await db('stk_requests').where({ status: 'requested' }).whereNotNull('push_started_at')
    .andWhere('push_started_at', '<', db.raw(`now() - (? * interval '1 minute')`, [STALE_PUSH_MINUTES]))
    .update({ status: 'unknown', result_desc: 'the worker stopped during the push', updated_at: db.fn.now() }).returning('id');
  review.stale = stale.length;
  for (const r of stale) log.error('stk push outcome unknown', { stkId: String(r.id ?? r) });
  // One UPDATE: a callback holding the row's lock goes first, and the row is then no longer `accepted`.
  const gaveUp: Array<{ id: bigint; checkout_request_id: string }> = await db('stk_requests').where({ status: 'accepted' })
    .andWhere('accepted_at', '<', db.raw(`now() - (? * interval '1 minute')`, [GIVE_UP_MINUTES]))
    .update({ status: 'unknown', result_desc: GAVE_UP_DESC, updated_at: db.fn.now() }).returning(['id', 'checkout_request_id']);
  review.gaveUp = gaveUp.length;
  for (const r of gaveUp) {
    log.error('stk push given up: settle it by hand from the M-Pesa portal', { stkId: String(r.id), checkoutRequestId: r.checkout_request_id, reason: GAVE_UP_DESC });
  }
  const late: Array<Record<string, any>> = await db('stk_requests').where({ status: 'accepted' }) // eslint-disable-line @typescript-eslint/no-explicit-any
    .andWhere('accepted_at', '<', db.raw(`now() - (? * interval '1 minute')`, [QUERY_AFTER_MINUTES]))
    .andWhere((q) => q.whereNull('last_query_at').orWhere('last_query_at', '<', db.raw(`now() - (? * interval '1 minute')`, [QUERY_EVERY_MINUTES])))
    .orderBy('id').limit(batch);
  for (const row of late) {
    review.queried += 1;
    const outcome = await queryOne(db, client, row);
    if (outcome === 'failed' || outcome === 'cancelled') review.failed += 1;
    if (outcome === 'paid_unconfirmed') review.unconfirmed += 1;
  }
  return review;
}

/** Asks Daraja about one push and settles it when the answer is final. Answers the status after. */
async function queryOne(db: Db, client: ClientSource, row: Record<string, any>): Promise<string> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let answer: StkQueryAnswer;
  try {
    answer = await client().darajaPost<StkQueryAnswer>('/mpesa/stkpushquery/v1/query', stkQueryBody(row.checkout_request_id, new Date()));
  } catch (err) {
    // 500.001.1001 "The transaction is being processed", or an outage: ask again later.
    await db('stk_requests').where({ id: row.id }).update({ last_query_at: db.fn.now(), updated_at: db.fn.now() });
    log.info('stk query: not final yet', { stkId: String(row.id), reason: (err as Error).message });
    return 'accepted';
  }
  const code = answer.ResultCode === undefined || answer.ResultCode === null ? '' : String(answer.ResultCode).trim();
  const desc = String(answer.ResultDesc ?? '');
  return db.transaction(async (trx) => {
    const locked = await trx('stk_requests').where({ id: row.id, status: 'accepted' }).forUpdate().first();
    if (!locked) return 'settled';
    if (!/^-?[0-9]{1,9}$/.test(code)) {
      await trx('stk_requests').where({ id: row.id }).update({ last_query_at: trx.fn.now(), updated_at: trx.fn.now() });
      return 'accepted';
    }
    if (code === '0') {
      await trx('stk_requests').where({ id: row.id }).update({
        status: 'paid_unconfirmed', result_code: '0', result_desc: desc.slice(0, 500), last_query_at: trx.fn.now(), updated_at: trx.fn.now(),
      });
      log.warn('stk paid by query but no callback: waiting for the callback or the C2B confirmation', { stkId: String(row.id) });
      return 'paid_unconfirmed';
    }
    return settleFailure(trx, locked, String(Number(code)), desc);
  });
}

/** Settings of `startStkWorker`. */
export interface StkWorkerOptions {
  db?: Db;
  client?: ClientSource;
  /** Push pass pause in milliseconds. Default 300. */
  pushEveryMs?: number;
  /** Review pass pause in milliseconds. Default 30 000. */
  reviewEveryMs?: number;
}

/** Starts the push and review loops; `stop()` waits for the passes in flight. */
export function startStkWorker(opts: StkWorkerOptions = {}): { stop(): Promise<void> } {
  const db = opts.db ?? processDb;
  const client = opts.client ?? darajaClient;
  return startLoops('stk', log, [
    { name: 'push', everyMs: opts.pushEveryMs ?? 300, pass: () => pushRequestedStk(db, client) },
    { name: 'review', everyMs: opts.reviewEveryMs ?? 30_000, pass: () => reviewStk(db, client) },
  ]);
}
