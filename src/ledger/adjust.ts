/** Adjustments: an operator moves money between two accounts to correct the books. */
import { db as defaultDb, type Db } from '../db/index.js';
import { InvalidEntryError } from './errors.js';
import { transfer, type TransferResult } from './transfer.js';

/** An operator's adjustment: `amount` cents debited to one account and credited to another. */
export interface AdjustmentRequest {
  debitAccountId: number;
  creditAccountId: number;
  amount: bigint;
  /** Why: kept as the entry's memo. */
  reason: string;
  /** `admin:<Idempotency-Key header>` from the admin API. */
  idempotencyKey: string;
}

/**
 * Moves money by an operator's decision: one transfer() of kind `adjustment` (debit
 * positive on `debitAccountId`, credit on `creditAccountId`), memo = reason, idempotent by
 * `idempotencyKey`. Pass the caller's transaction as `db` to write it with the audit row.
 *
 * @throws InvalidEntryError same account twice, unknown account, different books
 * @throws InsufficientFundsError the debited account is no-overdraft and would go below zero
 * @throws IdempotencyConflictError the key was used for a different request
 */
export async function postAdjustment(req: AdjustmentRequest, db: Db = defaultDb): Promise<TransferResult> {
  if (req.debitAccountId === req.creditAccountId) throw new InvalidEntryError('debitAccountId and creditAccountId must be different accounts');
  if (req.amount <= 0n) throw new InvalidEntryError('amount must be at least 1 cent');
  return transfer(
    {
      idempotencyKey: req.idempotencyKey,
      kind: 'adjustment',
      amount: req.amount,
      memo: req.reason,
      postings: [
        { accountId: req.debitAccountId, amount: req.amount },
        { accountId: req.creditAccountId, amount: -req.amount },
      ],
    },
    {},
    db,
  );
}
