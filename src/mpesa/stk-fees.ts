/**
 * School fees by STK push ("Pay with M-PESA" in the School Fees menu): the push bills the
 * payer's M-Pesa into Simu's own paybill (MPESA_SHORTCODE) with the student's admission
 * number as the AccountReference. The request is an `stk_requests` row like a top-up's
 * (pushed by ./stk-worker.ts, settled by ./stk-callback.ts or the worker's query), with
 * `student_id` and the `account_reference` that was sent.
 *
 * The money of a paid push is in `clearing:mpesa`; it moves to the school's settlement
 * account and comes off the student's receivable in the school's book, in one entry
 * (fees `recordSchoolPayment` with `platformLeg`), keyed `mpesa:<receipt>`. The receipt is
 * claimed in `mpesa_receipts` first, as wallet top-ups claim it (./c2b.ts `creditReceipt`),
 * so the C2B confirmation of the same payment, or a replayed callback, posts nothing more.
 */
import { db as defaultDb, type Db, type Knex } from '../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError, findCustomer } from '../customers/index.js';
import { limitsInForce } from '../payments/index.js';
import { getSchool, getStudent, recordSchoolPayment, SchoolInactiveError, type RecordedSchoolPayment } from '../fees/index.js';
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';
import { darajaClient } from './client.js';
import { mpesaKey } from './c2b.js';
import { StkAmountError, STK_MAX_CENTS, STK_MIN_CENTS, stkSettings } from './stk.js';
import type { ParsedStkCallback, StkSettlement } from './stk-callback.js';

const log = logger.child({ component: 'mpesa' });

/** Daraja's AccountReference holds at most 12 characters. */
export const ACCOUNT_REFERENCE_MAX = 12;
/** The TransactionDesc of a fee push. */
export const FEES_STK_DESC = 'School fees';

/** What the School Fees menu asks for (cents; whole shillings). */
export interface FeesStkRequest {
  /** The payer: a registered, active customer (E.164). */
  msisdn: string;
  studentId: number;
  amount: bigint;
  /** `ussd:<sessionId>:<n>`: a replayed hop records one request. */
  idempotencyKey: string;
}

/** A recorded fee push: the worker pushes it. */
export interface FeesStk {
  id: bigint;
  amount: bigint;
  /** What the push carries as AccountReference: the admission number, cut to 12 characters. */
  accountReference: string;
  /** True when this key had been recorded before (a replayed hop). */
  replayed: boolean;
}

/**
 * Records a fee push for the worker to send, after checking the amount (KES 10 – 150,000,
 * whole shillings), the payer and the school. Fast: no call to Daraja here. No wallet
 * limit applies: the money never enters the payer's wallet.
 *
 * @throws StkAmountError, MpesaNotConfiguredError (the rail is off: nothing is recorded), CustomerNotFoundError,
 *   CustomerInactiveError, StudentNotFoundError, SchoolNotFoundError, SchoolInactiveError
 */
