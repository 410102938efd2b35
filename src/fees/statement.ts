/**
 * Reading fees from the school's book: a student's statement and the school's report per
 * class. A balance is the receivable account's balance, never computed elsewhere; what was
 * invoiced is the sum of its postings by invoice entries (and their reversals), what was
 * paid the rest, so invoiced − paid = balance always.
 */
import type { Db } from '../db/index.js';
import { displayBalance, getAccount } from '../ledger/index.js';
import { StudentNotFoundError } from './errors.js';
import { getSchool, type School } from './schools.js';
import { toStudent, type Student } from './students.js';

/** A student's fees, read from the school's book (KES cents). */
export interface StudentStatement {
  student: Student;
  school: School;
  /** The latest term the student was invoiced for, with that invoice's amount; null before any. */
  term: { id: number; name: string; dueDate: string; amount: bigint } | null;
  /** Every invoice posted to the student, all terms. */
  invoiced: bigint;
  /** Every payment and allocation posted to the student, all terms. */
  paid: bigint;
  /** What the student owes now: the receivable's balance (negative: in credit). */
  balance: bigint;
}

/** One class's figures in a fees report (KES cents). */
export interface ClassFees {
  class: string;
  students: number;
  invoiced: bigint;
  paid: bigint;
  /** What students in debt owe (sum of positive balances). */
  outstanding: bigint;
  /** What students in credit have overpaid (sum of negative balances, as a positive number). */
  credit: bigint;
}

/** A school's fees report. */
export interface FeesReport {
  school: School;
  classes: ClassFees[];
  totals: Omit<ClassFees, 'class'>;
  /** Payments no student matched yet (the bursar's queue). */
  unmatched: { count: number; amount: bigint };
  /** What Simu owes the school now (its settlement account, platform book). */
  settlement: bigint;
}

/** Per receivable: invoiced (postings of invoice entries or their reversals) and paid (the rest, negated). */
const FLOWS = `
  SELECT p.account_id,
         coalesce(sum(p.amount) FILTER (WHERE coalesce(r.kind, e.kind) = 'fees_invoice'), 0)::bigint AS invoiced,
         coalesce(-sum(p.amount) FILTER (WHERE coalesce(r.kind, e.kind) <> 'fees_invoice'), 0)::bigint AS paid
    FROM postings p
    JOIN journal_entries e ON e.id = p.journal_entry_id
    LEFT JOIN journal_entries r ON r.id = e.reverses_id`;

/**
 * Student `studentId`'s statement: their latest invoiced term, and invoiced, paid and
 * balance from their receivable (one snapshot).
 *
 * @throws StudentNotFoundError
 */
export async function studentStatement(db: Db, studentId: number): Promise<StudentStatement> {
  const { rows } = await db.raw(
    `WITH f AS (${FLOWS} WHERE p.account_id = (SELECT receivable_account_id FROM students WHERE id = ?) GROUP BY p.account_id)
     SELECT st.*, a.balance, coalesce(f.invoiced, 0)::bigint AS invoiced, coalesce(f.paid, 0)::bigint AS paid
       FROM students st JOIN accounts a ON a.id = st.receivable_account_id LEFT JOIN f ON f.account_id = a.id
      WHERE st.id = ?`,
    [studentId, studentId],
  );
  if (!rows.length) throw new StudentNotFoundError(String(studentId));
  const row = rows[0];
  const student = toStudent(row);
  const latest = await db('invoices as i').join('terms as t', 't.id', 'i.term_id').where('i.student_id', studentId)
    .orderBy([{ column: 't.due_date', order: 'desc' }, { column: 't.id', order: 'desc' }])
    .first('t.id', 't.name', db.raw(`to_char(t.due_date, 'YYYY-MM-DD') AS due_date`), 'i.amount');
  return {
    student,
    school: await getSchool(db, student.schoolId),
    term: latest ? { id: latest.id, name: latest.name, dueDate: latest.due_date, amount: latest.amount } : null,
    invoiced: row.invoiced,
    paid: row.paid,
    balance: row.balance,
  };
}

/**
 * School `schoolId`'s fees per class (the students' current class; every student, those
 * who left included): invoiced, paid, outstanding and credit from the receivables, with
 * totals, the unmatched payments and the settlement balance.
 *
 * @throws SchoolNotFoundError
 */
export async function feesReport(db: Db, schoolId: number): Promise<FeesReport> {
  const school = await getSchool(db, schoolId);
  const { rows } = await db.raw(
    `WITH f AS (${FLOWS} JOIN students s ON s.receivable_account_id = p.account_id WHERE s.school_id = ? GROUP BY p.account_id)
     SELECT st.class, count(*)::int AS students,
            coalesce(sum(f.invoiced), 0)::bigint AS invoiced, coalesce(sum(f.paid), 0)::bigint AS paid,
            coalesce(sum(a.balance) FILTER (WHERE a.balance > 0), 0)::bigint AS outstanding,
            coalesce(-sum(a.balance) FILTER (WHERE a.balance < 0), 0)::bigint AS credit
       FROM students st JOIN accounts a ON a.id = st.receivable_account_id LEFT JOIN f ON f.account_id = a.id
      WHERE st.school_id = ? GROUP BY st.class ORDER BY st.class`,
    [schoolId, schoolId],
  );
  const classes: ClassFees[] = rows.map((r: ClassFees) => ({ class: r.class, students: r.students, invoiced: r.invoiced, paid: r.paid, outstanding: r.outstanding, credit: r.credit }));
  const totals = { students: 0, invoiced: 0n, paid: 0n, outstanding: 0n, credit: 0n };
  for (const c of classes) {
    totals.students += c.students;
    totals.invoiced += c.invoiced;
    totals.paid += c.paid;
    totals.outstanding += c.outstanding;
    totals.credit += c.credit;
  }
  const unmatched = await db('school_payments').where({ school_id: schoolId, status: 'unmatched' })
    .first(db.raw('count(*)::int AS count'), db.raw('coalesce(sum(amount), 0)::bigint AS amount'));
  const settlement = displayBalance(await getAccount(db, school.settlementAccountId));
  return { school, classes, totals, unmatched: { count: unmatched.count, amount: unmatched.amount }, settlement };
}
