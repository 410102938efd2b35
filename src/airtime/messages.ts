/**
 * The SMS of Buy Airtime, per language: the receipt when AT reports the airtime delivered,
 * and the notice when it failed and the money came back. Shaped like Simu's other
 * receipts (src/sms/messages.ts): code first, then what happened, when, the new balance.
 */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/index.js';

/** What an airtime SMS says (amounts in cents). */
export interface AirtimeFacts {
  /** The purchase's transaction code. */
  code: string;
  amount: bigint;
  /** National format: `0712345678`. */
  recipient: string;
  at: Date;
  balance: bigint;
}

/** A reversal's facts: `reversalCode` is the compensating entry's. */
export interface AirtimeReversalFacts extends AirtimeFacts {
  reversalCode: string;
}

const en = {
  delivered: (f: AirtimeFacts) =>
    `${f.code} Confirmed. You bought ${formatKes(f.amount)} airtime for ${f.recipient} on ${receiptTime(f.at)}. New balance ${formatKes(f.balance)}.`,
  reversed: (f: AirtimeReversalFacts) =>
    `${f.reversalCode} Confirmed. Airtime ${f.code} of ${formatKes(f.amount)} for ${f.recipient} could not be delivered. ` +
    `${formatKes(f.amount)} returned to your account on ${receiptTime(f.at)}. New balance ${formatKes(f.balance)}.`,
};

const sw: typeof en = {
  delivered: (f) =>
    `${f.code} Imethibitishwa. Umenunua muda wa maongezi wa ${formatKes(f.amount)} kwa ${f.recipient} tarehe ${receiptTime(f.at, 'sw')}. Salio jipya ${formatKes(f.balance)}.`,
  reversed: (f) =>
    `${f.reversalCode} Imethibitishwa. Muda wa maongezi ${f.code} wa ${formatKes(f.amount)} kwa ${f.recipient} haukuweza kufika. ` +
    `${formatKes(f.amount)} imerudishwa kwenye akaunti yako tarehe ${receiptTime(f.at, 'sw')}. Salio jipya ${formatKes(f.balance)}.`,
};

/** The airtime SMS of a language. */
export function airtimeSms(lang: 'en' | 'sw') {
  return lang === 'sw' ? sw : en;
}
