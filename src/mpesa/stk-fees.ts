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
