/** The `bank_payments` table: one row per bank payment, written with its journal entry. */
import type { Db } from '../db/index.js';
import type { BankCode, BankPayment } from './payloads.js';

/** Where a bank payment's money is. */
export type BankPaymentStatus = 'posted' | 'suspense' | 'allocated';

/** Why a payment waits on suspense:bank. */
export type SuspenseReason = 'unknown_account' | 'inactive_customer' | 'max_balance';

/** A stored bank payment (amount in KES cents). */
export interface BankPaymentRecord {
  id: bigint;
  bank: BankCode;
  transactionId: string;
  account: string;
  amount: bigint;
  status: BankPaymentStatus;
  suspenseReason: SuspenseReason | null;
  customerId: number | null;
  msisdn: string | null;
  journalEntryId: bigint;
  /** The transaction code of the entry that received it. */
  reference: string;
  allocationEntryId: bigint | null;
  allocationReference: string | null;
  allocationReason: string | null;
  allocatedBy: string | null;
  allocatedAt: Date | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** A query of bank payments with their entries' codes (`reference`, `allocation_reference`). */
export function bankPaymentsQuery(db: Db) {
  return db('bank_payments as bp')
    .join('journal_entries as je', 'je.id', 'bp.journal_entry_id')
    .leftJoin('journal_entries as ae', 'ae.id', 'bp.allocation_entry_id')
    .select('bp.*', 'je.code as reference', 'ae.code as allocation_reference');
}

/** Maps a row of bankPaymentsQuery. */
export function toBankPayment(r: Record<string, unknown>): BankPaymentRecord {
  return {
    id: r.id as bigint,
    bank: r.bank as BankCode,
    transactionId: r.transaction_id as string,
    account: r.account as string,
    amount: r.amount as bigint,
    status: r.status as BankPaymentStatus,
    suspenseReason: (r.suspense_reason as SuspenseReason | null) ?? null,
    customerId: (r.customer_id as number | null) ?? null,
    msisdn: (r.msisdn as string | null) ?? null,
    journalEntryId: r.journal_entry_id as bigint,
    reference: String(r.reference).trim(),
    allocationEntryId: (r.allocation_entry_id as bigint | null) ?? null,
    allocationReference: r.allocation_reference ? String(r.allocation_reference).trim() : null,
    allocationReason: (r.allocation_reason as string | null) ?? null,
    allocatedBy: (r.allocated_by as string | null) ?? null,
    allocatedAt: (r.allocated_at as Date | null) ?? null,
    payload: r.payload as Record<string, unknown>,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** The payment `transactionId` of `bank`, or null. */
export async function findBankPayment(db: Db, bank: BankCode, transactionId: string): Promise<BankPaymentRecord | null> {
  const row = await bankPaymentsQuery(db).where({ 'bp.bank': bank, 'bp.transaction_id': transactionId }).first();
  return row ? toBankPayment(row) : null;
}

/** What is recorded of a received payment beside the bank's facts. */
export interface ReceivedOutcome {
  status: 'posted' | 'suspense';
  suspenseReason: SuspenseReason | null;
  customerId: number | null;
  msisdn: string | null;
  journalEntryId: bigint;
}

/** Writes the row of a received payment (in the transaction of its journal entry). */
export async function insertBankPayment(db: Db, payment: BankPayment, outcome: ReceivedOutcome): Promise<void> {
  await db('bank_payments').insert({
    bank: payment.bank,
    transaction_id: payment.transactionId,
    account: payment.account,
    amount: payment.amount,
    payload: JSON.stringify(payment.payload),
    status: outcome.status,
    suspense_reason: outcome.suspenseReason,
    customer_id: outcome.customerId,
    msisdn: outcome.msisdn,
    journal_entry_id: outcome.journalEntryId,
  });
}
