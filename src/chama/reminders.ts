/**
 * The chamas' daily run (the pattern of src/loans/reminders.ts), for every active chama:
 * post the fines due (fines.ts: the day after a cycle's grace; each fined member is told),
 * then remind every member who still owes, REMIND_DAYS_BEFORE days before a cycle's due day,
 * and on Mondays send the officials a summary of the group's money. Fines run first so a
 * reminder carries a fine posted the same morning.
 *
 * Each reminder or summary is decided once: a `chama_reminders` row (unique per chama,
 * member, kind and period — the due day, or the Monday) is written in the same transaction
 * as its SMS, so a second run of the same day, or two workers at once, write nothing twice.
 * Opt-outs and quiet hours are applied where every scheduled SMS is written (`enqueueSms`,
 * kind `reminder`): an opted-out member's row records `sms = 0`. A day the run missed is
 * not caught up for reminders (as for loans); fines are (postFines looks back 31 days), and
 * a missed Monday's summary is not. Amounts are KES cents (`bigint`); days `YYYY-MM-DD`
 * in Africa/Nairobi.
 */
import { nairobiDay } from '../calendar/index.js';
import { config } from '../config/index.js';
import { inTransaction, type Db } from '../db/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { logger } from '../logger/index.js';
import { addDays } from '../loans/index.js';
import { enqueueSms } from '../sms/index.js';
import { listChamas, type Chama } from './chamas.js';
import { cycleOn, dueOn } from './cycles.js';
import { duesOf } from './dues.js';
import { postFines } from './fines.js';
import { isOfficial, membersOf, type Member } from './members.js';
import { dueReminderSms, weeklySummarySms, type WeeklySummaryFacts } from './messages-reminders.js';

const log = logger.child({ component: 'chama' });

/** Days before a cycle's due day that members who owe are reminded. */
export const REMIND_DAYS_BEFORE = 2;
/** The day of the week (0 Sunday … 6 Saturday, Nairobi) the officials' summary goes. */
export const SUMMARY_WEEKDAY = 1;

/** What one daily run wrote. */
export interface ChamaDayRun {
  /** Reminder SMS written (an opted-out member, or one reminded before, gets none). */
  reminded: number;
  /** Fines posted (each with its notice SMS). */
  fined: number;
  /** Summary SMS written to officials. */
  summaries: number;
}

/**
 * The daily run at `now` (tests pass a fake clock) over every active chama: fines, then
 * reminders, then (on Mondays) the officials' summaries. Idempotent: any number of runs a
 * day post and write each thing once. A chama that fails is logged and the others still
 * run; the run then throws, so that bull retries it (what was done is not done again).
 */
