/**
 * The SMS of School Fees, written to the outbox in the transaction of the entry that
 * causes them: a term's invoice to each guardian, and one receipt function that every
 * payment path uses (wallet, M-Pesa, bank, allocation). Each guardian reads their own
 * language when they are a Simu customer, English otherwise.
 */
import type { Db } from '../db/index.js';
import { config } from '../config/index.js';
import type { TransferResult } from '../ledger/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { enqueueSms, type OutboxSms } from '../sms/index.js';
import { invoiceSms, receiptSms, type FeesLanguage } from './messages.js';
import type { School } from './schools.js';
import { guardiansOf, type Student } from './students.js';
import type { Term } from './terms.js';

/** The SMS language of each of `msisdns`: the customer's, else English. */
export async function languagesOf(db: Db, msisdns: string[]): Promise<Map<string, FeesLanguage>> {
  const rows = msisdns.length ? await db('customers').whereIn('msisdn', msisdns).select('msisdn', 'language') : [];
  const found = new Map(rows.map((r) => [r.msisdn as string, String(r.language).trim() === 'sw' ? 'sw' as const : 'en' as const]));
  return new Map(msisdns.map((m) => [m, found.get(m) ?? 'en']));
}

/** The signed balance after `entry` of `accountId` (cents; the receivable's: what the student owes). */
export function balanceAfter(entry: TransferResult, accountId: number): bigint {
  const leg = entry.postings.find((p) => p.accountId === accountId);
  if (!leg) throw new Error(`entry ${entry.code} has no leg on account ${accountId}`);
  return leg.balanceAfter;
}

/**
 * Writes the invoice SMS of `student`'s `term` (`amount` cents, posted by `entry`) to each
 * guardian, deduplicated by `fees:invoice:<termId>:<studentId>:<msisdn>`.
 */
export async function enqueueInvoiceSms(db: Db, f: { school: School; term: Term; student: Student; amount: bigint; entry: TransferResult }): Promise<void> {
  const guardians = await guardiansOf(db, f.student.id);
  const languages = await languagesOf(db, guardians);
  const facts = {
    schoolName: f.school.name, paybill: f.school.paybill, termName: f.term.name, dueDate: f.term.dueDate, studentName: f.student.name,
    admissionNo: f.student.admissionNo, amount: f.amount, balance: balanceAfter(f.entry, f.student.receivableAccountId), serviceCode: config.ussdServiceCode,
  };
  await enqueueSms(db, guardians.map((msisdn): OutboxSms => ({
    msisdn, kind: 'invoice', senderId: f.school.smsSender, journalEntryId: f.entry.entryId, dedupeKey: `fees:invoice:${f.term.id}:${f.student.id}:${msisdn}`,
    message: invoiceSms(languages.get(msisdn)!, facts),
  })));
}

/**
 * The one receipt of a fee payment: to every guardian of `student`, and to `payerMsisdn`
 * when it is a real number (not a rail's masked one) and no guardian's. `entry` is the
 * entry that reduced the student's receivable; the SMS carries its code, `amount` cents and
 * the new balance; the payer's also `payerWalletBalance` (cents) when they paid from their
 * wallet. Deduplicated by `fees:receipt:<code>:<msisdn>`.
 */
export async function enqueueFeeReceipts(
  db: Db, f: { school: School; student: Student; amount: bigint; entry: TransferResult; payerMsisdn?: string | null; payerWalletBalance?: bigint },
): Promise<void> {
  const recipients = await guardiansOf(db, f.student.id);
  const payer = f.payerMsisdn ? normalizeMsisdn(f.payerMsisdn) : null;
  if (payer && !recipients.includes(payer)) recipients.push(payer);
  const languages = await languagesOf(db, recipients);
  const facts = {
    code: f.entry.code, schoolName: f.school.name, studentName: f.student.name, admissionNo: f.student.admissionNo, amount: f.amount,
    at: f.entry.createdAt, balance: balanceAfter(f.entry, f.student.receivableAccountId),
  };
  await enqueueSms(db, recipients.map((msisdn): OutboxSms => ({
    msisdn, kind: 'receipt', journalEntryId: f.entry.entryId,
    // A wallet payer's receipt is Simu's (it carries their Simu balance); the guardians' is the school's.
    senderId: msisdn === payer && f.payerWalletBalance !== undefined ? undefined : f.school.smsSender, dedupeKey: `fees:receipt:${f.entry.code}:${msisdn}`,
    message: receiptSms(languages.get(msisdn)!, facts, msisdn === payer ? f.payerWalletBalance : undefined),
  })));
}
