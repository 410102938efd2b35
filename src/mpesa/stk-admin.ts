/**
 * STK push requests that Daraja left hanging, for the person on call: the list of those
 * that need a person (`unknown`: the push's outcome was never seen, or the worker gave up
 * after GIVE_UP_MINUTES; `paid_unconfirmed`: the STK query said paid but no receipt number
 * came), and the two ways to settle one after checking the M-Pesa org portal.
 *
 * Crediting goes through the same receipt claim as Daraja's callbacks (`creditReceipt`,
 * keyed `mpesa:<MpesaReceiptNumber>`), so the payment posts once whether the STK callback
 * or the C2B confirmation of it came before the operator, comes after, or never comes. A
 * receipt already claimed is checked against the request: one held in suspense for no one
 * (the callback of a push whose CheckoutRequestID we never stored) is allocated to the
 * request's customer; one posted or allocated to this customer is taken as this payment;
 * anything else (another request's, another customer's, another amount) is refused.
 *
 * Failing moves nothing and tells the customer by SMS; should M-Pesa's callback then report
 * the money after all, ./stk-callback.ts credits it (money that arrives is never dropped).
 */
import { config } from '../config/index.js';
import type { Db, Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { logger } from '../logger/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { accountHolder, creditReceipt } from './c2b.js';
import { MpesaRequestNotFoundError, MpesaRequestStateError, ReceiptConflictError } from './errors.js';
import { allocateReceipt } from './receipts.js';
import { settleFailure } from './stk-callback.js';
import { settleFeeStkByReceipt } from './stk-fees.js';

const log = logger.child({ component: 'mpesa' });

/** Every status of an STK request (see migrations/20261123000130_mpesa_stk.ts). */
export const STK_STATUSES = ['requested', 'accepted', 'paid', 'paid_unconfirmed', 'failed', 'cancelled', 'unknown'] as const;
export type StkStatus = (typeof STK_STATUSES)[number];
/** The statuses that need a person: the default of the list. */
export const STK_NEEDS_PERSON: readonly StkStatus[] = ['unknown', 'paid_unconfirmed'];
/** The statuses an operator may credit or fail (an `accepted` push too: the customer may be on the phone to support). */
export const STK_SETTLEABLE: readonly StkStatus[] = ['unknown', 'paid_unconfirmed', 'accepted'];
/** The result_code of a request an operator failed. */
export const STK_OPERATOR_CODE = 'operator';

/** An STK request as operators see it (amount in cents). */
export interface StkRequestView {
  id: bigint;
  customerId: number;
  msisdn: string;
  amount: bigint;
  status: StkStatus;
  resultCode: string | null;
  resultDesc: string | null;
  receiptNumber: string | null;
  merchantRequestId: string | null;
  checkoutRequestId: string | null;
  pushAttempts: number;
  createdAt: Date;
  acceptedAt: Date | null;
  lastQueryAt: Date | null;
  resolvedAt: Date | null;
}

/** Maps an stk_requests row. */
export function toStkRequestView(r: Record<string, unknown>): StkRequestView {
  return {
    id: r.id as bigint, customerId: r.customer_id as number, msisdn: r.msisdn as string, amount: r.amount as bigint, status: r.status as StkStatus,
    resultCode: (r.result_code as string) ?? null, resultDesc: (r.result_desc as string) ?? null, receiptNumber: (r.receipt_number as string) ?? null,
    merchantRequestId: (r.merchant_request_id as string) ?? null, checkoutRequestId: (r.checkout_request_id as string) ?? null,
    pushAttempts: r.push_attempts as number, createdAt: r.created_at as Date, acceptedAt: (r.accepted_at as Date) ?? null,
    lastQueryAt: (r.last_query_at as Date) ?? null, resolvedAt: (r.resolved_at as Date) ?? null,
  };
}

/**
 * STK requests in `statuses` (default: those needing a person, `unknown` and
 * `paid_unconfirmed`), as a query the caller orders and pages by id (see `pageBy`).
 */
export function stkRequestsQuery(db: Db, statuses: readonly string[] = STK_NEEDS_PERSON): Knex.QueryBuilder {
  return db('stk_requests').whereIn('status', [...statuses]).select('*');
}

/** An operator's credit: the MpesaReceiptNumber the portal shows, who, why. */
export interface StkCredit {
  /** M-Pesa's receipt number (6-20 letters and digits; upper-cased, as M-Pesa writes it). */
  receipt: string;
  by: string;
  reason: string;
  /** Ledger key of an allocation from suspense (`admin:<Idempotency-Key>`); default `stk:<id>:allocation`. */
  idempotencyKey?: string;
}

/** What a credit did: the request before and after, and what became of the receipt. */
export interface StkCreditResult {
  before: StkRequestView;
  after: StkRequestView;
  receipt: {
    transId: string;
    /** `posted` (to the wallet now or before), `suspense` (the wallet refused it: over its maximum, customer not active), `allocated` (from suspense). */
    status: 'posted' | 'suspense' | 'allocated';
    /** True when the receipt had been claimed before (its callback or C2B confirmation came first): nothing moved now. */
    replayed: boolean;
    reason?: string;
  };
}

/**
 * Credits request `id` (`unknown`, `paid_unconfirmed` or `accepted`) with the payment
 * `c.receipt`, in a transaction of its own or a savepoint of `db`'s: the receipt is claimed
 * and posted to the customer's wallet from clearing:mpesa keyed `mpesa:<receipt>` for the
 * request's amount, with the receipt SMS (or held in suspense, as a callback would be); a
 * receipt claimed before is checked (see the file's comment); the request becomes `paid`
 * with the receipt number. A callback or C2B confirmation of that receipt, before or after,
 * posts nothing more.
 *
 * @throws ValidationError (receipt), MpesaRequestNotFoundError (404), MpesaRequestStateError
 *   (409: not unknown, paid_unconfirmed or accepted), ReceiptConflictError (409: the receipt
 *   is another request's, another customer's, paid from another phone, or of another amount),
 *   and from an allocation out of suspense RecipientNotFoundError, LimitExceededError
 */
export async function creditStkRequest(db: Db, id: bigint | number | string, c: StkCredit): Promise<StkCreditResult> {
  const transId = normalizeReceipt(c.receipt);
  return db.transaction(async (trx) => {
    const row = await lockSettleable(trx, id);
    const other = await trx('stk_requests').where({ receipt_number: transId }).whereNot({ id: row.id }).first('id');
    if (other) throw new ReceiptConflictError(transId, `is recorded for STK request ${other.id}`);
    const claimed = await trx('mpesa_receipts').where({ trans_id: transId }).first('id');
    let receipt: StkCreditResult['receipt'] | undefined;
    if (row.student_id !== null && row.student_id !== undefined) {
      // A school-fee push: the money goes on the student, exactly as its callback would.
      receipt = await creditFeePush(trx, row, transId, c);
    } else if (!claimed) {
      const customer = await accountHolder(row.msisdn, trx);
      const outcome = await creditReceipt({
        kind: 'stk', transId, amount: row.amount, shortCode: config.mpesa.shortcode ?? '', billRef: '', msisdn: row.msisdn,
        payload: { source: 'admin', stkRequestId: String(row.id), by: c.by, reason: c.reason },
      }, customer, trx);
      // Claimed by a callback meanwhile: checked below like any receipt claimed before.
      if (!outcome.replayed) receipt = { transId, status: outcome.status, replayed: false, ...(outcome.reason ? { reason: outcome.reason } : {}) };
    }
    receipt ??= await takeClaimed(trx, row, transId, c);
    const [after] = await trx('stk_requests').where({ id: row.id }).update({
      status: 'paid', receipt_number: transId, result_desc: `credited by ${c.by}: ${c.reason}`.slice(0, 500), resolved_at: trx.fn.now(), updated_at: trx.fn.now(),
    }).returning('*');
    log.warn('stk request credited by an operator', { stkId: String(row.id), was: row.status, receipt: transId, receiptStatus: receipt.status, replayed: receipt.replayed, by: c.by });
    return { before: toStkRequestView(row), after: toStkRequestView(after), receipt };
  });
}

/**
 * Credits a school-fee push with `transId` through settleFeeStkByReceipt (the callback's
 * path: claim, then the student's book and clearing:mpesa → the school's settlement). A
 * receipt claimed before must be this push's own payment (same account reference and
 * amount, posted): then nothing moves.
 */
async function creditFeePush(trx: Knex.Transaction, row: Record<string, any>, transId: string, c: StkCredit): Promise<StkCreditResult['receipt']> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const outcome = await settleFeeStkByReceipt(trx, row, {
    receipt: transId, amount: BigInt(row.amount), raw: { source: 'admin', stkRequestId: String(row.id), by: c.by, reason: c.reason },
  });
  if (outcome.claimed) return { transId, status: 'posted', replayed: false };
  const r = await trx('mpesa_receipts').where({ trans_id: transId }).forUpdate().first();
  if (r.status !== 'posted' || BigInt(r.amount) !== BigInt(row.amount) || r.bill_ref !== row.account_reference) {
    throw new ReceiptConflictError(transId, `is not the school-fee payment of STK request ${row.id} (${r.status}, ${r.amount} cents, account ${r.bill_ref})`);
  }
  return { transId, status: 'posted', replayed: true };
}

