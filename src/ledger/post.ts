/**
 * The write half of transfer(): one call of the `ledger_post()` SQL function (migration
 * 20261206000090), which claims the key, locks the accounts in id order, refuses what
 * must be refused and writes the entry, its postings and the balances, in one round trip.
 */
import type { Db } from '../db/index.js';
import { newTransactionCode } from './code.js';
import { loadEntry, type TransferResult } from './entries.js';
import { IdempotencyConflictError, InsufficientFundsError, InvalidEntryError, TransactionCodeTakenError } from './errors.js';
import type { TransferRequest } from './transfer.js';

/** One row of `ledger_post()`. */
export interface PostRow {
  outcome: 'posted' | 'replay' | 'unknown_account' | 'unbalanced' | 'insufficient_funds' | 'code_taken';
  entry_id: bigint | null;
  entry_code: string | null;
  entry_created_at: Date | null;
  /** int8[]: pg parses only plain int8 to bigint (src/db), so these come as strings. */
  balances_after: string[] | null;
  detail: string | null;
}

/**
 * Posts `req` through `ledger_post()` in `db` (a transaction, or the pool: then the one
 * statement is its own transaction). `claim`: claim the key here (false when the caller
 * claimed it and locked the accounts already, to run a guard in between). A key claimed
 * before returns its first result (`replayed: true`). A refusal writes nothing and
 * leaves the key as it was; a transaction-code collision is retried with a new code
 * unless the caller chose the code.
 *
 * @throws IdempotencyConflictError, InvalidEntryError, InsufficientFundsError, TransactionCodeTakenError
 */
export async function postEntry(db: Db, req: TransferRequest, hash: string, claim: boolean): Promise<TransferResult> {
  const ids = `{${req.postings.map((p) => p.accountId).join(',')}}`;
  const amounts = `{${req.postings.map((p) => p.amount.toString()).join(',')}}`;
  for (;;) {
    const { rows } = await db.raw(
      `SELECT * FROM ledger_post(?::text, ?::text, ?::boolean, ?::int[], ?::bigint[],
         ?::text, ?::text, ?::bigint, ?::bigint, ?::text, ?::jsonb, ?::timestamptz)`,
      [
        req.idempotencyKey, hash, claim, ids, amounts,
        req.code ?? newTransactionCode(), req.kind, req.amount.toString(), req.reversesId?.toString() ?? null, req.memo ?? null,
        JSON.stringify(req.metadata ?? {}), req.effectiveAt?.toISOString() ?? null,
      ],
    );
    const result = await fromRow(db, req, hash, rows[0] as PostRow);
    if (result !== 'code_taken') return result;
  }
}

/**
 * What one `ledger_post()` row means for `req`: its result, or the error it stands for.
 * `code_taken` (a collision of random codes, vanishingly rare) is the caller's to retry.
 */
export async function fromRow(db: Db, req: TransferRequest, hash: string, row: PostRow): Promise<TransferResult | 'code_taken'> {
  switch (row.outcome) {
    case 'posted':
      return {
        entryId: row.entry_id!,
        code: row.entry_code!,
        kind: req.kind,
        amount: req.amount,
        createdAt: row.entry_created_at!,
        metadata: req.metadata ?? {},
        postings: req.postings.map((p, i) => ({ accountId: p.accountId, amount: p.amount, balanceAfter: BigInt(row.balances_after![i]) })),
        replayed: false,
      };
    case 'replay':
      return replayed(db, req.idempotencyKey, hash, row.detail, row.entry_id);
    case 'unknown_account':
      throw new InvalidEntryError('unknown account in postings');
    case 'unbalanced':
      throw new InvalidEntryError(`entry does not balance in book ${row.detail}`);
    case 'insufficient_funds':
      throw new InsufficientFundsError(Number(row.detail));
    case 'code_taken':
      if (req.code !== undefined) throw new TransactionCodeTakenError(req.code);
      return 'code_taken';
    default:
      throw new Error(`ledger_post answered ${String(row.outcome)}`);
  }
}

/**
 * The first result under `key`, claimed before with `storedHash` for entry `entryId`
 * (a committed key always has its entry: both are written in one transaction).
 *
 * @throws IdempotencyConflictError the key was used for a different request
 */
export async function replayed(db: Db, key: string, hash: string, storedHash: string | null, entryId: bigint | null): Promise<TransferResult> {
  if (storedHash !== hash) throw new IdempotencyConflictError(key);
  const entry = await loadEntry(db, entryId as bigint);
  return { ...entry, replayed: true };
}
