/**
 * School fees by bank: routing a bank webhook (`POST /webhooks/banks/equity|kcb`, already
 * signature-checked and parsed by src/banks) to the school whose bank account it was paid
 * into. Payloads follow /work/shared/reference/000_9f163036b5a0d679.txt ("Bank API
 * endpoints"); amounts are KES cents as bigint, read exactly from the body's text by src/banks.
 *
 * Which school, and which student:
 *
 * - Equity `{ transactionId, studentId, amount, timestamp, merchantCode }`: `merchantCode`
 *   is the school's Equity merchant code (`school_bank_accounts`, bank `equity`); `studentId`
 *   is the admission number.
 * - KCB `{ transactionRef, accountNumber, amount, transactionDate }` has one account field
 *   only (the reference's example puts the student id there). A school's KCB account is
 *   paid paybill-style: `accountNumber` is `<schoolAccount>#<admissionNo>` or
 *   `<schoolAccount>-<admissionNo>` (as banks' collection accounts take a bill reference
 *   after the account). The longest school account that the number starts with (followed
 *   by `#` or `-`) wins, so a school account with a dash in it still works. An
 *   `accountNumber` that is exactly a school's account (no student part) is recorded
 *   unmatched for the bursar.
 *
 * Anything else (no merchant code, one or an account that is no school's) is not a school
 * payment and takes today's route (a customer's wallet or suspense:bank, src/banks/receive.ts).
 *
 * The money is in the school's own bank account, hence the school's already: only the
 * school's book moves (recordSchoolPayment without a platform leg), keyed
 * `bank:<bank>:<transaction id>` (DESIGN.md, Money); `clearing:bank` and `bank_payments` are
 * not touched (the bursar's queue, `school_payments`, keeps the payment and its payload).
 */
import type { Db } from '../db/index.js';
import { IdempotencyConflictError } from '../ledger/index.js';
import { logger } from '../logger/index.js';
import { BankPaymentConflictError } from '../banks/errors.js';
import { BANKS, type BankPayment } from '../banks/payloads.js';
import { findBankPayment } from '../banks/repository.js';
import { findSchoolPaymentByKey, type SchoolPayment } from './payments.js';
import { recordSchoolPayment, type RecordedSchoolPayment } from './record.js';
import { findSchoolByBankReference, toSchool, type School } from './schools.js';

const log = logger.child({ component: 'fees' });

/** The school a bank payment was paid to, and the student reference (admission number as typed) it carries. */
export interface SchoolBankTarget {
  school: School;
  /** The school's bank account it matched (Equity merchant code, KCB account number). */
  bankReference: string;
  /** What names the student: Equity `studentId`; KCB the part after `#`/`-` (the whole number when there is none). */
  reference: string;
}

/** What receiving a school's bank payment did, and what the bank is answered (the same for replays). */
export interface ReceivedSchoolBankPayment {
  /** The webhook's 200 body: `reference` is the entry's transaction code, or `school-payment:<id>` for an unmatched payment (no entry). */
  ack: { status: 'accepted'; transactionId: string; reference: string };
  recorded: RecordedSchoolPayment;
  replayed: boolean;
}

/**
 * The admission-number part of KCB `accountNumber` paid to school account `schoolAccount`:
 * `"1234567#ADM 001"` → `"ADM 001"`, `"1234567-ADM001"` → `"ADM001"`, `"1234567"` → `""`;
 * null when the number is not that account followed by `#` or `-`.
 */
export function splitKcbAccount(accountNumber: string, schoolAccount: string): string | null {
  const account = accountNumber.trim();
  if (account === schoolAccount) return '';
  if (!account.startsWith(schoolAccount)) return null;
  const sep = account.charAt(schoolAccount.length);
  return sep === '#' || sep === '-' ? account.slice(schoolAccount.length + 1).trim() : null;
}

/**
 * The school and student reference of `payment` (see the file's header), whatever the
 * school's status (the money has arrived), or null when it is not a school payment.
 */
