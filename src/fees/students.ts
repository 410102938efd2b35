/**
 * Students as data: admission number (unique per school, upper case), name, class, status,
 * guardians (E.164 MSISDNs, one or more) and the receivable account in the school's book.
 */
import { inTransaction, nextSerialId, type Db, type Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { openReceivable } from './books.js';
import { StudentExistsError, StudentNotFoundError } from './errors.js';
import { getSchool } from './schools.js';

export type StudentStatus = 'active' | 'left';

/** A student row. */
export interface Student {
  id: number;
  schoolId: number;
  /** Upper case: `ADM001`. */
  admissionNo: string;
  name: string;
  class: string;
  status: StudentStatus;
  /** `school:<schoolId>:student:<id>` in the school's book. */
  receivableAccountId: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What creating a student takes. Guardians in any Kenyan form (`0712…`, `+254712…`). */
export interface NewStudent {
  admissionNo: string;
  name: string;
  class: string;
  guardians: string[];
}

/** A NewStudent checked and normalised: admission number upper case, guardians E.164 without repeats. */
export type CheckedStudent = NewStudent;

const ADMISSION_NO = /^[A-Z0-9][A-Z0-9/-]{0,19}$/;

/**
 * An admission number as stored: `adm 001 ` → `ADM001` (whitespace dropped, upper case);
 * null when it is not 1-20 letters, digits, `/` or `-` starting with a letter or digit.
 * Payments' bill references are matched through it, so any case matches.
 */
export function normalizeAdmissionNo(text: string): string | null {
  const value = text.replace(/\s+/g, '').toUpperCase();
  return ADMISSION_NO.test(value) ? value : null;
}

/** Checks and normalises a new student; returns the problem (field and reason) instead when there is one. */
export function checkStudent(spec: NewStudent): { student: CheckedStudent } | { field: string; reason: string } {
  const admissionNo = normalizeAdmissionNo(spec.admissionNo ?? '');
  if (!admissionNo) return { field: 'admissionNo', reason: 'admission number: 1-20 letters, digits, / or -' };
  const name = (spec.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name || name.length > 80) return { field: 'name', reason: 'name: 1-80 characters' };
  const cls = (spec.class ?? '').trim().replace(/\s+/g, ' ');
  if (!cls || cls.length > 30) return { field: 'class', reason: 'class: 1-30 characters' };
  const guardians: string[] = [];
  for (const text of spec.guardians ?? []) {
    const msisdn = normalizeMsisdn(text);
    if (!msisdn) return { field: 'guardians', reason: `guardian ${text.trim() || '(empty)'}: not a valid mobile number` };
    if (!guardians.includes(msisdn)) guardians.push(msisdn);
  }
  if (guardians.length === 0) return { field: 'guardians', reason: 'guardians: at least one mobile number' };
  if (guardians.length > 5) return { field: 'guardians', reason: 'guardians: at most 5' };
  return { student: { admissionNo, name, class: cls, guardians } };
}

/** Maps a students row. */
export function toStudent(r: Record<string, unknown>): Student {
  return {
    id: r.id as number,
    schoolId: r.school_id as number,
    admissionNo: r.admission_no as string,
    name: r.name as string,
    class: r.class as string,
    status: r.status as StudentStatus,
    receivableAccountId: r.receivable_account_id as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/**
 * Adds a student to school `schoolId` with their guardians, and opens their receivable in
 * the school's book, in one transaction (the caller's, when `db` is one).
 *
 * @throws ValidationError naming the bad field (checkStudent)
 * @throws SchoolNotFoundError
 * @throws StudentExistsError the admission number is taken in the school (in any case)
 */
export async function createStudent(db: Db, schoolId: number, spec: NewStudent): Promise<Student> {
  const checked = checkStudent(spec);
  if ('reason' in checked) throw new ValidationError(checked.reason, checked.field);
  return inTransaction(db, async (trx) => {
    await getSchool(trx, schoolId);
    return insertStudent(trx, schoolId, checked.student);
  });
}

/** Inserts a checked student (and guardians, receivable) in `trx`. @throws StudentExistsError */
export async function insertStudent(trx: Knex.Transaction, schoolId: number, s: CheckedStudent): Promise<Student> {
  const id = await nextSerialId(trx, 'students');
  const receivable = await openReceivable(trx, schoolId, id, `${s.admissionNo} ${s.name}`);
  const rows = await trx('students')
    .insert({ id, school_id: schoolId, admission_no: s.admissionNo, name: s.name, class: s.class, receivable_account_id: receivable.id })
    .onConflict(['school_id', 'admission_no'])
    .ignore()
    .returning('*');
  if (rows.length === 0) throw new StudentExistsError(s.admissionNo);
  await trx('student_guardians').insert(s.guardians.map((msisdn) => ({ student_id: id, msisdn })));
  return toStudent(rows[0]);
}

/** Student `id`. @throws StudentNotFoundError */
export async function getStudent(db: Db, id: number): Promise<Student> {
  const row = await db('students').where({ id }).first();
  if (!row) throw new StudentNotFoundError(String(id));
  return toStudent(row);
}

/** The student of school `schoolId` with admission number `admissionNo` in any case or spacing (`adm001`), or null. */
export async function findStudent(db: Db, schoolId: number, admissionNo: string): Promise<Student | null> {
  const normal = normalizeAdmissionNo(admissionNo);
  if (!normal) return null;
  const row = await db('students').where({ school_id: schoolId, admission_no: normal }).first();
  return row ? toStudent(row) : null;
}

/** The guardians' MSISDNs (E.164) of student `studentId`, in the order they were added. */
export async function guardiansOf(db: Db, studentId: number): Promise<string[]> {
  const rows = await db('student_guardians').where({ student_id: studentId }).orderBy('id').select('msisdn');
  return rows.map((r) => r.msisdn as string);
}

/** The active students of school `schoolId` that `msisdn` (E.164) is a guardian of, by name. */
export async function studentsForGuardian(db: Db, schoolId: number, msisdn: string): Promise<Student[]> {
  const rows = await db('students as st')
    .join('student_guardians as g', 'g.student_id', 'st.id')
    .where({ 'st.school_id': schoolId, 'st.status': 'active', 'g.msisdn': msisdn })
    .orderBy(['st.name', 'st.id'])
    .select('st.*');
  return rows.map(toStudent);
}

/**
 * The students of a school with their receivable's signed balance as `balance` (cents owed;
 * negative is a credit), as a query for a listing (not ordered or limited: the admin pager
 * does that; order by `st.id`).
 */
export function studentsQuery(db: Db, schoolId: number, filter: { class?: string; status?: StudentStatus } = {}): Knex.QueryBuilder {
  const query = db('students as st').join('accounts as a', 'a.id', 'st.receivable_account_id').where('st.school_id', schoolId).select('st.*', 'a.balance');
  if (filter.class) query.where('st.class', filter.class);
  if (filter.status) query.where('st.status', filter.status);
  return query;
}
