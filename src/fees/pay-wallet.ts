/**
 * Paying school fees from a Simu wallet: one journal entry moves the money in the
 * platform book (wallet debit, the school's settlement credit) and reduces the student's
 * balance in the school's book (collections debit, receivable credit). The wallet's
 * no-overdraft and the payer's limits apply as for Send Money and Lipa (limitsInForce in
 * the transaction, the daily and monthly totals under the transfer's locks); the payer
 * pays no charge. Any amount is accepted: paying more than is owed leaves the student in
 * credit (a negative balance).
 */
import { inTransaction, type Db } from '../db/index.js';
import { CustomerInactiveError, CustomerNotFoundError, findCustomer, resolveCaller, type Customer } from '../customers/index.js';
import { ValidationError } from '../errors/index.js';
import { displayBalance, getAccount, IdempotencyConflictError, loadEntry, transfer, type TransferResult } from '../ledger/index.js';
import { checkOutgoingLimits, checkPerTransaction, limitsInForce, loadLimits } from '../payments/index.js';
import { SchoolInactiveError } from './errors.js';
import { platformLeg, schoolLeg } from './legs.js';
import { balanceAfter, enqueueFeeReceipts } from './notify.js';
import { claimPayment, findSchoolPaymentByKey, type SchoolPayment } from './payments.js';
import { getSchool, type School } from './schools.js';
import { getStudent, type Student } from './students.js';

/** Who pays: by MSISDN with the PIN to check, or by customer id when the caller has checked the PIN already. */
export type FeePayer = { payerMsisdn: string; pin: string } | { customerId: number; pinVerified: true };

/** A wallet fee payment: `amount` KES cents for student `studentId`, keyed `ussd:<sessionId>:<n>` from USSD. */
export type WalletFeePayment = FeePayer & { studentId: number; amount: bigint; idempotencyKey: string };

/** The outcome of a wallet fee payment (amounts in KES cents). */
export interface WalletFeeReceipt {
  paymentId: bigint;
  /** The transaction code of the one entry. */
  code: string;
  schoolName: string;
  studentName: string;
  admissionNo: string;
  amount: bigint;
  /** What the student owes after (negative: in credit). */
  feeBalance: bigint;
  /** The payer's wallet balance after. */
  walletBalance: bigint;
  at: Date;
  /** True when the key was paid before: nothing moved this time. */
  replayed: boolean;
}

/**
 * What the confirmation screen shows before a wallet payment, after checking the school is
 * active and `amount` cents is within the payer's per-transaction limit. Moves nothing.
 *
 * @throws StudentNotFoundError, SchoolNotFoundError, SchoolInactiveError, CustomerNotFoundError, LimitExceededError
 */
export async function quoteFeesFromWallet(db: Db, payerMsisdn: string, studentId: number, amount: bigint): Promise<{ schoolName: string; studentName: string; admissionNo: string; feeBalance: bigint }> {
  const { school, student } = await payee(db, studentId);
  if (school.status !== 'active') throw new SchoolInactiveError(school.id);
  const payer = await findCustomer(payerMsisdn, db);
  if (!payer) throw new CustomerNotFoundError();
  checkPerTransaction(await loadLimits(db, payer.id), amount);
  const receivable = await getAccount(db, student.receivableAccountId);
  return { schoolName: school.name, studentName: student.name, admissionNo: student.admissionNo, feeBalance: receivable.balance };
}

/**
 * Pays `amount` cents of student `studentId`'s fees from the payer's wallet, in one
 * transfer() keyed `idempotencyKey` (kind `fees_wallet`): wallet → school settlement in the
 * platform book, collections / receivable in the school's book; records the `school_payments`
 * row (channel wallet) and writes the receipt SMS (guardians and payer) in the same
 * transaction. A replay returns the first payment and moves nothing.
 *
 * @throws WrongPinError, PinLockedError (a PIN given), CustomerNotFoundError, CustomerInactiveError,
 *   StudentNotFoundError, SchoolNotFoundError, SchoolInactiveError, ValidationError (amount not positive),
 *   LimitExceededError, InsufficientFundsError, IdempotencyConflictError (the key was used for another request)
 */
