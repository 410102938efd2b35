/**
 * The words of every SMS Simu sends, per language. Receipts follow the shape mobile-money
 * users know: code first, then what happened, when, and the new balance.
 */
import { formatKes } from '../money/index.js';

// Built once: a formatter costs ~0.2 ms to build, and receipts are written under the
// transfer's row locks.
const NAIROBI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi', day: '2-digit', month: '2-digit', year: '2-digit', hour: 'numeric', minute: '2-digit', hour12: true,
});

/** Date and time in Africa/Nairobi as receipts print them: `23/11/26 at 3:15 PM`. */
export function receiptTime(at: Date, lang: 'en' | 'sw' = 'en'): string {
  const parts = NAIROBI.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const word = lang === 'sw' ? 'saa' : 'at';
  return `${get('day')}/${get('month')}/${get('year')} ${word} ${get('hour')}:${get('minute')} ${get('dayPeriod').toUpperCase()}`;
}

/** A receipt's facts (amounts in cents). */
export interface ReceiptFacts {
  code: string;
  amount: bigint;
  counterparty: string;
  counterpartyMsisdn: string;
  at: Date;
  balance: bigint;
  charge?: bigint;
}

/** A reversal notice's facts (amounts in cents): `code` is the reversal's, `originalCode` the reversed one's. */
export interface ReversalFacts extends ReceiptFacts {
  originalCode: string;
}

const en = {
  welcome: (name: string) => `Welcome to Simu, ${name}. Dial *384# to send money, pay bills and more. Never share your PIN with anyone.`,
  sentReceipt: (r: ReceiptFacts) =>
    `${r.code} Confirmed. ${formatKes(r.amount)} sent to ${r.counterparty} ${r.counterpartyMsisdn} on ${receiptTime(r.at)}. New balance ${formatKes(r.balance)}. Charge ${formatKes(r.charge ?? 0n)}.`,
  receivedReceipt: (r: ReceiptFacts) =>
    `${r.code} Confirmed. You have received ${formatKes(r.amount)} from ${r.counterparty} ${r.counterpartyMsisdn} on ${receiptTime(r.at)}. New balance ${formatKes(r.balance)}.`,
  pinLocked: (minutes: number) =>
    `Your Simu PIN was entered wrongly 3 times and is locked for ${minutes} minutes. If this was not you, call Simu care on 100 now.`,
  pinChanged: () => `Your Simu PIN was changed. If you did not do this, call Simu care on 100 now.`,
  /** The Forgot PIN one-time code: the only SMS that carries a secret (the admin view masks it). */
  resetCode: (code: string, minutes: number) =>
    `Your Simu PIN reset code is ${code}. It expires in ${minutes} minutes. Never share it with anyone, even Simu staff.`,
  resetLocked: (minutes: number) =>
    `Someone answered Simu Forgot PIN wrongly 3 times. It is locked for ${minutes} minutes. If this was not you, call Simu care on 100 now.`,
  pinReset: () => `Your Simu PIN was reset with Forgot PIN. If you did not do this, call Simu care on 100 now.`,
  requestIncomplete: () => `Simu could not complete your last request. Please check your balance and dial again.`,
  /** To the payer: `amount` is what comes back, the charge included. */
  reversalRefunded: (r: ReversalFacts) =>
    `${r.code} Confirmed. Transaction ${r.originalCode} to ${r.counterparty} ${r.counterpartyMsisdn} has been reversed. ${formatKes(r.amount)}${r.charge ? ` (charge ${formatKes(r.charge)} included)` : ''} returned to your account on ${receiptTime(r.at)}. New balance ${formatKes(r.balance)}.`,
  /** To the recipient: `amount` is what was taken back. */
  reversalTakenBack: (r: ReversalFacts) =>
    `${r.code} Confirmed. Transaction ${r.originalCode} from ${r.counterparty} ${r.counterpartyMsisdn} has been reversed. ${formatKes(r.amount)} has been taken back from your account on ${receiptTime(r.at)}. New balance ${formatKes(r.balance)}.`,
};

const sw: typeof en = {
  welcome: (name: string) => `Karibu Simu, ${name}. Piga *384# kutuma pesa, kulipa bili na zaidi. Usimwambie mtu yeyote PIN yako.`,
  sentReceipt: (r: ReceiptFacts) =>
    `${r.code} Imethibitishwa. ${formatKes(r.amount)} imetumwa kwa ${r.counterparty} ${r.counterpartyMsisdn} tarehe ${receiptTime(r.at, 'sw')}. Salio jipya ${formatKes(r.balance)}. Ada ${formatKes(r.charge ?? 0n)}.`,
  receivedReceipt: (r: ReceiptFacts) =>
    `${r.code} Imethibitishwa. Umepokea ${formatKes(r.amount)} kutoka kwa ${r.counterparty} ${r.counterpartyMsisdn} tarehe ${receiptTime(r.at, 'sw')}. Salio jipya ${formatKes(r.balance)}.`,
  pinLocked: (minutes: number) =>
    `PIN yako ya Simu imekosewa mara 3 na imefungwa kwa dakika ${minutes}. Kama si wewe, piga huduma kwa wateja 100 sasa.`,
  pinChanged: () => `PIN yako ya Simu imebadilishwa. Kama si wewe, piga huduma kwa wateja 100 sasa.`,
  resetCode: (code: string, minutes: number) =>
    `Nambari yako ya kubadilisha PIN ya Simu ni ${code}. Itaisha baada ya dakika ${minutes}. Usimpe mtu yeyote, hata wafanyakazi wa Simu.`,
  resetLocked: (minutes: number) =>
    `Mtu amejibu Umesahau PIN ya Simu vibaya mara 3. Imefungwa kwa dakika ${minutes}. Kama si wewe, piga huduma kwa wateja 100 sasa.`,
  pinReset: () => `PIN yako ya Simu imebadilishwa kupitia Umesahau PIN. Kama si wewe, piga huduma kwa wateja 100 sasa.`,
  requestIncomplete: () => `Simu haikuweza kukamilisha ombi lako la mwisho. Tafadhali angalia salio lako na upige tena.`,
  reversalRefunded: (r: ReversalFacts) =>
    `${r.code} Imethibitishwa. Muamala ${r.originalCode} kwa ${r.counterparty} ${r.counterpartyMsisdn} umebatilishwa. ${formatKes(r.amount)}${r.charge ? ` (pamoja na ada ${formatKes(r.charge)})` : ''} imerudishwa kwenye akaunti yako tarehe ${receiptTime(r.at, 'sw')}. Salio jipya ${formatKes(r.balance)}.`,
  reversalTakenBack: (r: ReversalFacts) =>
    `${r.code} Imethibitishwa. Muamala ${r.originalCode} kutoka kwa ${r.counterparty} ${r.counterpartyMsisdn} umebatilishwa. ${formatKes(r.amount)} imeondolewa kwenye akaunti yako tarehe ${receiptTime(r.at, 'sw')}. Salio jipya ${formatKes(r.balance)}.`,
};

/** The SMS catalogue of a language. */
export function sms(lang: 'en' | 'sw') {
  return lang === 'sw' ? sw : en;
}
