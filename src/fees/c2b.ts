/**
 * M-Pesa C2B into a school's own paybill: Daraja posts the school's validation and
 * confirmation requests to Simu's C2B URLs (the school registers them for its paybill), and
 * src/mpesa/c2b.ts hands every request whose `BusinessShortCode` is a school's paybill to
 * this file. Bodies and answers follow Safaricom's C2B page
 * (https://developer.safaricom.co.ke/APIs/CustomerToBusinessRegisterURL, v2): the payer
 * types the student's admission number as the account (`BillRefNumber`), and `MSISDN` is
 * masked, so receipts go to the student's guardians.
 *
 * The money is in the school's own paybill, hence the school's already: a confirmation moves
 * only the school's receivables book (recordSchoolPayment without a platform leg), keyed
 * `mpesa:<TransID>` (DESIGN.md, Money), and never touches `clearing:mpesa`. Such
 * confirmations do not write `mpesa_receipts` (Simu's own paybill's record): the payment's
 * row in `school_payments` keeps the body.
 */
import type { Db } from '../db/index.js';
import { C2B_ACCEPTED, c2bRejection, type ParsedC2b } from '../mpesa/callback.js';
import { recordSchoolPayment, type RecordedSchoolPayment } from './record.js';
import type { School } from './schools.js';
import { findStudent } from './students.js';

/** What a school's C2B validation answers: accept, or C2B00012 "Invalid Account Number". */
export type SchoolC2bValidationAnswer = typeof C2B_ACCEPTED | { ResultCode: 'C2B00012'; ResultDesc: 'Invalid Account Number' };

/** The reference a confirmation with an empty `BillRefNumber` is kept under (never an admission number: it cannot match a student). */
export const BLANK_BILL_REF = '(blank)';

/**
 * Decides a validation request to `school`'s paybill: accepts (`{ ResultCode: 0, ResultDesc:
 * "Accepted" }`) when `BillRefNumber` is an admission number of one of its students (any
 * case, spaces ignored: findStudent), else rejects with `{ ResultCode: "C2B00012",
 * ResultDesc: "Invalid Account Number" }`. Reads only; changes nothing.
 */
export async function validateSchoolC2b(db: Db, school: School, c2b: ParsedC2b): Promise<SchoolC2bValidationAnswer> {
  const student = await findStudent(db, school.id, c2b.billRef);
  return student ? C2B_ACCEPTED : c2bRejection('C2B00012');
}

/**
 * Records a confirmation to `school`'s paybill once, keyed `mpesa:<TransID>`: on the student
 * whose admission number `BillRefNumber` is (school book only: collections debit, receivable
 * credit, amount in KES cents), with receipt SMS to the guardians through the outbox; or,
 * when it names no student (an empty `BillRefNumber` is kept as `(blank)`), `unmatched` for
 * the bursar to allocate. The masked `MSISDN` is passed as received and kept as null. A
 * replay (also concurrent) returns the first outcome with `replayed` and moves nothing.
 *
 * @throws IdempotencyConflictError (HTTP 409) the TransID was recorded before for another school or amount
 */
export async function confirmSchoolC2b(db: Db, school: School, c2b: ParsedC2b): Promise<RecordedSchoolPayment> {
  return recordSchoolPayment(db, {
    schoolId: school.id,
    reference: c2b.billRef.trim() || BLANK_BILL_REF,
    amount: c2b.amount,
    idempotencyKey: `mpesa:${c2b.transId}`,
    channel: 'mpesa_c2b',
    payerMsisdn: c2b.msisdn || null,
    raw: c2b.payload,
  });
}
