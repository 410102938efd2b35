/** The SMS of M-Pesa top-ups, per language, shaped like every Simu receipt: code first. */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/messages.js';

/** A top-up receipt's facts (cents): `code` is Simu's entry code, `mpesaRef` M-Pesa's TransID. */
export interface TopUpFacts {
  code: string;
  mpesaRef: string;
  amount: bigint;
  at: Date;
  balance: bigint;
}

/** `M-Pesa top-up credited to the wallet` in English or Swahili. */
export function topUpSms(lang: 'en' | 'sw', f: TopUpFacts): string {
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. Umepokea ${formatKes(f.amount)} kutoka M-Pesa (kumb. ${f.mpesaRef}) tarehe ${receiptTime(f.at, 'sw')}. Salio jipya ${formatKes(f.balance)}.`
    : `${f.code} Confirmed. You have received ${formatKes(f.amount)} from M-Pesa (ref ${f.mpesaRef}) on ${receiptTime(f.at)}. New balance ${formatKes(f.balance)}.`;
}
