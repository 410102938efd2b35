/**
 * School Fees: schools, students and their guardians, terms and fee structures, invoicing
 * in each school's own receivables book, and payments from a wallet, M-Pesa or a bank,
 * with receipts by SMS. Money moves only through the ledger's `transfer()`; a student's
 * balance is their receivable's balance in the school's book (`school:<schoolId>`).
 * Amounts are KES cents as bigint throughout.
 */
export { schoolBook, schoolAccountCodes, receivableCode } from './books.js';
export {
  createSchool, getSchool, findSchoolByPaybill, findSchoolByBankReference, schoolsForGuardian, addSchoolBankAccount, bankAccountsOf, schoolsQuery, toSchool,
  SCHOOL_BANKS, type School, type SchoolBank, type SchoolBankAccount, type SchoolStatus, type NewSchool,
} from './schools.js';
export {
  createStudent, getStudent, findStudent, guardiansOf, studentsForGuardian, studentsQuery, toStudent, normalizeAdmissionNo, checkStudent,
  type Student, type StudentStatus, type NewStudent,
} from './students.js';
export { importStudentsCsv, parseCsv, STUDENT_CSV_HEADER, MAX_CSV_ROWS, type CsvImportResult } from './csv.js';
export { createTerm, getTerm, findTerm, termsOf, setFeeStructure, feeStructuresOf, isCalendarDate, toTerm, type Term, type FeeStructure } from './terms.js';
export { invoiceTerm, invoiceKey, type InvoiceRun } from './invoice.js';
export { studentStatement, feesReport, type StudentStatement, type FeesReport, type ClassFees } from './statement.js';
export { payFeesFromWallet, quoteFeesFromWallet, type WalletFeePayment, type FeePayer, type WalletFeeReceipt } from './pay-wallet.js';
export { recordSchoolPayment, type SchoolPaymentRequest, type RecordedSchoolPayment } from './record.js';
export { allocatePayment, type Allocation } from './allocate.js';
export {
  getSchoolPayment, findSchoolPaymentByKey, schoolPaymentsQuery, toSchoolPayment, PAYMENT_CHANNELS, PAYMENT_STATUSES,
  type SchoolPayment, type PaymentChannel, type PaymentStatus,
} from './payments.js';
export { enqueueFeeReceipts } from './notify.js';
export { invoiceSms, receiptSms, type FeesLanguage, type InvoiceSmsFacts, type ReceiptSmsFacts } from './messages.js';
export {
  SchoolNotFoundError, SchoolInactiveError, SchoolExistsError, StudentNotFoundError, StudentExistsError, TermNotFoundError, TermExistsError,
  FeeStructureLockedError, SchoolPaymentNotFoundError, PaymentNotUnmatchedError, CsvImportError, type CsvRowError,
} from './errors.js';
export { validateSchoolC2b, confirmSchoolC2b, BLANK_BILL_REF, type SchoolC2bValidationAnswer } from './c2b.js';
export { receiveSchoolBankPayment, schoolBankTarget, splitKcbAccount, type SchoolBankTarget, type ReceivedSchoolBankPayment } from './bank.js';