export async function payFeesFromWallet(db: Db, req: WalletFeePayment): Promise<WalletFeeReceipt> {
  if (typeof req.amount !== 'bigint' || req.amount <= 0n) throw new ValidationError('amount: positive cents', 'amount');
  const payer = await payerOf(db, req);
  const { school, student } = await payee(db, req.studentId);
  const earlier = await findSchoolPaymentByKey(db, req.idempotencyKey);
  if (earlier) return replayOf(db, earlier, req, payer, school, student);
  if (school.status !== 'active') throw new SchoolInactiveError(school.id);
  checkPerTransaction(await loadLimits(db, payer.id), req.amount);
  return inTransaction(db, async (trx) => {
    const limits = await limitsInForce(trx, payer.id, () => new CustomerInactiveError());
    checkPerTransaction(limits, req.amount);
    const paymentId = await claimPayment(trx, {
      schoolId: school.id, studentId: student.id, channel: 'wallet', idempotencyKey: req.idempotencyKey, amount: req.amount,
      payerMsisdn: payer.msisdn, reference: student.admissionNo, status: 'posted', raw: {},
    });
    if (paymentId === null) return replayOf(trx, (await findSchoolPaymentByKey(trx, req.idempotencyKey))!, req, payer, school, student);
    const entry = await transfer(
      {
        idempotencyKey: req.idempotencyKey,
        kind: 'fees_wallet',
        amount: req.amount,
        postings: [...platformLeg(school, payer.walletAccountId, req.amount), ...schoolLeg(school, student, req.amount)],
        memo: `school fees ${school.name} ${student.admissionNo}`,
        metadata: { payer: payer.msisdn, schoolId: school.id, studentId: student.id, admissionNo: student.admissionNo, paymentId: String(paymentId) },
      },
      {
        guard: (t) => checkOutgoingLimits(t, limits, payer.walletAccountId, req.amount),
        afterPost: (t, r) => enqueueFeeReceipts(t, {
          school, student, amount: req.amount, entry: r, payerMsisdn: payer.msisdn, payerWalletBalance: walletAfter(r, payer),
        }),
      },
      trx,
    );
    if (entry.replayed) throw new IdempotencyConflictError(req.idempotencyKey);
    await trx('school_payments').where({ id: String(paymentId) }).update({ journal_entry_id: entry.entryId });
    return receipt(paymentId, entry, school, student, payer, req.amount, false);
  });
}

/** The payer, their PIN checked when given. */
function payerOf(db: Db, req: FeePayer): Promise<Customer> {
  return resolveCaller(db, 'pin' in req ? { msisdn: req.payerMsisdn, pin: req.pin } : req);
}

/** The student and their school (which must be active to take wallet money: the callers check, after a replay). */
async function payee(db: Db, studentId: number): Promise<{ school: School; student: Student }> {
  const student = await getStudent(db, studentId);
  return { school: await getSchool(db, student.schoolId), student };
}

function walletAfter(entry: TransferResult, payer: Customer): bigint {
  return displayBalance({ balance: balanceAfter(entry, payer.walletAccountId), normalSide: 'credit' });
}

function receipt(paymentId: bigint, entry: TransferResult, school: School, student: Student, payer: Customer, amount: bigint, replayed: boolean): WalletFeeReceipt {
  return {
    paymentId, code: entry.code, schoolName: school.name, studentName: student.name, admissionNo: student.admissionNo, amount,
    feeBalance: balanceAfter(entry, student.receivableAccountId), walletBalance: walletAfter(entry, payer), at: entry.createdAt, replayed,
  };
}

/** The first payment under the key, as its receipt. @throws IdempotencyConflictError when this request is another payment */
async function replayOf(db: Db, p: SchoolPayment, req: WalletFeePayment, payer: Customer, school: School, student: Student): Promise<WalletFeeReceipt> {
  if (p.channel !== 'wallet' || p.studentId !== student.id || p.amount !== req.amount || p.payerMsisdn !== payer.msisdn || p.journalEntryId === null) {
    throw new IdempotencyConflictError(req.idempotencyKey);
  }
  return receipt(p.id, await loadEntry(db, p.journalEntryId), school, student, payer, p.amount, true);
}
