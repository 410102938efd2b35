/**
 * The loans' daily run (issue 8): accrue penalties, then write reminders — 3 days before an
 * installment's due date, on it, and once a week while the loan is overdue. Each reminder
 * is written at most once: its outbox `dedupe_key` says which one it is
 * (`loan:<id>:reminder:<seq>:soon|due`, `loan:<id>:reminder:overdue:<since>:<week>`), so a
 * second run on the same day, or two workers at once, write nothing more. Opt-outs and
 * quiet hours are applied where every scheduled SMS is written (`enqueueSms`, kind
 * `reminder`). A day the run missed is not caught up for the "soon" and "due" reminders;
 * the overdue week is (the next run writes that week's reminder).
 */
import { config } from '../config/index.js';
import type { Knex } from '../db/index.js';
import { enqueueSms, type OutboxSms } from '../sms/outbox.js';
import { overdueOf } from './allocate.js';
import { addDays, nairobiDay } from './dates.js';
import { dueSoonSms, dueTodaySms, overdueSms } from './messages.js';
import { accruePenalties, type PenaltyRun } from './penalties.js';
import { loadInstallments, unpaid } from './repository.js';

/** Days before a due date that the first reminder goes. */
export const REMIND_DAYS_BEFORE = 3;
/** While overdue, one reminder per this many days (the first on the day after the due date). */
export const OVERDUE_EVERY_DAYS = 7;

/** What one reminder run wrote. */
export interface LoanReminderRun {
  /** Loans looked at. */
  loans: number;
  /** Reminders written (an opted-out number, or one written before, gets none). */
  sms: number;
}

/** What one daily run did. */
export interface LoanDayRun {
  penalties: PenaltyRun;
  reminders: LoanReminderRun;
}

/**
 * The daily run at `now` (tests pass a fake clock): penalties first (so the reminders carry
 * them), then reminders. Idempotent: any number of runs a day move and write each thing once.
 */
export async function runLoanDay(db: Knex, now: Date = new Date()): Promise<LoanDayRun> {
  const penalties = await accruePenalties(db, now);
  const reminders = await sendLoanReminders(db, now);
  return { penalties, reminders };
}

/**
 * Writes the reminders due on `now`'s Nairobi day for every open loan (active or overdue)
 * with an unpaid installment due within `REMIND_DAYS_BEFORE` days or before.
 */
export async function sendLoanReminders(db: Knex, now: Date = new Date()): Promise<LoanReminderRun> {
  const today = nairobiDay(now);
  const soon = addDays(today, REMIND_DAYS_BEFORE);
  const loans = await db('loans')
    .join('customers', 'customers.id', 'loans.customer_id')
    .join('loan_products', 'loan_products.id', 'loans.product_id')
    .whereIn('loans.status', ['active', 'overdue'])
    .whereExists(db('loan_installments').whereRaw('loan_installments.loan_id = loans.id')
      .where('loan_installments.status', 'pending').where('loan_installments.due_date', '<=', soon))
    .orderBy('loans.id')
    .select('loans.id', 'customers.msisdn', 'customers.language', 'loan_products.name');
  const run: LoanReminderRun = { loans: loans.length, sms: 0 };
  for (const loan of loans) {
    const messages = await remindersFor(db, loan, today, soon);
    run.sms += (await enqueueSms(db, messages, { now })).length;
  }
  return run;
}

/** The reminders of one loan on `today` (not yet deduplicated against the outbox). */
async function remindersFor(db: Knex, loan: { id: bigint; msisdn: string; language: 'en' | 'sw'; name: string }, today: string, soon: string): Promise<OutboxSms[]> {
  const live = (await loadInstallments(db, loan.id)).filter((i) => i.status === 'pending' && unpaid(i) > 0n);
  const facts = { product: loan.name, serviceCode: config.ussdServiceCode };
  const out: OutboxSms[] = [];
  for (const i of live) {
    if (i.dueDate === soon) {
      out.push({ msisdn: loan.msisdn, kind: 'reminder', dedupeKey: `loan:${loan.id}:reminder:${i.seq}:soon`, message: dueSoonSms(loan.language, { ...facts, amount: unpaid(i), dueDate: i.dueDate }) });
    } else if (i.dueDate === today) {
      out.push({ msisdn: loan.msisdn, kind: 'reminder', dedupeKey: `loan:${loan.id}:reminder:${i.seq}:due`, message: dueTodaySms(loan.language, { ...facts, amount: unpaid(i), dueDate: i.dueDate }) });
    }
  }
  const overdue = overdueOf(live, today);
  if (overdue.amount > 0n && overdue.since) {
    const week = Math.floor((overdue.days - 1) / OVERDUE_EVERY_DAYS);
    out.push({
      msisdn: loan.msisdn, kind: 'reminder', dedupeKey: `loan:${loan.id}:reminder:overdue:${overdue.since}:${week}`,
      message: overdueSms(loan.language, { ...facts, amount: overdue.amount, dueDate: overdue.since }),
    });
  }
  return out;
}
