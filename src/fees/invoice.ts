/**
 * Invoicing a term: what each active student owes for it, posted in the school's book
 * (debit the student's receivable, credit the school's fees), one journal entry per
 * student keyed `fees:invoice:<termId>:<studentId>`, with the invoice SMS to each guardian
 * in the same transaction. A run repeated (or two at once) invoices nobody twice; students
 * added since the last run are invoiced by the next.
 */
import { inTransaction, type Db, type Knex } from '../db/index.js';
import { transfer } from '../ledger/index.js';
import { TermNotFoundError } from './errors.js';
import { enqueueInvoiceSms } from './notify.js';
import { getSchool, type School } from './schools.js';
import { toStudent, type Student } from './students.js';
import { feeStructuresOf, toTerm, type Term } from './terms.js';

/** What an invoicing run did (amounts in KES cents). */
export interface InvoiceRun {
  termId: number;
  /** Students invoiced by this run. */
  invoiced: number;
  /** Their invoices' total. */
  amount: bigint;
  /** Active students invoiced for the term before (by an earlier or a concurrent run). */
  alreadyInvoiced: number;
  /** Active students whose class has no fee for the term: not invoiced (set one and run again). */
  withoutFee: number;
}

/** The ledger key of a student's invoice for a term. */
export function invoiceKey(termId: number, studentId: number): string {
  return `fees:invoice:${termId}:${studentId}`;
}

/**
 * Invoices term `termId` to every active student of its school not yet invoiced for it,
 * at their class's fee: moves money in the school's book only (receivable debit, fees
 * credit), one entry per student, each with its `invoices` row and the guardians' invoice
 * SMS (outbox). Marks the term invoiced (after which its fees cannot change). With `db` a
 * transaction, all of it runs in that transaction; else each student in their own, so that
 * a run stopped halfway is finished by the next.
 *
 * @throws TermNotFoundError
 * @throws IdempotencyConflictError a student's invoice key was used for another entry (a bug)
 */
export async function invoiceTerm(db: Db, termId: number): Promise<InvoiceRun> {
  const { term, school, due, alreadyInvoiced, withoutFee } = await inTransaction(db, (trx) => prepare(trx, termId));
  const run: InvoiceRun = { termId, invoiced: 0, amount: 0n, alreadyInvoiced, withoutFee };
  for (const { student, amount } of due) {
    const posted = await inTransaction(db, (trx) => invoiceStudent(trx, school, term, student, amount));
    if (posted) {
      run.invoiced++;
      run.amount += amount;
    } else run.alreadyInvoiced++;
  }
  return run;
}

/**
 * Marks the term invoiced (its row locked, so a fee change waits for it, then is refused)
 * and lists who is due an invoice at what amount.
 */
async function prepare(trx: Knex.Transaction, termId: number) {
  const row = await trx('terms').where({ id: termId }).forUpdate().first();
  if (!row) throw new TermNotFoundError(String(termId));
  const [marked] = await trx('terms').where({ id: termId }).update({ invoiced_at: trx.raw('coalesce(invoiced_at, now())') }).returning('*');
  const term = toTerm(marked);
  const school = await getSchool(trx, term.schoolId);
  const fees = new Map((await feeStructuresOf(trx, termId)).map((f) => [f.class, f.amount]));
  const rows = await trx('students as st')
    .leftJoin('invoices as i', (j) => j.on('i.student_id', 'st.id').andOnVal('i.term_id', '=', termId))
    .where({ 'st.school_id': term.schoolId, 'st.status': 'active' })
    .orderBy('st.id')
    .select('st.*', 'i.id as invoice_id');
  const due: Array<{ student: Student; amount: bigint }> = [];
  let alreadyInvoiced = 0;
  let withoutFee = 0;
  for (const r of rows) {
    const student = toStudent(r);
    const amount = fees.get(student.class);
    if (r.invoice_id != null) alreadyInvoiced++;
    else if (amount === undefined) withoutFee++;
    else due.push({ student, amount });
  }
  return { term, school, due, alreadyInvoiced, withoutFee };
}

/** Posts one student's invoice; false when it was posted before (a replay: nothing moved). */
async function invoiceStudent(trx: Knex.Transaction, school: School, term: Term, student: Student, amount: bigint): Promise<boolean> {
  const result = await transfer(
    {
      idempotencyKey: invoiceKey(term.id, student.id),
      kind: 'fees_invoice',
      amount,
      memo: `${term.name} fees: ${student.admissionNo} ${student.name}`,
      metadata: { schoolId: school.id, termId: term.id, studentId: student.id, admissionNo: student.admissionNo, class: student.class },
      postings: [
        { accountId: student.receivableAccountId, amount },
        { accountId: school.feesAccountId, amount: -amount },
      ],
    },
    {
      afterPost: async (t, entry) => {
        await t('invoices').insert({ term_id: term.id, student_id: student.id, amount, journal_entry_id: entry.entryId });
        await enqueueInvoiceSms(t, { school, term, student, amount, entry });
      },
    },
    trx,
  );
  return !result.replayed;
}
