/** The refusals of School Fees, each with its HTTP status (AppError). */
import { AppError } from '../errors/index.js';

/** No school with that id, paybill or bank reference (404). */
export class SchoolNotFoundError extends AppError {
  constructor(what: string) {
    super('school_not_found', `no school ${what}`, 404, true);
  }
}

/** The school is suspended: it takes no wallet payments (409). */
export class SchoolInactiveError extends AppError {
  constructor(readonly schoolId: number) {
    super('school_inactive', `school ${schoolId} is suspended`, 409, true);
  }
}

/** A school with that paybill, or a bank reference another school holds, exists already (409). */
export class SchoolExistsError extends AppError {
  constructor(what: string) {
    super('school_exists', `${what} belongs to a school already`, 409, true);
  }
}

/** No student with that id or admission number (in that school) (404). */
export class StudentNotFoundError extends AppError {
  constructor(what: string) {
    super('student_not_found', `no student ${what}`, 404, true);
  }
}

/** The school has a student with that admission number already (409). */
export class StudentExistsError extends AppError {
  constructor(readonly admissionNo: string) {
    super('student_exists', `admission number ${admissionNo} is taken in this school`, 409, true);
  }
}

/** No term with that id (404). */
export class TermNotFoundError extends AppError {
  constructor(what: string) {
    super('term_not_found', `no term ${what}`, 404, true);
  }
}

/** The school has a term with that name already (409). */
export class TermExistsError extends AppError {
  constructor(readonly name: string) {
    super('term_exists', `the school has a term named ${name} already`, 409, true);
  }
}

/**
 * A class's fee for a term cannot change once the term is invoiced: students invoiced later
 * would owe another amount than their classmates (409). A class without a fee may still be
 * added.
 */
export class FeeStructureLockedError extends AppError {
  constructor(readonly termId: number, readonly className: string) {
    super('fee_structure_locked', `term ${termId} is invoiced: the fee of ${className} cannot change`, 409, true);
  }
}

/** No school payment with that id (404). */
export class SchoolPaymentNotFoundError extends AppError {
  constructor(readonly paymentId: bigint | number) {
    super('school_payment_not_found', `no school payment ${paymentId}`, 404, true);
  }
}

/** Only an unmatched payment can be allocated (409): this one is posted or allocated already. */
export class PaymentNotUnmatchedError extends AppError {
  constructor(readonly paymentStatus: string) {
    super('payment_not_unmatched', `the payment is ${paymentStatus}, not unmatched`, 409, true);
  }
}

/** One bad row of a CSV import: its line number in the file (the header is line 1) and why. */
export interface CsvRowError {
  line: number;
  reason: string;
}

/** A student CSV with bad rows: nothing was imported; `details.errors` lists every bad row (400). */
export class CsvImportError extends AppError {
  constructor(readonly errors: CsvRowError[]) {
    super('csv_invalid', `${errors.length} bad row${errors.length === 1 ? '' : 's'}: nothing was imported`, 400, true);
    this.details = { errors };
  }
}
