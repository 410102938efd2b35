/** School Fees test data: each test makes its own school (random paybill), term and students. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import {
  createSchool, createStudent, createTerm, setFeeStructure, SchoolExistsError, StudentExistsError, type School, type Student, type Term,
} from '../../src/fees/index.js';
import { getAccount, trialBalance } from '../../src/ledger/index.js';
import { randomMsisdn } from './customers.js';

/** KES → cents. */
export const kes = (shillings: number): bigint => BigInt(shillings) * 100n;

/** A school with a random 7-digit paybill (and, when asked, an Equity merchant code of the same number). */
export async function makeSchool(opts: { name?: string; equity?: boolean } = {}): Promise<School> {
  for (;;) {
    const paybill = String(randomInt(1_000_000, 10_000_000));
    try {
      return await createSchool(db, {
        name: opts.name ?? `Test School ${paybill}`, paybill, smsSender: 'TESTSCH',
        bankAccounts: opts.equity ? [{ bank: 'equity', reference: `EQ${paybill}` }] : [],
      });
    } catch (err) {
      if (!(err instanceof SchoolExistsError)) throw err;
    }
  }
}

let admissionSeq = 0;

/** A student of `school` (class `Form 1` unless given) with one fresh guardian unless given. */
export async function makeStudent(school: School, opts: { class?: string; guardians?: string[]; name?: string; admissionNo?: string } = {}): Promise<Student> {
  for (;;) {
    const admissionNo = opts.admissionNo ?? `T${++admissionSeq}X${randomInt(1000, 9999)}`;
    try {
      return await createStudent(db, school.id, { admissionNo, name: opts.name ?? 'Test Student', class: opts.class ?? 'Form 1', guardians: opts.guardians ?? [randomMsisdn()] });
    } catch (err) {
      if (!(err instanceof StudentExistsError) || opts.admissionNo) throw err;
    }
  }
}

/** A term of `school` with fees per class in KES (`{ 'Form 1': 15000 }`). */
export async function makeTerm(school: School, feesKes: Record<string, number>, name = `Term ${randomInt(1e9)}`): Promise<Term> {
  const term = await createTerm(db, school.id, { name, dueDate: '2027-01-31' });
  for (const [cls, amount] of Object.entries(feesKes)) await setFeeStructure(db, term.id, cls, kes(amount));
  return term;
}

/** The signed balance of account `id` (cents, debit positive). */
export async function balanceOf(id: number): Promise<bigint> {
  return (await getAccount(db, id)).balance;
}

/** The trial balance total of `book` (0n in a sound ledger). */
export async function bookTotal(book: string): Promise<bigint> {
  const { books } = await trialBalance(db);
  const found = books.find((b) => b.book === book);
  if (!found) throw new Error(`no book ${book}`);
  return found.total;
}

/** The outbox rows written for `msisdn` (of `kind`, when given), oldest first. */
export async function smsTo(msisdn: string, kind?: string) {
  return db('sms_outbox').where({ msisdn, ...(kind ? { kind } : {}) }).orderBy('id');
}

/** The books (by name) each posting of entry `code` touched, with the amounts. */
export async function legsOf(code: string): Promise<Array<{ book: string; accountCode: string; amount: bigint }>> {
  return db('postings as p').join('journal_entries as e', 'e.id', 'p.journal_entry_id').join('accounts as a', 'a.id', 'p.account_id')
    .where('e.code', code).orderBy('p.id').select('a.book', 'a.code as accountCode', 'p.amount');
}