/** A receipt claimed before this credit: this customer's payment (nothing moves), allocated from suspense, or refused. */
async function takeClaimed(trx: Knex.Transaction, row: Record<string, any>, transId: string, c: StkCredit): Promise<StkCreditResult['receipt']> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await trx('mpesa_receipts').where({ trans_id: transId }).forUpdate().first();
  if (BigInt(r.amount) !== BigInt(row.amount)) {
    throw new ReceiptConflictError(transId, `is a payment of ${r.amount} cents, not the ${row.amount} cents of STK request ${row.id}`);
  }
  const customerId = Number(row.customer_id);
  if (r.status !== 'suspense') {
    const owner = r.status === 'allocated' ? r.allocated_to : r.customer_id;
    if (Number(owner) !== customerId) throw new ReceiptConflictError(transId, `was credited to another customer (${r.status})`);
    return { transId, status: r.status, replayed: true };
  }
  if (r.customer_id !== null && Number(r.customer_id) !== customerId) throw new ReceiptConflictError(transId, 'is held in suspense for another customer');
  const payer = /^\+?[0-9]{9,15}$/.test(r.msisdn ?? '') ? normalizeMsisdn(r.msisdn) : null;
  if (payer && payer !== row.msisdn) throw new ReceiptConflictError(transId, 'was paid from another phone number');
  await allocateReceipt(trx, {
    transId, msisdn: row.msisdn, reason: `STK request ${row.id}: ${c.reason}`, idempotencyKey: c.idempotencyKey ?? `stk:${row.id}:allocation`, by: c.by,
  });
  return { transId, status: 'allocated', replayed: false };
}

