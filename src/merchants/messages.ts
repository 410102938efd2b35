/**
 * The SMS of a Lipa payment: the payer's receipt (in the payer's language) and the
 * merchant's notice (English: merchants have no language setting yet). Shaped like the
 * receipts M-Pesa users know: code first, then what happened, when, the balance.
 */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/index.js';

/** The facts of a Lipa payment (amounts in cents). */
export interface LipaSmsFacts {
  code: string;
  amount: bigint;
  merchantName: string;
  /** Paybill account number; empty for a till. */
  accountRef: string;
  at: Date;
  /** The payer's wallet balance after. */
  balance: bigint;
}

/** The payer's receipt. */
export function payerReceipt(lang: 'en' | 'sw', f: LipaSmsFacts): string {
  const account = f.accountRef ? (lang === 'sw' ? ` akaunti ${f.accountRef}` : ` for account ${f.accountRef}`) : '';
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. ${formatKes(f.amount)} imelipwa kwa ${f.merchantName}${account} tarehe ${receiptTime(f.at, 'sw')}. Salio jipya ${formatKes(f.balance)}. Ada KES 0.`
    : `${f.code} Confirmed. ${formatKes(f.amount)} paid to ${f.merchantName}${account} on ${receiptTime(f.at)}. New balance ${formatKes(f.balance)}. Charge KES 0.`;
}

/** The merchant's notice of one payment: who paid (number masked), for what, and its commission. */
export function merchantNotice(f: Omit<LipaSmsFacts, 'balance'> & { payerName: string; payerMsisdn: string; commission: bigint }): string {
  const account = f.accountRef ? ` for account ${f.accountRef}` : '';
  return `${f.code} Confirmed. You have received ${formatKes(f.amount)} from ${f.payerName} ${f.payerMsisdn}${account} on ${receiptTime(f.at)}. Commission ${formatKes(f.commission)}.`;
}
