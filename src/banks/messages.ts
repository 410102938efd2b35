/** The receipt SMS a customer gets when a bank payment reaches their wallet, per language. */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/index.js';

/** A bank receipt's facts (amounts in KES cents). */
export interface BankReceiptFacts {
  code: string;
  amount: bigint;
  /** The bank's name, `Equity Bank`. */
  bank: string;
  /** The bank's transaction id. */
  bankRef: string;
  at: Date;
  balance: bigint;
}

const en = {
  received: (r: BankReceiptFacts) =>
    `${r.code} Confirmed. You have received ${formatKes(r.amount)} from ${r.bank} ref ${r.bankRef} on ${receiptTime(r.at)}. New balance ${formatKes(r.balance)}.`,
};

const sw: typeof en = {
  received: (r: BankReceiptFacts) =>
    `${r.code} Imethibitishwa. Umepokea ${formatKes(r.amount)} kutoka ${r.bank} kumb. ${r.bankRef} tarehe ${receiptTime(r.at, 'sw')}. Salio jipya ${formatKes(r.balance)}.`,
};

/** The bank SMS in `lang`. */
export function bankSms(lang: 'en' | 'sw') {
  return lang === 'sw' ? sw : en;
}