export async function runChamaDay(db: Db, now: Date = new Date()): Promise<ChamaDayRun> {
  const today = nairobiDay(now);
  const run: ChamaDayRun = { reminded: 0, fined: 0, summaries: 0 };
  const failed: string[] = [];
  for (const chama of (await listChamas(db)).filter((c) => c.status === 'active')) {
    try {
      run.fined += (await postFines(db, chama.id, today)).length;
      run.reminded += await sendDueReminders(db, chama, now);
      if (isSummaryDay(today)) run.summaries += await sendWeeklySummary(db, chama, now);
    } catch (err) {
      failed.push(chama.code);
      log.error('chama daily run failed for a chama', { chama: chama.code, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (failed.length > 0) throw new Error(`chama daily run failed for ${failed.join(', ')} (the others ran: ${JSON.stringify(run)})`);
  return run;
}

/** Whether the officials' summary goes on `day` (`YYYY-MM-DD`): a Monday. */
export function isSummaryDay(day: string): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === SUMMARY_WEEKDAY;
}

/** The cycle of `chama` due REMIND_DAYS_BEFORE days after `today`, or null when none is. */
export function cycleToRemind(chama: Pick<Chama, 'firstDueOn' | 'frequency'>, today: string): number | null {
  const day = addDays(today, REMIND_DAYS_BEFORE);
  const n = cycleOn(chama, day);
  return dueOn(chama, n) === day ? n : null;
}

/**
 * Writes the reminders of `chama` due on `now`'s Nairobi day: when a cycle falls due
 * REMIND_DAYS_BEFORE days later, each active member whose dues on the day are above 0
 * (fines + arrears + this cycle) gets one SMS. Returns the SMS written.
 */
export async function sendDueReminders(db: Db, chama: Chama, now: Date = new Date()): Promise<number> {
  const today = nairobiDay(now);
  const cycleNo = cycleToRemind(chama, today);
  if (cycleNo === null) return 0;
  const due = dueOn(chama, cycleNo);
  let sms = 0;
  for (const member of await membersOf(db, chama.id)) {
    sms += await inTransaction(db, async (trx) => {
      const dues = await duesOf(trx, chama, member, today);
      if (dues.due <= 0n) return 0;
      if (!(await claim(trx, chama, member, 'reminder', due, dues.due))) return 0;
      const ids = await enqueueSms(trx, [{
        msisdn: member.msisdn, kind: 'reminder', dedupeKey: `chama:${chama.id}:reminder:${member.id}:${due}`,
        message: dueReminderSms(member.language, {
          chama: chama.name, dueOn: due, currentDue: dues.currentDue, arrears: dues.arrears, fines: dues.fines, total: dues.due,
          serviceCode: config.ussdServiceCode,
        }),
      }], { now });
      await recordSent(trx, chama, member, 'reminder', due, ids.length);
      return ids.length;
    });
  }
  return sms;
}

/** The figures of `chama`'s weekly summary on `today` (cents). */
export async function weeklySummaryOf(db: Db, chama: Chama, today: string): Promise<WeeklySummaryFacts> {
  const shown = async (id: number) => displayBalance(await getAccount(db, id));
  const members = await membersOf(db, chama.id);
  const cycleNo = cycleOn(chama, today);
  const { sum } = await db('chama_dues_paid').where({ chama_id: chama.id, cycle_no: cycleNo })
    .first(db.raw('coalesce(sum(merry_go_round + savings), 0)::bigint AS sum')) as { sum: string | bigint };
  let inArrears = 0;
  for (const m of members) {
    const d = await duesOf(db, chama, m, today);
    if (d.arrears + d.fines > 0n) inArrears += 1;
  }
  return {
    chama: chama.name,
    savings: await shown(chama.savingsAccountId), pot: await shown(chama.potAccountId), loansOut: await shown(chama.loansAccountId),
    dueOn: dueOn(chama, cycleNo), collected: BigInt(sum), expected: chama.contribution * BigInt(members.length),
    inArrears, members: members.length,
  };
}

/**
 * Writes the weekly summary of `chama` to each of its officials (chairperson, treasurer,
 * secretary), once per Monday (`now`'s Nairobi day; the caller decides it is one). Returns
 * the SMS written.
 */
export async function sendWeeklySummary(db: Db, chama: Chama, now: Date = new Date()): Promise<number> {
  const today = nairobiDay(now);
  const officials = (await membersOf(db, chama.id)).filter((m) => isOfficial(m.role));
  if (officials.length === 0) return 0;
  const facts = await weeklySummaryOf(db, chama, today);
  let sms = 0;
  for (const official of officials) {
    sms += await inTransaction(db, async (trx) => {
      if (!(await claim(trx, chama, official, 'summary', today, null))) return 0;
      const ids = await enqueueSms(trx, [{
        msisdn: official.msisdn, kind: 'reminder', dedupeKey: `chama:${chama.id}:summary:${official.id}:${today}`,
        message: weeklySummarySms(official.language, facts),
      }], { now });
      await recordSent(trx, chama, official, 'summary', today, ids.length);
      return ids.length;
    });
  }
  return sms;
}

type ReminderKind = 'reminder' | 'summary';

/** Records that `kind` for `period` goes to `member`; false when it was recorded before (nothing to write). */
async function claim(trx: Db, chama: Chama, member: Member, kind: ReminderKind, period: string, amount: bigint | null): Promise<boolean> {
  const rows = await trx('chama_reminders')
    .insert({ chama_id: chama.id, member_id: member.id, kind, period, amount: amount === null ? null : amount.toString() })
    .onConflict(['chama_id', 'member_id', 'kind', 'period']).ignore().returning('id');
  return rows.length > 0;
}

async function recordSent(trx: Db, chama: Chama, member: Member, kind: ReminderKind, period: string, sms: number): Promise<void> {
  if (sms > 0) await trx('chama_reminders').where({ chama_id: chama.id, member_id: member.id, kind, period }).update({ sms });
}
