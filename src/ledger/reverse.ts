/** Reversals: a mistake is never edited, it is compensated by an entry pointing at it. */
import { db as defaultDb, type Db } from '../db/index.js';
import { loadEntry } from './entries.js';
import { AlreadyReversedError } from './errors.js';
import { transfer, type TransferHooks, type TransferResult } from './transfer.js';

/**
 * Moves money back: writes the compensating entry of `entryId` (every posting negated),
 * through transfer(), idempotent by `idempotencyKey`: a retry with the key of a reversal
 * already written returns that reversal (`replayed: true`) and moves nothing. The payee
 * must still hold the money (no-overdraft applies as to any transfer).
 *
 * @throws InvalidEntryError there is no entry `entryId`
 * @throws AlreadyReversedError the entry is a reversal or was reversed already (by another key)
 * @throws InsufficientFundsError the payee has spent the money
 * @throws IdempotencyConflictError the key was used for a different request
 */
export async function reverse(
  entryId: bigint,
  idempotencyKey: string,
  memo?: string,
  hooks: TransferHooks = {},
  db: Db = defaultDb,
): Promise<TransferResult> {
  const original = await loadEntry(db, entryId);
  // A key already claimed goes straight to transfer(), which replays its entry or refuses
  // a different request; checking "already reversed" first would refuse our own retry.
  const retry = await db('idempotency_keys').where({ key: idempotencyKey }).first('key');
  if (!retry) await assertReversible(db, entryId);
  return transfer(
    {
      idempotencyKey,
      kind: 'reversal',
      amount: original.amount,
      reversesId: entryId,
      memo: memo ?? `reversal of ${original.code}`,
      metadata: { reverses: original.code },
      postings: original.postings.map((p) => ({ accountId: p.accountId, amount: -p.amount })),
    },
    hooks,
    db,
  );
}

/** @throws AlreadyReversedError when `entryId` is a reversal or has one. */
async function assertReversible(db: Db, entryId: bigint): Promise<void> {
  const row = await db('journal_entries').where({ id: entryId }).first('reverses_id');
  if (row?.reverses_id != null) throw new AlreadyReversedError(entryId);
  // Checked here for a clear answer; the unique index on reverses_id settles a race.
  const earlier = await db('journal_entries').where({ reverses_id: entryId }).first('id');
  if (earlier) throw new AlreadyReversedError(entryId);
}
