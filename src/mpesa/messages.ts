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

/**
 * The SMS of an STK top-up that M-Pesa refused, by Daraja's ResultCode: 1032 cancelled on
 * the phone, 1037 phone unreachable, 2001 wrong M-PESA PIN, 1 M-PESA balance too low;
 * any other code (and a push Daraja refused) gets the generic words. `amount` in cents.
 */
export function stkFailureSms(lang: 'en' | 'sw', resultCode: string, amount: bigint, purpose: 'top_up' | 'fees' = 'top_up'): string {
  const kes = formatKes(amount);
  if (purpose === 'fees') return feesPushFailureSms(lang, resultCode, kes);
  const en: Record<string, string> = {
    '1032': `Your M-PESA top-up of ${kes} was cancelled. No money was moved.`,
    '1037': `We could not reach your phone for the M-PESA top-up of ${kes}. Make sure it is on and try again. No money was moved.`,
    '2001': `The M-PESA PIN entered for your top-up of ${kes} was wrong. No money was moved. Please try again.`,
    '1': `Your M-PESA balance is not enough to top up ${kes}. No money was moved.`,
  };
  const sw: Record<string, string> = {
    '1032': `Uwekaji wa ${kes} kutoka M-PESA umesitishwa. Hakuna pesa iliyohamishwa.`,
    '1037': `Hatukuweza kufikia simu yako kwa uwekaji wa ${kes} kutoka M-PESA. Hakikisha imewashwa ujaribu tena. Hakuna pesa iliyohamishwa.`,
    '2001': `PIN ya M-PESA uliyoweka kwa uwekaji wa ${kes} si sahihi. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena.`,
    '1': `Salio lako la M-PESA halitoshi kuweka ${kes}. Hakuna pesa iliyohamishwa.`,
  };
  const words = lang === 'sw' ? sw : en;
  return words[resultCode] ?? (lang === 'sw'
    ? `Uwekaji wa ${kes} kutoka M-PESA haukufaulu. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena baadaye.`
    : `Your M-PESA top-up of ${kes} did not go through. No money was moved. Please try again later.`);
}

/** The SMS of a school-fee push that did not go through (`kes`: the amount, formatted). */
function feesPushFailureSms(lang: 'en' | 'sw', resultCode: string, kes: string): string {
  const en: Record<string, string> = {
    '1032': `Your M-PESA school fees payment of ${kes} was cancelled. No money was moved.`,
    '1037': `We could not reach your phone for the M-PESA school fees payment of ${kes}. Make sure it is on and try again. No money was moved.`,
    '2001': `The M-PESA PIN entered for your school fees payment of ${kes} was wrong. No money was moved. Please try again.`,
    '1': `Your M-PESA balance is not enough to pay ${kes} school fees. No money was moved.`,
  };
  const sw: Record<string, string> = {
    '1032': `Malipo ya karo ya ${kes} kupitia M-PESA yamesitishwa. Hakuna pesa iliyohamishwa.`,
    '1037': `Hatukuweza kufikia simu yako kwa malipo ya karo ya ${kes} kupitia M-PESA. Hakikisha imewashwa ujaribu tena. Hakuna pesa iliyohamishwa.`,
    '2001': `PIN ya M-PESA uliyoweka kwa malipo ya karo ya ${kes} si sahihi. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena.`,
    '1': `Salio lako la M-PESA halitoshi kulipa karo ya ${kes}. Hakuna pesa iliyohamishwa.`,
  };
  const words = lang === 'sw' ? sw : en;
  return words[resultCode] ?? (lang === 'sw'
    ? `Malipo ya karo ya ${kes} kupitia M-PESA hayakufaulu. Hakuna pesa iliyohamishwa. Tafadhali jaribu tena baadaye.`
    : `Your M-PESA school fees payment of ${kes} did not go through. No money was moved. Please try again later.`);
}
