/**
 * The words of every School Fees SMS, in English and Kiswahili: the invoice a guardian gets
 * when a term is invoiced, and the receipt every guardian (and the payer) gets for a
 * payment. Receipts follow the shape mobile-money users know: code first, then what
 * happened, when, and the new balance. Fixed text is GSM-7 (plain ASCII), so an SMS costs
 * one part per 160 characters.
 */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/index.js';

/** An SMS language: a guardian who is a Simu customer reads theirs, anyone else English. */
export type FeesLanguage = 'en' | 'sw';

/** The facts of a term's invoice to one guardian (amounts in KES cents). */
export interface InvoiceSmsFacts {
  schoolName: string;
  paybill: string;
  termName: string;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  studentName: string;
  admissionNo: string;
  /** What this term's invoice adds. */
  amount: bigint;
  /** What the student owes after it (negative: in credit). */
  balance: bigint;
  /** The USSD code guardians dial (`*384#`). */
  serviceCode: string;
}

/** The facts of a payment's receipt (amounts in KES cents). */
export interface ReceiptSmsFacts {
  /** The transaction code of the entry that reduced the student's balance. */
  code: string;
  schoolName: string;
  studentName: string;
  admissionNo: string;
  amount: bigint;
  at: Date;
  /** What the student owes after the payment (negative: in credit). */
  balance: bigint;
}

/** `2027-01-05` → `05/01/2027`, as Kenyans write dates. */
function day(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** "Balance KES 1,000" or, when the student is in credit, "Credit KES 500". */
function balanceText(lang: FeesLanguage, balance: bigint): string {
  if (balance < 0n) return lang === 'sw' ? `Salio la ziada ${formatKes(-balance)}` : `Fee credit ${formatKes(-balance)}`;
  return lang === 'sw' ? `Salio la karo ${formatKes(balance)}` : `Fee balance ${formatKes(balance)}`;
}

/** The invoice SMS of one student's term, to one guardian. */
export function invoiceSms(lang: FeesLanguage, f: InvoiceSmsFacts): string {
  const name = f.studentName.toUpperCase();
  return lang === 'sw'
    ? `${f.schoolName}: karo ya ${f.termName} ya ${name} (${f.admissionNo}) ni ${formatKes(f.amount)}, ilipwe kufikia ${day(f.dueDate)}. ${balanceText('sw', f.balance)}. Lipa kwa Simu ${f.serviceCode} au paybill ${f.paybill} akaunti ${f.admissionNo}.`
    : `${f.schoolName}: ${f.termName} fees for ${name} (${f.admissionNo}) are ${formatKes(f.amount)}, due ${day(f.dueDate)}. ${balanceText('en', f.balance)}. Pay on Simu ${f.serviceCode} or paybill ${f.paybill} account ${f.admissionNo}.`;
}

/**
 * The receipt of a fee payment, to a guardian or the payer; `walletBalance` (cents) is
 * added for a payer who paid from their Simu wallet.
 */
export function receiptSms(lang: FeesLanguage, f: ReceiptSmsFacts, walletBalance?: bigint): string {
  const name = f.studentName.toUpperCase();
  if (lang === 'sw') {
    const wallet = walletBalance === undefined ? '' : ` Salio la Simu ${formatKes(walletBalance)}.`;
    return `${f.code} Imethibitishwa. ${formatKes(f.amount)} imepokelewa na ${f.schoolName} kwa ${name} (${f.admissionNo}) tarehe ${receiptTime(f.at, 'sw')}. ${balanceText('sw', f.balance)}.${wallet}`;
  }
  const wallet = walletBalance === undefined ? '' : ` Simu balance ${formatKes(walletBalance)}.`;
  return `${f.code} Confirmed. ${formatKes(f.amount)} received by ${f.schoolName} for ${name} (${f.admissionNo}) on ${receiptTime(f.at)}. ${balanceText('en', f.balance)}.${wallet}`;
}

/** The facts of an arrears reminder to one guardian (amounts in KES cents). */
export interface ArrearsSmsFacts {
  schoolName: string;
  paybill: string;
  studentName: string;
  admissionNo: string;
  /** What the student owes now (positive). */
  balance: bigint;
  /** `YYYY-MM-DD`: the due date of the term in arrears. */
  dueDate: string;
  /** The USSD code guardians dial (`*384#`). */
  serviceCode: string;
}

/** The arrears reminder of one student, to one guardian (at most one a week, never at night). */
export function arrearsSms(lang: FeesLanguage, f: ArrearsSmsFacts): string {
  const name = f.studentName.toUpperCase();
  return lang === 'sw'
    ? `${f.schoolName}: ${name} (${f.admissionNo}) ana deni la karo ${formatKes(f.balance)} tangu ${day(f.dueDate)}. Lipa kwa Simu ${f.serviceCode} au paybill ${f.paybill} akaunti ${f.admissionNo}. Asante.`
    : `${f.schoolName}: ${name} (${f.admissionNo}) has fees of ${formatKes(f.balance)} overdue since ${day(f.dueDate)}. Pay on Simu ${f.serviceCode} or paybill ${f.paybill} account ${f.admissionNo}. Thank you.`;
}
