/**
 * Arrears reminders, the first scheduled SMS: once a day the worker finds the students who
 * owe money on a term that fell due 30 or more days ago, and writes one reminder to each of
 * their guardians — at most one a week per student. Opt-outs and quiet hours (21:00-07:00
 * Nairobi: the SMS waits in the outbox) are applied where every scheduled SMS is written,
 * `enqueueSms`. The balance is the receivable's, read from the school's book.
 */
import { nairobiDay } from '../calendar/index.js';
import { config } from '../config/index.js';
import type { Db } from '../db/index.js';
import { enqueueSms, type OutboxSms } from '../sms/index.js';
import { arrearsSms } from './messages.js';
import { languagesOf } from './notify.js';

/** A balance is in arrears this many days after its term's due date. */
export const ARREARS_AFTER_DAYS = 30;
/** A student's guardians get at most one reminder in this many days. */
export const REMINDER_EVERY_DAYS = 7;

/** A student in arrears, as selected for a reminder. */
export interface ArrearsCandidate {
  studentId: number;
  schoolId: number;
  termId: number;
  /** `YYYY-MM-DD`: the due date of the latest term 30+ days past due. */
  dueDate: string;
  /** What the student owes (cents, positive). */
  balance: bigint;
}

/** What one run did. */
export interface ArrearsRun {
  /** Students reminded. */
  students: number;
  /** SMS written (guardians who opted out get none). */
  sms: number;
}


/**
 * Active students of active schools who owe money (receivable balance above 0) on an
 * invoiced term due `ARREARS_AFTER_DAYS` or more days before `now`'s Nairobi day, and whose
 * guardians had no reminder in the last `REMINDER_EVERY_DAYS` days. Oldest student first.
 */
export async function selectArrears(db: Db, now: Date, limit = 1000): Promise<ArrearsCandidate[]> {
  const rows = await db.raw(
    `SELECT s.id AS student_id, s.school_id, a.balance, t.id AS term_id, to_char(t.due_date, 'YYYY-MM-DD') AS due_date
       FROM students s
       JOIN schools sc ON sc.id = s.school_id AND sc.status = 'active'
       JOIN accounts a ON a.id = s.receivable_account_id
       JOIN LATERAL (
         SELECT t.id, t.due_date FROM invoices i JOIN terms t ON t.id = i.term_id
          WHERE i.student_id = s.id AND t.due_date <= ?::date - ?::int
          ORDER BY t.due_date DESC LIMIT 1) t ON true
      WHERE s.status = 'active' AND a.balance > 0
        AND NOT EXISTS (SELECT 1 FROM fee_reminders r WHERE r.student_id = s.id AND r.sent_at > ?::timestamptz - (? * interval '1 day'))
      ORDER BY s.id LIMIT ?`,
    [nairobiDay(now), ARREARS_AFTER_DAYS, now.toISOString(), REMINDER_EVERY_DAYS, limit],
  );
  return rows.rows.map((r: Record<string, unknown>) => ({
    studentId: Number(r.student_id), schoolId: Number(r.school_id), termId: Number(r.term_id), dueDate: String(r.due_date), balance: BigInt(r.balance as string),
  }));
}

/**
 * Writes this run's arrears reminders (clock `now`, so tests can move it). Each student is
 * handled in its own transaction holding the student's row lock, with the weekly cap
 * checked again under it: two workers running at once remind a student once.
 */
export async function sendArrearsReminders(db: Db, now: Date = new Date()): Promise<ArrearsRun> {
  const run: ArrearsRun = { students: 0, sms: 0 };
  for (const c of await selectArrears(db, now)) {
    await db.transaction(async (trx) => {
      const student = await trx('students').where({ id: c.studentId }).forUpdate().first();
      const recent = await trx('fee_reminders').where({ student_id: c.studentId })
        .andWhere('sent_at', '>', trx.raw(`?::timestamptz - (? * interval '1 day')`, [now.toISOString(), REMINDER_EVERY_DAYS])).first('id');
      if (!student || recent) return;
      const school = await trx('schools').where({ id: c.schoolId }).first();
      const guardians: string[] = (await trx('student_guardians').where({ student_id: c.studentId }).orderBy('id').select('msisdn')).map((g) => g.msisdn);
      const languages = await languagesOf(trx, guardians);
      const facts = {
        schoolName: school.name, paybill: school.paybill, studentName: student.name, admissionNo: student.admission_no,
        balance: c.balance, dueDate: c.dueDate, serviceCode: config.ussdServiceCode,
      };
      const day = nairobiDay(now);
      const ids = await enqueueSms(trx, guardians.map((msisdn): OutboxSms => ({
        msisdn, kind: 'reminder', senderId: school.sms_sender, dedupeKey: `fees:arrears:${c.studentId}:${day}:${msisdn}`, message: arrearsSms(languages.get(msisdn)!, facts),
      })), { now });
      await trx('fee_reminders').insert({ student_id: c.studentId, term_id: c.termId, balance: c.balance, recipients: ids.length, sent_at: now });
      run.students += 1;
      run.sms += ids.length;
    });
  }
  return run;
}
