/**
 * The SMS of chamas, in English and Kiswahili (the member's language). Amounts in cents,
 * formatted by `formatKes`; days `YYYY-MM-DD`, shown as `DD/MM/YYYY`.
 */
import { formatKes } from '../money/index.js';
import { showDay } from '../loans/index.js';

/** A language the SMS speak. */
export type ChamaSmsLanguage = 'en' | 'sw';

/** What a contribution receipt says. */
export interface ContributionFacts {
  code: string;
  chama: string;
  amount: bigint;
  fines: bigint;
  /** The cycle the money reached last, and its due day. */
  cycleNo: number | null;
  /** What is still due now (fines, arrears, this cycle) after the payment. */
  stillDue: bigint;
  /** The member's savings in the group after. */
  saved: bigint;
  /** The wallet's balance after. */
  balance: bigint;
}

/** The receipt of a contribution. */
export function contributionSms(lang: ChamaSmsLanguage, f: ContributionFacts): string {
  const fines = f.fines > 0n ? (lang === 'sw' ? ` (faini ${formatKes(f.fines)})` : ` (fines ${formatKes(f.fines)})`) : '';
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. Umechanga ${formatKes(f.amount)}${fines} kwa ${f.chama}. Deni lililobaki ${formatKes(f.stillDue)}. Akiba yako ${formatKes(f.saved)}. Salio jipya ${formatKes(f.balance)}.`
    : `${f.code} Confirmed. You contributed ${formatKes(f.amount)}${fines} to ${f.chama}. Still due ${formatKes(f.stillDue)}. Your savings ${formatKes(f.saved)}. New balance ${formatKes(f.balance)}.`;
}

/** What a fine notice says. */
export interface FineFacts {
  chama: string;
  amount: bigint;
  cycleNo: number;
  dueOn: string;
  /** Fines owed in all after this one. */
  finesOwed: bigint;
  serviceCode: string;
}

/** The notice of a fine for a cycle not paid in full by the end of its grace. */
export function fineSms(lang: ChamaSmsLanguage, f: FineFacts): string {
  return lang === 'sw'
    ? `${f.chama}: faini ya ${formatKes(f.amount)} kwa mchango wa ${showDay(f.dueOn)} ambao haujakamilika. Faini zote ${formatKes(f.finesOwed)}. Lipa kupitia ${f.serviceCode} > Chama.`
    : `${f.chama}: a fine of ${formatKes(f.amount)} for the contribution due ${showDay(f.dueOn)} not paid in full. Fines owed ${formatKes(f.finesOwed)}. Pay on ${f.serviceCode} > Chama.`;
}
