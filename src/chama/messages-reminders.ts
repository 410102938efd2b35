/**
 * The scheduled SMS of chamas (the daily run, reminders.ts), in English and Kiswahili (the
 * member's language): a member's reminder before a cycle's due day, and the officials'
 * weekly summary. Amounts in cents, formatted by `formatKes`; days `YYYY-MM-DD`, shown as
 * `DD/MM/YYYY`.
 */
import { formatKes } from '../money/index.js';
import { showDay } from '../loans/index.js';
import type { ChamaSmsLanguage } from './messages.js';

/** What a reminder before a due day says (cents). */
export interface DueReminderFacts {
  chama: string;
  /** `YYYY-MM-DD`: the due day of the cycle. */
  dueOn: string;
  /** What the cycle itself still needs. */
  currentDue: bigint;
  /** Unpaid contributions of earlier cycles. */
  arrears: bigint;
  /** Fines owed. */
  fines: bigint;
  /** fines + arrears + currentDue. */
  total: bigint;
  /** The USSD code to dial to pay. */
  serviceCode: string;
}

/** The reminder a member who still owes gets before a cycle's due day. */
export function dueReminderSms(lang: ChamaSmsLanguage, f: DueReminderFacts): string {
  const extra: string[] = [];
  if (f.arrears > 0n) extra.push(lang === 'sw' ? `malimbikizo ${formatKes(f.arrears)}` : `arrears ${formatKes(f.arrears)}`);
  if (f.fines > 0n) extra.push(lang === 'sw' ? `faini ${formatKes(f.fines)}` : `fines ${formatKes(f.fines)}`);
  const parts = extra.length === 0 ? '' : lang === 'sw'
    ? ` (mchango ${formatKes(f.currentDue)}, ${extra.join(', ')})`
    : ` (contribution ${formatKes(f.currentDue)}, ${extra.join(', ')})`;
  return lang === 'sw'
    ? `${f.chama}: Kumbusho, ${formatKes(f.total)}${parts} zinadaiwa tarehe ${showDay(f.dueOn)}. Lipa kupitia ${f.serviceCode} > Chama.`
    : `${f.chama}: Reminder, ${formatKes(f.total)}${parts} is due on ${showDay(f.dueOn)}. Pay on ${f.serviceCode} > Chama.`;
}

/** What the officials' weekly summary says (cents). */
export interface WeeklySummaryFacts {
  chama: string;
  /** The group's savings (cash kept), the merry-go-round pot awaiting payout, loans out to members. */
  savings: bigint;
  pot: bigint;
  loansOut: bigint;
  /** The due day of the cycle current on the day, what was paid toward it and what it should collect. */
  dueOn: string;
  collected: bigint;
  expected: bigint;
  /** Active members who owe for an earlier cycle or owe fines. */
  inArrears: number;
  /** Active members. */
  members: number;
}

/** The summary the chairperson, treasurer and secretary get every Monday. */
export function weeklySummarySms(lang: ChamaSmsLanguage, f: WeeklySummaryFacts): string {
  return lang === 'sw'
    ? `${f.chama} wiki hii: akiba ${formatKes(f.savings)}, mzunguko ${formatKes(f.pot)}, mikopo ${formatKes(f.loansOut)}. Mchango wa ${showDay(f.dueOn)}: ${formatKes(f.collected)} kati ya ${formatKes(f.expected)}. Wenye madeni: ${f.inArrears} kati ya ${f.members}.`
    : `${f.chama} weekly: savings ${formatKes(f.savings)}, pot ${formatKes(f.pot)}, loans out ${formatKes(f.loansOut)}. Due ${showDay(f.dueOn)}: ${formatKes(f.collected)} of ${formatKes(f.expected)} in. In arrears: ${f.inArrears} of ${f.members}.`;
}
