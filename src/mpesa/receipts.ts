/**
 * M-Pesa receipts as operators see them, and allocation: moving a receipt held in
 * `suspense:mpesa` (debit suspense, credit wallet) to the customer it was meant for, with
 * a receipt SMS, once.
 */
import type { Db, Knex } from '../db/index.js';
import { findCustomer } from '../customers/index.js';
import { systemAccount, transfer } from '../ledger/index.js';
import { checkMaxBalance, limitsInForce, RecipientNotFoundError } from '../payments/index.js';
import { normalizeMsisdn } from '../phone/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { ValidationError } from '../errors/index.js';
import { walletAfter } from './c2b.js';
import { ReceiptNotFoundError, ReceiptNotInSuspenseError } from './errors.js';
import { topUpSms } from './messages.js';
import { sweepAfterCredit } from '../loans/sweep.js';

/** A receipt as the admin API shows it (amount in cents). */
export interface ReceiptView {
  id: bigint;
  transId: string;
  kind: 'c2b' | 'stk';
  amount: bigint;
  billRef: string;
  msisdn: string;
  shortCode: string;
  status: 'posted' | 'suspense' | 'allocated';
  statusReason: string | null;
  journalEntryId: bigint | null;
  allocatedTo: number | null;
  allocationEntryId: bigint | null;
  allocationReason: string | null;
  allocatedAt: Date | null;
  createdAt: Date;
  payload: Record<string, unknown>;
}

/** Maps an mpesa_receipts row. */
export function toReceiptView(r: Record<string, unknown>): ReceiptView {
  return {
    id: r.id as bigint, transId: r.trans_id as string, kind: r.kind as ReceiptView['kind'], amount: r.amount as bigint, billRef: r.bill_ref as string,
    msisdn: r.msisdn as string, shortCode: r.short_code as string, status: r.status as ReceiptView['status'], statusReason: (r.status_reason as string) ?? null,
    journalEntryId: (r.journal_entry_id as bigint) ?? null, allocatedTo: (r.allocated_to as number) ?? null, allocationEntryId: (r.allocation_entry_id as bigint) ?? null,
    allocationReason: (r.allocation_reason as string) ?? null, allocatedAt: (r.allocated_at as Date) ?? null, createdAt: r.created_at as Date,
    payload: r.payload as Record<string, unknown>,
  };
}

/** Receipts held in suspense (not yet allocated), as a query the caller orders and pages by id. */
export function suspenseQuery(db: Db): Knex.QueryBuilder {
  return db('mpesa_receipts').where({ status: 'suspense' }).select('*');
}

/** An allocation: which receipt, to whom (any KE form), why, and the ledger key. */
export interface Allocation {
  transId: string;
  msisdn: string;
  reason: string;
  /** `admin:<Idempotency-Key>`. */
  idempotencyKey: string;
  /** Who allocates (the API key's name), for the record. */
  by: string;
}

/**
 * Moves a suspense receipt's money to the customer holding `msisdn`, in the caller's
 * transaction (the receipt row is locked first: two allocations cannot both pass), with a
 * receipt SMS, and marks the receipt allocated. Answers the receipt before and after.
 *
 * @throws ReceiptNotFoundError, ReceiptNotInSuspenseError (409), ValidationError (msisdn),
 *   RecipientNotFoundError (no active customer), LimitExceededError (maximum balance)
 */
export async function allocateReceipt(trx: Knex.Transaction, a: Allocation): Promise<{ before: ReceiptView; after: ReceiptView }> {
  const row = await trx('mpesa_receipts').where({ trans_id: a.transId }).forUpdate().first();
  if (!row) throw new ReceiptNotFoundError(a.transId);
  if (row.status !== 'suspense') throw new ReceiptNotInSuspenseError(a.transId, row.status);
  const msisdn = normalizeMsisdn(a.msisdn);
  if (!msisdn) throw new ValidationError('msisdn: not a valid mobile number', 'msisdn');
  const customer = await findCustomer(msisdn, trx);
  if (!customer) throw new RecipientNotFoundError();
  const limits = await limitsInForce(trx, customer.id, () => new RecipientNotFoundError());
  const suspense = await systemAccount(trx, 'suspenseMpesa');
  const amount = row.amount as bigint;
  const result = await transfer({
    idempotencyKey: a.idempotencyKey, kind: 'mpesa_allocation', amount,
    postings: [{ accountId: suspense.id, amount }, { accountId: customer.walletAccountId, amount: -amount }],
    memo: `M-Pesa ${a.transId} allocated: ${a.reason}`.slice(0, 500),
    metadata: { transId: a.transId, customer: customer.msisdn },
  }, {
    guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(customer.walletAccountId)!),
    afterPost: async (t, r) => {
      await enqueueSms(t, [{
        msisdn: customer.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:mpesa`,
        message: topUpSms(customer.language, { code: r.code, mpesaRef: a.transId, amount, at: r.createdAt, balance: walletAfter(r, customer.walletAccountId) }),
      }]);
    },
  }, trx);
  await sweepAfterCredit(trx, customer, result); // an overdue swept loan is repaid first (src/loans/sweep.ts)
  const [after] = await trx('mpesa_receipts').where({ id: row.id }).update({
    status: 'allocated', allocated_to: customer.id, allocation_entry_id: result.entryId, allocation_reason: a.reason, allocated_by: a.by,
    allocated_at: trx.fn.now(), updated_at: trx.fn.now(),
  }).returning('*');
  return { before: toReceiptView(row), after: toReceiptView(after) };
}
