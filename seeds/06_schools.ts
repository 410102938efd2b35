import type { Knex } from 'knex';
import { nairobiDay } from '../src/calendar/index.js';
import {
  createSchool, createStudent, createTerm, findSchoolByPaybill, findStudent, findTerm, invoiceTerm, setFeeStructure, type NewStudent,
} from '../src/fees/index.js';

/** The demo school (issue 7). */
export const DEMO_SCHOOL = { name: "Murang'a Academy", paybill: '600100', smsSender: 'MURANGA', bankAccounts: [{ bank: 'equity' as const, reference: '600100' }] };
export const DEMO_TERM = '2026 Term 1';
/** KES 15,000 for every class of the demo students, in cents. */
export const DEMO_FEE = 1_500_000n;
export const DEMO_STUDENTS: NewStudent[] = [
  { admissionNo: 'ADM001', name: 'Faith Njeri', class: 'Form 1', guardians: ['+254700000001'] },
  { admissionNo: 'ADM002', name: 'Kevin Kiprop', class: 'Form 2', guardians: ['+254700000002'] },
];

/** `YYYY-MM-DD` of the day `days` from now in Africa/Nairobi. */
function nairobiDayIn(days: number): string {
  return nairobiDay(new Date(Date.now() + days * 86_400_000));
}

/**
 * Murang'a Academy with its term, fees and two students, both invoiced (which writes their
 * guardians' invoice SMS). Safe to run twice: each piece is created only when missing (the
 * term keeps the due date of its first seeding), and invoicing is idempotent per term and
 * student. Moves money only in the school's own book: the demo wallets keep their balances.
 */
export async function seed(knex: Knex): Promise<void> {
  const school = (await findSchoolByPaybill(knex, DEMO_SCHOOL.paybill)) ?? (await createSchool(knex, DEMO_SCHOOL));
  const term = (await findTerm(knex, school.id, DEMO_TERM)) ?? (await createTerm(knex, school.id, { name: DEMO_TERM, dueDate: nairobiDayIn(30) }));
  for (const cls of new Set(DEMO_STUDENTS.map((s) => s.class))) await setFeeStructure(knex, term.id, cls, DEMO_FEE);
  for (const s of DEMO_STUDENTS) {
    if (!(await findStudent(knex, school.id, s.admissionNo))) await createStudent(knex, school.id, s);
  }
  await invoiceTerm(knex, term.id);
}
