/**
 * Importing a school's students from CSV, as bursars export them from a spreadsheet:
 *
 *     admission_no,name,class,guardians
 *     ADM001,Faith Njeri,Form 1,0700000001;+254700000002
 *
 * Fields may be quoted (RFC 4180: `"Njeri, Faith"`, `""` for a quote); guardians are
 * separated by `;`. Every row is checked before anything is written, and a file with any
 * bad row imports nothing: the bursar fixes the file and sends it again, rather than
 * working out which half went in.
 */
import { inTransaction, type Db } from '../db/index.js';
import type { CsvRowError } from './errors.js';
import { getSchool } from './schools.js';
import { checkStudent, insertStudent, type CheckedStudent, type Student } from './students.js';

/** The header a student CSV starts with (any case, spaces around names ignored). */
export const STUDENT_CSV_HEADER = ['admission_no', 'name', 'class', 'guardians'] as const;
/** The most rows one file may carry. */
export const MAX_CSV_ROWS = 5000;

/** What an import did: every student when the file was good, else nothing and each bad row. */
export interface CsvImportResult {
  /** How many students were added: 0 whenever `errors` is not empty. */
  imported: number;
  students: Student[];
  /** Each bad row's line (the header is line 1) and reason, in file order. */
  errors: CsvRowError[];
}

/** One record of a CSV file and the line it starts on. */
interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes as `""`
 * and line breaks). Blank lines are skipped. Returns the line of an unterminated quote as
 * an error instead of the records.
 */
export function parseCsv(text: string): { records: CsvRecord[] } | { error: CsvRowError } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field.trim() === '') { quoted = true; quoteLine = line; field = ''; }
    else if (c === ',') { fields.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) return { error: { line: quoteLine, reason: 'a quoted field is never closed' } };
  endRecord();
  return { records };
}

/**
 * Imports students into school `schoolId` from `csvText` (header `admission_no,name,class,guardians`,
 * guardians separated by `;`, numbers in any Kenyan form). Checks every row first: the
 * header, the column count, each field (checkStudent), admission numbers repeated in the
 * file or taken in the school. With any bad row, imports none and returns every bad row;
 * else adds them all (receivables opened) in one transaction (the caller's, when `db` is one).
 *
 * @throws SchoolNotFoundError
 * @throws StudentExistsError a student was added concurrently with one of the file's admission numbers (nothing imported)
 */
export async function importStudentsCsv(db: Db, schoolId: number, csvText: string): Promise<CsvImportResult> {
  await getSchool(db, schoolId);
  const checked = await checkFile(db, schoolId, csvText);
  if ('errors' in checked) return { imported: 0, students: [], errors: checked.errors };
  const students = await inTransaction(db, async (trx) => {
    const added: Student[] = [];
    for (const s of checked.students) added.push(await insertStudent(trx, schoolId, s));
    return added;
  });
  return { imported: students.length, students, errors: [] };
}

async function checkFile(db: Db, schoolId: number, csvText: string): Promise<{ students: CheckedStudent[] } | { errors: CsvRowError[] }> {
  const parsed = parseCsv(csvText.replace(/^\uFEFF/, ''));
  if ('error' in parsed) return { errors: [parsed.error] };
  const [header, ...rows] = parsed.records;
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  if (names.join(',') !== STUDENT_CSV_HEADER.join(',')) {
    return { errors: [{ line: header?.line ?? 1, reason: `the header must be ${STUDENT_CSV_HEADER.join(',')}` }] };
  }
  if (rows.length === 0) return { errors: [{ line: header.line, reason: 'the file has no student rows' }] };
  if (rows.length > MAX_CSV_ROWS) return { errors: [{ line: rows[MAX_CSV_ROWS].line, reason: `at most ${MAX_CSV_ROWS} rows per file` }] };

  const errors: CsvRowError[] = [];
  const students: CheckedStudent[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, fields } of rows) {
    if (fields.length !== STUDENT_CSV_HEADER.length) {
      errors.push({ line, reason: `expected ${STUDENT_CSV_HEADER.length} columns, found ${fields.length}` });
      continue;
    }
    const [admissionNo, name, cls, guardians] = fields;
    const result = checkStudent({ admissionNo, name, class: cls, guardians: guardians.split(';').filter((g) => g.trim() !== '') });
    if ('reason' in result) {
      errors.push({ line, reason: result.reason });
      continue;
    }
    const earlier = firstLine.get(result.student.admissionNo);
    if (earlier !== undefined) {
      errors.push({ line, reason: `admission number ${result.student.admissionNo} repeats line ${earlier}` });
      continue;
    }
    firstLine.set(result.student.admissionNo, line);
    students.push(result.student);
  }
  const taken = await db('students').where({ school_id: schoolId }).whereIn('admission_no', students.map((s) => s.admissionNo)).pluck('admission_no');
  for (const no of taken as string[]) errors.push({ line: firstLine.get(no)!, reason: `admission number ${no} exists in the school already` });
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { errors } : { students };
}