export async function schoolBankTarget(db: Db, payment: BankPayment): Promise<SchoolBankTarget | null> {
  if (payment.bank === 'equity') {
    const code = typeof payment.payload.merchantCode === 'string' ? payment.payload.merchantCode.trim() : '';
    if (!code) return null;
    const school = await findSchoolByBankReference(db, 'equity', code);
    return school ? { school, bankReference: code, reference: payment.account } : null;
  }
  const account = payment.account.trim();
  // School references are letters, digits and dashes only, so they are safe as LIKE patterns.
  const row = await db('schools as s')
    .join('school_bank_accounts as b', 'b.school_id', 's.id')
    .where('b.bank', 'kcb')
    .where((q) => q.where('b.reference', account)
      .orWhereRaw(`? like b.reference || '#%'`, [account])
      .orWhereRaw(`? like b.reference || '-%'`, [account]))
    .orderByRaw('length(b.reference) desc')
    .first('s.*', 'b.reference as bank_reference');
  if (!row) return null;
  const bankReference = row.bank_reference as string;
  const student = splitKcbAccount(account, bankReference);
  return { school: toSchool(row), bankReference, reference: student || account };
}

/**
 * Receives `payment` as school fees when it was paid to a school's bank account: records it
 * once under `bank:<bank>:<transaction id>` on the student whose admission number it
 * carries (school book only, receipts SMS to the guardians) or unmatched for the bursar.
 * Returns null when it is not a school payment (the caller takes the wallet/suspense route).
 * A replay with the same account and amount answers the first outcome and moves nothing,
 * also when replays arrive together, as the wallet route does.
 *
 * @throws BankPaymentConflictError (HTTP 409) the transaction id came before with another
 *   account, amount or school, or went the other route (wallet/suspense) before
 */
export async function receiveSchoolBankPayment(payment: BankPayment, db: Db): Promise<ReceivedSchoolBankPayment | null> {
  const key = `bank:${payment.bank}:${payment.transactionId}`;
  const [target, earlier] = await Promise.all([schoolBankTarget(db, payment), findSchoolPaymentByKey(db, key)]);
  if (!target) {
    // Came before as a school payment, now without the school's account: not the same payment.
    if (earlier) throw new BankPaymentConflictError(payment.transactionId);
    return null;
  }
  if (earlier) return replayOf(earlier, payment, target);
  if (await findBankPayment(db, payment.bank, payment.transactionId)) throw new BankPaymentConflictError(payment.transactionId);
  let recorded: RecordedSchoolPayment;
  try {
    recorded = await recordSchoolPayment(db, {
      schoolId: target.school.id, reference: target.reference, amount: payment.amount, idempotencyKey: key, channel: 'bank', payerMsisdn: null, raw: payment.payload,
    });
  } catch (err) {
    if (err instanceof IdempotencyConflictError) throw new BankPaymentConflictError(payment.transactionId);
    throw err;
  }
  if (recorded.replayed) return replayOf((await findSchoolPaymentByKey(db, key))!, payment, target);
  log.info('bank school fees payment received', {
    bank: payment.bank, transactionId: payment.transactionId, amount: String(payment.amount), schoolId: target.school.id,
    status: recorded.status, paymentId: String(recorded.paymentId), code: recorded.entryCode,
  });
  return { ack: ackOf(payment.transactionId, recorded.paymentId, recorded.entryCode ?? null), recorded, replayed: false };
}

/** The first outcome of a payment, when this one is the same payment. @throws BankPaymentConflictError */
function replayOf(p: SchoolPayment, payment: BankPayment, target: SchoolBankTarget): ReceivedSchoolBankPayment {
  const rawAccount = p.raw[BANKS[payment.bank].accountField];
  const account = typeof rawAccount === 'string' ? rawAccount.trim() : null;
  if (p.amount !== payment.amount || p.schoolId !== target.school.id || account !== payment.account || p.channel !== 'bank') {
    throw new BankPaymentConflictError(payment.transactionId);
  }
  const recorded: RecordedSchoolPayment = {
    status: p.status, studentId: p.studentId ?? undefined, paymentId: p.id, entryCode: p.entryCode ?? undefined, replayed: true,
  };
  return { ack: ackOf(payment.transactionId, p.id, p.entryCode), recorded, replayed: true };
}

function ackOf(transactionId: string, paymentId: bigint, entryCode: string | null): ReceivedSchoolBankPayment['ack'] {
  return { status: 'accepted', transactionId, reference: entryCode ? entryCode.trim() : `school-payment:${paymentId}` };
}