export async function requestFeesStk(req: FeesStkRequest, db: Db = defaultDb): Promise<FeesStk> {
  if (req.amount < STK_MIN_CENTS || req.amount > STK_MAX_CENTS || req.amount % 100n !== 0n) throw new StkAmountError();
  stkSettings();
  darajaClient();
  const customer = await findCustomer(req.msisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  await limitsInForce(db, customer.id, () => new CustomerInactiveError());
  const student = await getStudent(db, req.studentId);
  const school = await getSchool(db, student.schoolId);
  if (school.status !== 'active') throw new SchoolInactiveError(school.id);
  const accountReference = student.admissionNo.slice(0, ACCOUNT_REFERENCE_MAX);
  const [row] = await db('stk_requests')
    .insert({
      customer_id: customer.id, msisdn: customer.msisdn, amount: req.amount, idempotency_key: req.idempotencyKey,
      student_id: student.id, account_reference: accountReference,
    })
    .onConflict('idempotency_key').ignore().returning(['id', 'amount', 'account_reference']);
  if (row) return { id: row.id, amount: row.amount, accountReference: row.account_reference, replayed: false };
  const old = await db('stk_requests').where({ idempotency_key: req.idempotencyKey }).first('id', 'amount', 'account_reference');
  return { id: old.id, amount: old.amount, accountReference: old.account_reference ?? '', replayed: true };
}

/** What settling a paid fee push did. */
export interface FeeStkOutcome {
  /** False when the receipt had been claimed before (a replay, or its C2B confirmation came first): nothing moved. */
  claimed: boolean;
  /** The school payment recorded (absent when nothing was claimed). */
  payment?: RecordedSchoolPayment;
}

/**
 * Settles a paid fee push in the caller's transaction `trx`: claims `receipt` in
 * `mpesa_receipts` (kind `stk`, bill_ref the account reference sent), then records the
 * payment on the student through fees `recordSchoolPayment` (channel `mpesa_stk`, key
 * `mpesa:<receipt>`, reference the full admission number, platformLeg from
 * `clearing:mpesa`), with receipts to the guardians and the payer, and marks the receipt
 * `posted` with the entry. `amount` is what M-Pesa says was paid (cents): it is what the
 * student is credited with, even when it differs from the request (logged). A receipt
 * claimed before moves nothing. Does not change the `stk_requests` row: the caller does.
 * Both the STK callback and a C2B confirmation of the same receipt may call it.
 *
 * @throws StudentNotFoundError, SchoolNotFoundError (the row's student or school is gone), ValidationError, IdempotencyConflictError (the key was used by another entry)
 */
export async function settleFeeStkByReceipt(
  trx: Knex.Transaction, stkRow: Record<string, any>, paid: { receipt: string; amount: bigint; raw: Record<string, unknown> }, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<FeeStkOutcome> {
  const student = await getStudent(trx, Number(stkRow.student_id));
  const claimed = await trx('mpesa_receipts')
    .insert({
      trans_id: paid.receipt, kind: 'stk', amount: paid.amount, bill_ref: stkRow.account_reference ?? student.admissionNo, msisdn: stkRow.msisdn,
      short_code: config.mpesa.shortcode ?? '', payload: JSON.stringify(paid.raw), status: 'posted', status_reason: `school fees for ${student.admissionNo}`,
    })
    .onConflict('trans_id').ignore().returning('id');
  if (claimed.length === 0) return { claimed: false };
  if (paid.amount !== BigInt(stkRow.amount)) {
    log.warn('fee stk amount differs from the request: the student is credited with what was paid', { stkId: String(stkRow.id), paid: String(paid.amount), requested: String(stkRow.amount) });
  }
  const payment = await recordSchoolPayment(trx, {
    schoolId: student.schoolId, reference: student.admissionNo, amount: paid.amount, idempotencyKey: mpesaKey(paid.receipt), channel: 'mpesa_stk',
    payerMsisdn: stkRow.msisdn, raw: paid.raw, platformLeg: { fromAccount: 'clearing:mpesa' },
  });
  const entry = payment.entryCode ? await trx('journal_entries').where({ code: payment.entryCode }).first('id') : undefined;
  await trx('mpesa_receipts').where({ trans_id: paid.receipt }).update({ journal_entry_id: entry?.id ?? null, updated_at: trx.fn.now() });
  return { claimed: true, payment };
}

/**
 * The paid callback of a fee push (`row.student_id` set, row locked by the caller): settles
 * it through settleFeeStkByReceipt and marks the request `paid` with the receipt number.
 * Answers the settlement as ./stk-callback.ts reports it.
 */
export async function settleFeeStkCallback(trx: Knex.Transaction, cb: ParsedStkCallback, row: Record<string, any>): Promise<StkSettlement> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const paid = cb.paid!;
  const outcome = await settleFeeStkByReceipt(trx, row, { receipt: paid.receiptNumber, amount: paid.amount, raw: cb.payload });
  if (!outcome.claimed) log.warn('fee stk receipt was claimed before (its C2B confirmation?): nothing more posted', { stkId: String(row.id), receipt: paid.receiptNumber });
  const mismatch = paid.amount !== BigInt(row.amount) ? `STK amount ${paid.amount} cents differs from the ${row.amount} cents requested: recorded as paid` : undefined;
  await trx('stk_requests').where({ id: row.id }).update({
    status: 'paid', result_code: '0', result_desc: (mismatch ?? cb.resultDesc).slice(0, 500), receipt_number: paid.receiptNumber,
    resolved_at: trx.fn.now(), updated_at: trx.fn.now(),
  });
  return { status: 'paid', replayed: !outcome.claimed, receipt: { status: 'posted', replayed: !outcome.claimed }, ...(outcome.payment ? { feePayment: outcome.payment } : {}) };
}

/** Statuses of a fee push whose payment may still arrive. */
const AWAITING_PAYMENT = ['requested', 'accepted', 'unknown', 'paid_unconfirmed'];

/** A bill reference as a push's account reference: spaces dropped, upper case. */
const asReference = (billRef: string) => billRef.replace(/\s+/g, '').toUpperCase();

/** Fee pushes of the last 24 hours awaiting a payment of `amount` cents with account `billRef` (at most 2: one is a match). */
function awaitingFeePushes(db: Db, billRef: string, amount: bigint) {
  return db('stk_requests').whereNotNull('student_id').whereIn('status', AWAITING_PAYMENT)
    .andWhere({ account_reference: asReference(billRef), amount })
    .andWhere('created_at', '>', db.raw(`now() - interval '1 day'`)).orderBy('id').limit(2);
}

/** True when a C2B payment to Simu's paybill with `billRef` and `amount` cents would settle a fee push (for validation: reads only). */
export async function awaitsFeePush(billRef: string, amount: bigint, db: Db = defaultDb): Promise<boolean> {
  return asReference(billRef) !== '' && (await awaitingFeePushes(db, billRef, amount)).length === 1;
}

/**
 * A C2B confirmation to Simu's paybill whose BillRefNumber names no customer may be the
 * confirmation of a fee push, arriving before its STK callback (M-Pesa sends both for a
 * paybill with registered URLs; the order is not guaranteed). Its account is then the
 * admission number the push sent. When exactly one fee push of the last 24 hours awaits a
 * payment with that account reference and amount, the payment settles that push through
 * settleFeeStkByReceipt (the callback's own path: the student, not suspense) and the push
 * becomes `paid`; the callback that follows finds the receipt claimed and moves nothing.
 * Answers null when no single push matches: the caller holds the money in suspense.
 */
export async function settleFeePushFromC2b(
  c2b: { transId: string; amount: bigint; billRef: string; payload: Record<string, unknown> }, db: Db = defaultDb,
): Promise<{ status: 'posted'; replayed: boolean; reason: string } | null> {
  if (!asReference(c2b.billRef)) return null;
  return db.transaction(async (trx) => {
    const rows = await awaitingFeePushes(trx, c2b.billRef, c2b.amount).forUpdate();
    if (rows.length !== 1) return null;
    const [row] = rows;
    const outcome = await settleFeeStkByReceipt(trx, row, { receipt: c2b.transId, amount: c2b.amount, raw: c2b.payload });
    if (!outcome.claimed) return { status: 'posted', replayed: true, reason: 'receipt claimed before' };
    await trx('stk_requests').where({ id: row.id }).update({
      status: 'paid', receipt_number: c2b.transId, result_desc: 'paid: the C2B confirmation came before the STK callback', resolved_at: trx.fn.now(), updated_at: trx.fn.now(),
    });
    log.info('fee stk settled by its C2B confirmation', { stkId: String(row.id), receipt: c2b.transId });
    return { status: 'posted', replayed: false, reason: `school fees for ${row.account_reference}` };
  });
}
