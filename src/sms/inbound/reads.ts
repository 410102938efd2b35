/**
 * What the read-only SMS commands look up, without a PIN: over SMS the SIM is the proof
 * (AT relays the sender's MSISDN from the network), so BAL, STMT, LOAN and FEES answer
 * only the sender's own figures. Amounts are KES cents.
 *
 * The statement is read here rather than with src/payments `miniStatement`, which checks a
 * PIN (and counts toward the lockout) because it serves the USSD menu: same query, same
 * labels, no PIN.
 */
import type { Db } from '../../db/index.js';
import type { Customer } from '../../customers/index.js';
import { displayBalance, getAccount } from '../../ledger/index.js';
import { findSchoolByPaybill, findStudent, guardiansOf, studentStatement } from '../../fees/index.js';
import { loanLimit, loansOf, loanStatement, LoanProductNotFoundError } from '../../loans/index.js';
import { walletLines } from '../../payments/statement.js';
import type { FeesFacts, LimitReason, LoanLine, ReplyStatementLine } from './replies.js';

/** The loan product whose limit LOAN reports (the seeded Simu Advance). */
export const SMS_LOAN_PRODUCT = 'advance';

/** The customer's wallet balance (cents, as the customer reads it). */
export async function walletBalance(db: Db, customer: Customer): Promise<bigint> {
  return displayBalance(await getAccount(db, customer.walletAccountId));
}

/** The last `count` entries of the customer's wallet, newest first (money out negative). No PIN. */
export async function recentTransactions(db: Db, customer: Customer, count = 5): Promise<ReplyStatementLine[]> {
  return walletLines(db, customer, count);
}

/**
 * The fees of the student with admission number `admissionNo` at the school whose paybill
 * is `paybill`, only when `msisdn` is one of that student's guardians; null otherwise (no
 * such school or student, or not a guardian: the reply does not tell which, so that no one
 * learns who studies where).
 */
export async function feesForGuardian(db: Db, msisdn: string, paybill: string, admissionNo: string): Promise<FeesFacts | null> {
  const school = await findSchoolByPaybill(db, paybill);
  if (!school) return null;
  const student = await findStudent(db, school.id, admissionNo);
  if (!student || !(await guardiansOf(db, student.id)).includes(msisdn)) return null;
  const statement = await studentStatement(db, student.id);
  return {
    admissionNo: student.admissionNo, student: student.name, school: school.name, balance: statement.balance,
    term: statement.term ? { name: statement.term.name, dueDate: statement.term.dueDate } : null,
  };
}

/** The customer's limit on the Simu Advance product and their open loans (any product). */
export async function loanPosition(db: Db, customer: Customer, now: Date = new Date()): Promise<{ limit: bigint; reason: LimitReason; loans: LoanLine[] }> {
  let limit = 0n;
  let reason: LimitReason;
  try {
    const found = await loanLimit(db, customer.id, SMS_LOAN_PRODUCT, now);
    limit = found.limit;
    reason = found.reason;
  } catch (err) {
    if (!(err instanceof LoanProductNotFoundError)) throw err;
    reason = 'no_product';
  }
  const loans: LoanLine[] = [];
  for (const loan of await loansOf(db, customer.id, { open: true })) {
    const s = await loanStatement(db, loan.id, now);
    loans.push({ outstanding: s.outstanding.total, overdue: s.overdue.amount, nextDue: s.nextDue ? { dueDate: s.nextDue.dueDate, amount: s.nextDue.amount } : null });
  }
  return { limit, reason, loans };
}
