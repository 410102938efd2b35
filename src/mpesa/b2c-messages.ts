/** The SMS of withdrawals to M-Pesa, per language, shaped like every Simu receipt: code first. */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/messages.js';

/** A completed withdrawal's facts (cents): `code` Simu's entry code, `receipt` M-Pesa's. */
export interface B2cPaidFacts {
  code: string;
  receipt: string;
  amount: bigint;
  charge: bigint;
  phone: string;
  at: Date;
}

/** A reversed withdrawal's facts (cents; `balance` the wallet's after the reversal). */
export interface B2cReversedFacts {
  code: string;
  reversalCode: string;
  amount: bigint;
  charge: bigint;
  at: Date;
  balance: bigint;
}

/** The SMS texts of a withdrawal to M-Pesa in `lang`. */
export function b2cSms(lang: 'en' | 'sw') {
  return lang === 'sw'
    ? {
      paid: (f: B2cPaidFacts) =>
        `${f.code} Imethibitishwa. ${formatKes(f.amount)} zimetumwa kwa M-PESA ${f.phone} (kumb. ${f.receipt}) tarehe ${receiptTime(f.at, 'sw')}. Ada ${formatKes(f.charge)}.`,
      reversed: (f: B2cReversedFacts) =>
        `${f.code} Imeshindikana kutuma ${formatKes(f.amount)} kwa M-PESA. ${f.reversalCode}: ${formatKes(f.amount + f.charge)} zimerudishwa kwenye pochi yako tarehe ${receiptTime(f.at, 'sw')}. Salio jipya ${formatKes(f.balance)}.`,
    }
    : {
      paid: (f: B2cPaidFacts) =>
        `${f.code} Confirmed. ${formatKes(f.amount)} sent to M-PESA ${f.phone} (ref ${f.receipt}) on ${receiptTime(f.at)}. Charge ${formatKes(f.charge)}.`,
      reversed: (f: B2cReversedFacts) =>
        `${f.code} Failed: ${formatKes(f.amount)} could not be sent to M-PESA. ${f.reversalCode}: ${formatKes(f.amount + f.charge)} returned to your wallet on ${receiptTime(f.at)}. New balance ${formatKes(f.balance)}.`,
    };
}
