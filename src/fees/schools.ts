/**
 * Schools as data: name, paybill, SMS sender name, status, the bank accounts that map a
 * bank payment to the school, and the school's ledger accounts (./books.ts).
 */
import { inTransaction, nextSerialId, type Db, type Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { openSchoolAccounts, schoolBook } from './books.js';
import { SchoolExistsError, SchoolNotFoundError } from './errors.js';

/** The banks whose webhooks can carry school fees. */
export type SchoolBank = 'equity' | 'kcb';
export const SCHOOL_BANKS: readonly SchoolBank[] = ['equity', 'kcb'];
export type SchoolStatus = 'active' | 'suspended';

/** A school row. */
export interface School {
  id: number;
  name: string;
  /** The school's own M-Pesa paybill number (5-7 digits). */
  paybill: string;
  /** The alphanumeric sender name its SMS should carry (at most 11 characters). */
  smsSender: string;
  status: SchoolStatus;
  /** `school:<id>`: the book of its students' receivables. */
  book: string;
  /** Platform book, `school:<id>:settlement`: what Simu owes the school. */
  settlementAccountId: number;
  /** School book, `school:<id>:collections`. */
  collectionsAccountId: number;
  /** School book, `school:<id>:fees`. */
  feesAccountId: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An Equity merchant code or a KCB account number that belongs to a school. */
export interface SchoolBankAccount {
  bank: SchoolBank;
  reference: string;
}

/** What creating a school takes. */
export interface NewSchool {
  name: string;
  paybill: string;
  smsSender: string;
  bankAccounts?: SchoolBankAccount[];
}

const PAYBILL = /^[0-9]{5,7}$/;
const SENDER = /^[A-Za-z0-9][A-Za-z0-9 ]{0,10}$/;
const BANK_REFERENCE = /^[A-Za-z0-9-]{1,30}$/;

/** Maps a schools row. */
export function toSchool(r: Record<string, unknown>): School {
  return {
    id: r.id as number,
    name: r.name as string,
    paybill: r.paybill as string,
    smsSender: r.sms_sender as string,
    status: r.status as SchoolStatus,
    book: schoolBook(r.id as number),
    settlementAccountId: r.settlement_account_id as number,
    collectionsAccountId: r.collections_account_id as number,
    feesAccountId: r.fees_account_id as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/**
 * Creates a school with its bank accounts and opens its ledger accounts (settlement in the
 * platform book; collections and fees in its own book), in one transaction (the caller's,
 * when `db` is one).
 *
 * @throws ValidationError a bad name, paybill (5-7 digits), sender name or bank reference
 * @throws SchoolExistsError the paybill or a bank reference belongs to a school already
 */
export async function createSchool(db: Db, spec: NewSchool): Promise<School> {
  const name = spec.name.trim();
  if (!name || name.length > 80) throw new ValidationError('name: 1-80 characters', 'name');
  if (!PAYBILL.test(spec.paybill)) throw new ValidationError('paybill: 5-7 digits', 'paybill');
  if (!SENDER.test(spec.smsSender)) throw new ValidationError('smsSender: 1-11 letters, digits or spaces', 'smsSender');
  return inTransaction(db, async (trx) => {
    const id = await nextSerialId(trx, 'schools');
    const accounts = await openSchoolAccounts(trx, id, name);
    const rows = await trx('schools')
      .insert({
        id, name, paybill: spec.paybill, sms_sender: spec.smsSender,
        settlement_account_id: accounts.settlement.id, collections_account_id: accounts.collections.id, fees_account_id: accounts.fees.id,
      })
      .onConflict('paybill')
      .ignore()
      .returning('*');
    if (rows.length === 0) throw new SchoolExistsError(`paybill ${spec.paybill}`);
    for (const account of spec.bankAccounts ?? []) await addSchoolBankAccount(trx, id, account);
    return toSchool(rows[0]);
  });
}

/**
 * Maps a bank account (Equity merchant code, KCB account number) to school `schoolId`.
 *
 * @throws ValidationError a bank other than equity or kcb, or a reference that is not 1-30 letters, digits or dashes
 * @throws SchoolExistsError the bank account belongs to a school already
 */
export async function addSchoolBankAccount(db: Db, schoolId: number, account: SchoolBankAccount): Promise<void> {
  const reference = account.reference.trim();
  if (!SCHOOL_BANKS.includes(account.bank)) throw new ValidationError('bank: equity or kcb', 'bank');
  if (!BANK_REFERENCE.test(reference)) throw new ValidationError('reference: 1-30 letters, digits or dashes', 'reference');
  const rows = await db('school_bank_accounts').insert({ school_id: schoolId, bank: account.bank, reference }).onConflict(['bank', 'reference']).ignore().returning('id');
  if (rows.length === 0) throw new SchoolExistsError(`${account.bank} account ${reference}`);
}

/** The bank accounts of school `schoolId`, by bank then reference. */
export async function bankAccountsOf(db: Db, schoolId: number): Promise<SchoolBankAccount[]> {
  const rows = await db('school_bank_accounts').where({ school_id: schoolId }).orderBy(['bank', 'reference']);
  return rows.map((r) => ({ bank: r.bank as SchoolBank, reference: r.reference as string }));
}

/** School `id`. @throws SchoolNotFoundError */
export async function getSchool(db: Db, id: number): Promise<School> {
  const row = await db('schools').where({ id }).first();
  if (!row) throw new SchoolNotFoundError(String(id));
  return toSchool(row);
}

/** The school whose own paybill is `paybill`, whatever its status, or null. */
export async function findSchoolByPaybill(db: Db, paybill: string): Promise<School | null> {
  const row = await db('schools').where({ paybill: paybill.trim() }).first();
  return row ? toSchool(row) : null;
}

/**
 * The school that holds bank account `reference` (an Equity merchant code, a KCB account
 * number) at `bank`, whatever its status, or null.
 */
export async function findSchoolByBankReference(db: Db, bank: SchoolBank, reference: string): Promise<School | null> {
  const row = await db('schools as s')
    .join('school_bank_accounts as b', 'b.school_id', 's.id')
    .where({ 'b.bank': bank, 'b.reference': reference.trim() })
    .first('s.*');
  return row ? toSchool(row) : null;
}

/**
 * The active schools where `msisdn` (E.164) is a guardian of an active student, by name:
 * the list the USSD School Fees menu offers first.
 */
export async function schoolsForGuardian(db: Db, msisdn: string): Promise<School[]> {
  const rows = await db('schools as s')
    .where('s.status', 'active')
    .whereExists((q) => q.select(db.raw('1')).from('students as st').join('student_guardians as g', 'g.student_id', 'st.id')
      .whereRaw('st.school_id = s.id').where({ 'st.status': 'active', 'g.msisdn': msisdn }))
    .orderBy(['s.name', 's.id'])
    .select('s.*');
  return rows.map(toSchool);
}

/** The schools query for a listing (not ordered or limited: the admin pager does that); `q` is a paybill or part of a name. */
export function schoolsQuery(db: Db, filter: { q?: string; status?: SchoolStatus } = {}): Knex.QueryBuilder {
  const query = db('schools').select('*');
  if (filter.status) query.where({ status: filter.status });
  if (filter.q) query.where((w) => w.where('paybill', filter.q!).orWhereILike('name', `%${filter.q!.replace(/[%_\\]/g, '\\$&')}%`));
  return query;
}
