/**
 * The SMS of a Lipa payment: the payer's receipt (in the payer's language) and the
 * merchant's notice (in the merchant's language). Shaped like the receipts M-Pesa users
 * know: code first, then what happened, when, the balance. Both languages' fixed text is
 * GSM-7 (plain ASCII letters, digits and punctuation), so an SMS costs one part per 160
 * characters, not per 70.
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

/** The facts of a merchant's notice (amounts in cents; `payerMsisdn` already masked). */
export type MerchantNoticeFacts = Omit<LipaSmsFacts, 'balance'> & { payerName: string; payerMsisdn: string; commission: bigint };

/**
 * The merchant's notice of one payment, in the merchant's language: who paid (number
 * masked), for what, when, and the commission taken from it.
 */
export function merchantNotice(lang: 'en' | 'sw', f: MerchantNoticeFacts): string {
  if (lang === 'sw') {
    const account = f.accountRef ? ` kwa akaunti ${f.accountRef}` : '';
    return `${f.code} Imethibitishwa. Umepokea ${formatKes(f.amount)} kutoka kwa ${f.payerName} ${f.payerMsisdn}${account} tarehe ${receiptTime(f.at, 'sw')}. Kamisheni ${formatKes(f.commission)}.`;
  }
  const account = f.accountRef ? ` for account ${f.accountRef}` : '';
  return `${f.code} Confirmed. You have received ${formatKes(f.amount)} from ${f.payerName} ${f.payerMsisdn}${account} on ${receiptTime(f.at)}. Commission ${formatKes(f.commission)}.`;
}