/** An operator's failure: who and why. */
export interface StkFailure {
  by: string;
  reason: string;
}

/**
 * Fails request `id` (`unknown`, `paid_unconfirmed` or `accepted`): the portal shows no
 * payment. Status `failed` with result_code `operator`, the customer's "did not go
 * through" SMS (outbox, same transaction); nothing moves. A paid callback that comes after
 * is still credited (./stk-callback.ts).
 *
 * @throws MpesaRequestNotFoundError (404), MpesaRequestStateError (409)
 */
export async function failStkRequest(db: Db, id: bigint | number | string, f: StkFailure): Promise<{ before: StkRequestView; after: StkRequestView }> {
  return db.transaction(async (trx) => {
    const row = await lockSettleable(trx, id);
    await settleFailure(trx, row, STK_OPERATOR_CODE, `failed by ${f.by}: ${f.reason}`);
    const after = await trx('stk_requests').where({ id: row.id }).first();
    log.warn('stk request failed by an operator', { stkId: String(row.id), was: row.status, by: f.by });
    return { before: toStkRequestView(row), after: toStkRequestView(after) };
  });
}

/** Locks request `id` and checks that an operator may settle it. */
async function lockSettleable(trx: Knex.Transaction, id: bigint | number | string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const key = String(id);
  const row = /^[0-9]{1,18}$/.test(key) ? await trx('stk_requests').where({ id: key }).forUpdate().first() : undefined;
  if (!row) throw new MpesaRequestNotFoundError('stk', key);
  if (!STK_SETTLEABLE.includes(row.status)) throw new MpesaRequestStateError('stk', key, row.status, STK_SETTLEABLE);
  return row;
}

/** An operator's receipt number, upper-cased: `mpesa:<receipt>` must be the key Daraja's callbacks use. */
export function normalizeReceipt(receipt: string): string {
  const r = String(receipt ?? '').trim().toUpperCase();
  if (!/^[A-Z0-9]{6,20}$/.test(r)) throw new ValidationError('receipt: expected M-Pesa\'s receipt number, 6-20 letters and digits', 'receipt');
  return r;
}
