/** School fee payments as recorded (`school_payments`): reading them back, for replays and the bursar's queue. */
import type { Db, Knex } from '../db/index.js';
import { SchoolPaymentNotFoundError } from './errors.js';

/** Where a payment came from. */
export type PaymentChannel = 'wallet' | 'mpesa_c2b' | 'mpesa_stk' | 'bank';
export const PAYMENT_CHANNELS: readonly PaymentChannel[] = ['wallet', 'mpesa_c2b', 'mpesa_stk', 'bank'];
/** posted: on the student at once; unmatched: no student matched, waiting for the bursar; allocated: the bursar named the student. */
export type PaymentStatus = 'posted' | 'unmatched' | 'allocated';
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['posted', 'unmatched', 'allocated'];

/** A school fee payment (amount in KES cents). */
export interface SchoolPayment {
  id: bigint;
  schoolId: number;
  studentId: number | null;
  /** Set when the payment is posted or allocated. */
  admissionNo: string | null;
  channel: PaymentChannel;
  idempotencyKey: string;
  amount: bigint;
  /** E.164 when the rail sent a real number; null when unknown or masked. */
  payerMsisdn: string | null;
  /** What the payer gave as the account, as received. */
  reference: string;
  status: PaymentStatus;
  /** The entry that received it (null for an unmatched payment into the school's own account: nothing moved in Simu). */
  journalEntryId: bigint | null;
  /** Its transaction code. */
  entryCode: string | null;
  /** The allocation's entry in the school's book, and its code. */
  allocationEntryId: bigint | null;
  allocationCode: string | null;
  raw: Record<string, unknown>;
  createdAt: Date;
  allocatedAt: Date | null;
  allocatedBy: string | null;
}

/** School payments with their students' admission numbers and entries' codes, as a query (order by `p.id`). */
export function schoolPaymentsQuery(db: Db): Knex.QueryBuilder {
  return db('school_payments as p')
    .leftJoin('students as st', 'st.id', 'p.student_id')
    .leftJoin('journal_entries as e', 'e.id', 'p.journal_entry_id')
    .leftJoin('journal_entries as ae', 'ae.id', 'p.allocation_entry_id')
    .select('p.*', 'st.admission_no', 'e.code as entry_code', 'ae.code as allocation_code');
}

/** Maps a schoolPaymentsQuery row. */
export function toSchoolPayment(r: Record<string, unknown>): SchoolPayment {
  return {
    id: r.id as bigint,
    schoolId: r.school_id as number,
    studentId: (r.student_id as number | null) ?? null,
    admissionNo: (r.admission_no as string | null) ?? null,
    channel: r.channel as PaymentChannel,
    idempotencyKey: r.idempotency_key as string,
    amount: r.amount as bigint,
    payerMsisdn: (r.payer_msisdn as string | null) ?? null,
    reference: r.reference as string,
    status: r.status as PaymentStatus,
    journalEntryId: (r.journal_entry_id as bigint | null) ?? null,
    entryCode: (r.entry_code as string | null) ?? null,
    allocationEntryId: (r.allocation_entry_id as bigint | null) ?? null,
    allocationCode: (r.allocation_code as string | null) ?? null,
    raw: (r.raw as Record<string, unknown>) ?? {},
    createdAt: r.created_at as Date,
    allocatedAt: (r.allocated_at as Date | null) ?? null,
    allocatedBy: (r.allocated_by as string | null) ?? null,
  };
}

/** Payment `id`. @throws SchoolPaymentNotFoundError */
export async function getSchoolPayment(db: Db, id: bigint | number): Promise<SchoolPayment> {
  const row = await schoolPaymentsQuery(db).where('p.id', String(id)).first();
  if (!row) throw new SchoolPaymentNotFoundError(id);
  return toSchoolPayment(row);
}

/** The payment recorded under idempotency key `key`, or null. */
export async function findSchoolPaymentByKey(db: Db, key: string): Promise<SchoolPayment | null> {
  const row = await schoolPaymentsQuery(db).where('p.idempotency_key', key).first();
  return row ? toSchoolPayment(row) : null;
}

/** The row a new payment writes, before its entry is known. */
export interface NewPaymentRow {
  schoolId: number;
  studentId: number | null;
  channel: PaymentChannel;
  idempotencyKey: string;
  amount: bigint;
  payerMsisdn: string | null;
  reference: string;
  status: PaymentStatus;
  raw: Record<string, unknown>;
}

/**
 * Claims `row.idempotencyKey` by inserting the payment; returns its id, or null when the
 * key is taken (a concurrent twin waits on the unique index until the first commits or
 * rolls back, so null means a committed payment exists under the key).
 */
export async function claimPayment(trx: Knex.Transaction, row: NewPaymentRow): Promise<bigint | null> {
  const rows = await trx('school_payments')
    .insert({
      school_id: row.schoolId, student_id: row.studentId, channel: row.channel, idempotency_key: row.idempotencyKey, amount: row.amount,
      payer_msisdn: row.payerMsisdn, reference: row.reference, status: row.status, raw: JSON.stringify(row.raw),
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id');
  return rows.length ? (rows[0].id as bigint) : null;
}
