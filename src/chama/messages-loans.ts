/** The SMS of group loans, in English and Kiswahili. Amounts in cents. */
import { config } from '../config/index.js';
import { formatKes } from '../money/index.js';
import type { ChamaSmsLanguage } from './messages.js';

/** To a guarantor: who asks, for how much, and where to answer. */
export function guaranteeAskedSms(lang: ChamaSmsLanguage, f: { chama: string; applicant: string; amount: bigint }): string {
  return lang === 'sw'
    ? `${f.chama}: ${f.applicant} anakuomba udhamini wa mkopo wa ${formatKes(f.amount)}. Jibu kupitia ${config.ussdServiceCode} > Chama > Mikopo.`
    : `${f.chama}: ${f.applicant} asks you to guarantee a loan of ${formatKes(f.amount)}. Answer on ${config.ussdServiceCode} > Chama > Loans.`;
}

/** To the treasurer: a loan with all its guarantees awaits their approval. */
export function loanToApproveSms(lang: ChamaSmsLanguage, f: { chama: string; applicant: string; amount: bigint }): string {
  return lang === 'sw'
    ? `${f.chama}: mkopo wa ${formatKes(f.amount)} wa ${f.applicant} unasubiri idhini yako. ${config.ussdServiceCode} > Chama > Idhinisha mikopo.`
    : `${f.chama}: ${f.applicant}'s loan of ${formatKes(f.amount)} awaits your approval. ${config.ussdServiceCode} > Chama > Approve loans.`;
}

/** To the applicant: a guarantor or the treasurer declined. */
export function loanDeclinedSms(lang: ChamaSmsLanguage, f: { chama: string; amount: bigint; by: string }): string {
  return lang === 'sw'
    ? `${f.chama}: ombi lako la mkopo wa ${formatKes(f.amount)} limekataliwa na ${f.by}.`
    : `${f.chama}: your loan request of ${formatKes(f.amount)} was declined by ${f.by}.`;
}
