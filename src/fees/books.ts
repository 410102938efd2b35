/**
 * The books of School Fees (DESIGN.md, Money). Each school has its own book, `school:<id>`,
 * holding one receivable per student (`school:<id>:student:<studentId>`, an asset: its
 * signed balance is what the student owes, negative when in credit), the school's fees
 * (`school:<id>:fees`, revenue: credited when a term is invoiced) and its collections
 * (`school:<id>:collections`, an asset: debited when a payment reduces a receivable). So
 * receivables + collections = fees, and the book's trial balance is zero.
 *
 * The platform book holds `school:<id>:settlement` (a no-overdraft liability: what Simu
 * owes the school for fees paid from wallets or into Simu's own paybill).
 */
import type { Db } from '../db/index.js';
import { openAccount, type Account } from '../ledger/index.js';

/** The name of school `schoolId`'s receivables book. */
export function schoolBook(schoolId: number): string {
  return `school:${schoolId}`;
}

/** Account codes of a school. */
export const schoolAccountCodes = (schoolId: number) => ({
  settlement: `school:${schoolId}:settlement`,
  collections: `school:${schoolId}:collections`,
  fees: `school:${schoolId}:fees`,
});

/** The code of a student's receivable account. */
export function receivableCode(schoolId: number, studentId: number): string {
  return `school:${schoolId}:student:${studentId}`;
}

/** Opens (or finds: safe to run twice) the three accounts of school `schoolId`. */
export async function openSchoolAccounts(db: Db, schoolId: number, name: string): Promise<{ settlement: Account; collections: Account; fees: Account }> {
  const codes = schoolAccountCodes(schoolId);
  const book = schoolBook(schoolId);
  // One at a time: `db` is usually a transaction, whose one connection runs queries in turn.
  const settlement = await openAccount(db, { code: codes.settlement, name: `${name} (school fees settlement)`, type: 'liability', noOverdraft: true });
  const collections = await openAccount(db, { code: codes.collections, name: `${name} fees collected`, type: 'asset', book });
  const fees = await openAccount(db, { code: codes.fees, name: `${name} fees invoiced`, type: 'revenue', book });
  return { settlement, collections, fees };
}

/** Opens a student's receivable in the school's book (may go negative: a credit). */
export async function openReceivable(db: Db, schoolId: number, studentId: number, label: string): Promise<Account> {
  return openAccount(db, { code: receivableCode(schoolId, studentId), name: `${label} fees receivable`, type: 'asset', book: schoolBook(schoolId) });
}
