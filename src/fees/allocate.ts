/**
 * Allocating an unmatched payment: the bursar names the student a payment was meant for
 * (its reference matched nobody), and the amount comes off that student's receivable in
 * the school's book (collections debit, receivable credit), with the receipt SMS. Any
 * platform money of the payment reached the school's settlement account when it arrived.
 */
import { inTransaction, type Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { transfer } from '../ledger/index.js';
import { PaymentNotUnmatchedError, SchoolPaymentNotFoundError, StudentNotFoundError } from './errors.js';
import { schoolLeg } from './legs.js';
import { enqueueFeeReceipts } from './notify.js';
import { getSchoolPayment, type SchoolPayment } from './payments.js';
import { getSchool } from './schools.js';
import { findStudent, getStudent, type Student } from './students.js';

/** Whom to allocate to (a student of the payment's school), who does it, and the ledger key. */
export interface Allocation {
  studentId?: number;
  /** The admission number, in any case; used when `studentId` is not given. */
  admissionNo?: string;
  /** Who allocates (the admin key's name), kept on the payment. */
  by: string;
  /** The ledger key: `admin:<Idempotency-Key>` from the admin API; `fees:allocate:<paymentId>` by default. */
  idempotencyKey?: string;
}

/**
 * Allocates unmatched payment `paymentId` to a student of its school: one school-book
 * entry (kind `fees_allocation`), the payment marked `allocated` (student, entry, who,
 * when) and the receipt SMS to the student's guardians and the payer (when known), in one
 * transaction (the caller's, when `db` is one). The payment's row is locked, so two
 * allocations of one payment apply one after the other and the second is refused.
 * Returns the payment before and after.
 *
 * @throws ValidationError neither studentId nor admissionNo given
 * @throws SchoolPaymentNotFoundError
 * @throws PaymentNotUnmatchedError the payment is posted or allocated already (HTTP 409)
 * @throws StudentNotFoundError no such student in the payment's school
 */
export async function allocatePayment(db: Db, paymentId: bigint | number, to: Allocation): Promise<{ before: SchoolPayment; after: SchoolPayment }> {
  if (to.studentId === undefined && !to.admissionNo) throw new ValidationError('studentId or admissionNo: name the student', 'studentId');
  return inTransaction(db, async (trx) => {
    const locked = await trx('school_payments').where({ id: String(paymentId) }).forUpdate().first('id');
    if (!locked) throw new SchoolPaymentNotFoundError(paymentId);
    const before = await getSchoolPayment(trx, paymentId);
    if (before.status !== 'unmatched') throw new PaymentNotUnmatchedError(before.status);
    const school = await getSchool(trx, before.schoolId);
    const student = await studentOf(trx, before.schoolId, to);
    const entry = await transfer(
      {
        idempotencyKey: to.idempotencyKey ?? `fees:allocate:${paymentId}`,
        kind: 'fees_allocation',
        amount: before.amount,
        postings: schoolLeg(school, student, before.amount),
        memo: `${before.channel} school fees ${before.reference} allocated to ${student.admissionNo} by ${to.by}`,
        metadata: { schoolId: school.id, studentId: student.id, paymentId: String(paymentId), allocatedBy: to.by },
      },
      { afterPost: (t, r) => enqueueFeeReceipts(t, { school, student, amount: before.amount, entry: r, payerMsisdn: before.payerMsisdn }) },
      trx,
    );
    await trx('school_payments').where({ id: String(paymentId) }).update({
      status: 'allocated', student_id: student.id, allocation_entry_id: entry.entryId, allocated_at: trx.fn.now(), allocated_by: to.by,
    });
    return { before, after: await getSchoolPayment(trx, paymentId) };
  });
}

async function studentOf(db: Db, schoolId: number, to: Allocation): Promise<Student> {
  if (to.studentId !== undefined) {
    const student = await getStudent(db, to.studentId);
    if (student.schoolId !== schoolId) throw new StudentNotFoundError(`${to.studentId} in school ${schoolId}`);
    return student;
  }
  const student = await findStudent(db, schoolId, to.admissionNo!);
  if (!student) throw new StudentNotFoundError(`${to.admissionNo} in school ${schoolId}`);
  return student;
}
