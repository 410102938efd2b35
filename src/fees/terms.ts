/** Terms (with their due dates) and fee structures: what each class owes for a term. */
import { inTransaction, type Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { FeeStructureLockedError, TermExistsError, TermNotFoundError } from './errors.js';
import { getSchool } from './schools.js';
import { isCalendarDate } from '../calendar/index.js';

/** A term of a school. */
export interface Term {
  id: number;
  schoolId: number;
  name: string;
  /** `YYYY-MM-DD`, a day in Africa/Nairobi. */
  dueDate: string;
  /** When the term was first invoiced; null until then. */
  invoicedAt: Date | null;
  createdAt: Date;
}

/** What a class owes for a term, in KES cents. */
export interface FeeStructure {
  termId: number;
  schoolId: number;
  class: string;
  amount: bigint;
  updatedAt: Date;
}

export { isCalendarDate };

/** `YYYY-MM-DD` of a `date` column: pg makes a Date at local midnight of that day. */
function dateText(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const d = value as Date;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Maps a terms row. */
export function toTerm(r: Record<string, unknown>): Term {
  return {
    id: r.id as number,
    schoolId: r.school_id as number,
    name: r.name as string,
    dueDate: dateText(r.due_date),
    invoicedAt: (r.invoiced_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

function toFeeStructure(r: Record<string, unknown>): FeeStructure {
  return { termId: r.term_id as number, schoolId: r.school_id as number, class: r.class as string, amount: r.amount as bigint, updatedAt: r.updated_at as Date };
}

/**
 * Adds term `name` to school `schoolId`, falling due on `dueDate` (`YYYY-MM-DD`).
 *
 * @throws ValidationError a name that is not 1-60 characters, a due date that is no calendar day
 * @throws SchoolNotFoundError
 * @throws TermExistsError the school has a term with that name
 */
export async function createTerm(db: Db, schoolId: number, spec: { name: string; dueDate: string }): Promise<Term> {
  const name = spec.name.trim().replace(/\s+/g, ' ');
  if (!name || name.length > 60) throw new ValidationError('name: 1-60 characters', 'name');
  if (!isCalendarDate(spec.dueDate)) throw new ValidationError('dueDate: a day as YYYY-MM-DD', 'dueDate');
  await getSchool(db, schoolId);
  const rows = await db('terms').insert({ school_id: schoolId, name, due_date: spec.dueDate }).onConflict(['school_id', 'name']).ignore().returning('*');
  if (rows.length === 0) throw new TermExistsError(name);
  return toTerm(rows[0]);
}

/** Term `id`. @throws TermNotFoundError */
export async function getTerm(db: Db, id: number): Promise<Term> {
  const row = await db('terms').where({ id }).first();
  if (!row) throw new TermNotFoundError(String(id));
  return toTerm(row);
}

/** The terms of school `schoolId`, latest due first. */
export async function termsOf(db: Db, schoolId: number): Promise<Term[]> {
  const rows = await db('terms').where({ school_id: schoolId }).orderBy([{ column: 'due_date', order: 'desc' }, { column: 'id', order: 'desc' }]);
  return rows.map(toTerm);
}

/** The term of school `schoolId` named `name`, or null. */
export async function findTerm(db: Db, schoolId: number, name: string): Promise<Term | null> {
  const row = await db('terms').where({ school_id: schoolId, name: name.trim().replace(/\s+/g, ' ') }).first();
  return row ? toTerm(row) : null;
}

/** The fee structures of term `termId`, by class. */
export async function feeStructuresOf(db: Db, termId: number): Promise<FeeStructure[]> {
  const rows = await db('fee_structures').where({ term_id: termId }).orderBy('class');
  return rows.map(toFeeStructure);
}

/**
 * Sets what class `className` owes for term `termId`: `amount` KES cents (> 0). Setting the
 * same amount again changes nothing. Returns the fee structure before (null when new) and after.
 *
 * @throws ValidationError a class that is not 1-30 characters, an amount that is not positive
 * @throws TermNotFoundError
 * @throws FeeStructureLockedError the term is invoiced and the class has another amount already
 */
export async function setFeeStructure(db: Db, termId: number, className: string, amount: bigint): Promise<{ before: FeeStructure | null; after: FeeStructure }> {
  const cls = className.trim().replace(/\s+/g, ' ');
  if (!cls || cls.length > 30) throw new ValidationError('class: 1-30 characters', 'class');
  if (typeof amount !== 'bigint' || amount <= 0n) throw new ValidationError('amount: positive cents', 'amount');
  return inTransaction(db, async (trx) => {
    // Locked so that an invoicing run and a change of fee apply one after the other.
    const termRow = await trx('terms').where({ id: termId }).forUpdate().first();
    if (!termRow) throw new TermNotFoundError(String(termId));
    const term = toTerm(termRow);
    const row = await trx('fee_structures').where({ term_id: termId, class: cls }).first();
    const before = row ? toFeeStructure(row) : null;
    if (before && before.amount === amount) return { before, after: before };
    if (before && term.invoicedAt) throw new FeeStructureLockedError(termId, cls);
    const [after] = await trx('fee_structures')
      .insert({ school_id: term.schoolId, term_id: termId, class: cls, amount })
      .onConflict(['term_id', 'class'])
      .merge({ amount, updated_at: trx.fn.now() })
      .returning('*');
    return { before, after: toFeeStructure(after) };
  });
}
