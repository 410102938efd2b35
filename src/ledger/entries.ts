/** Reading journal entries back: for replays, receipts and statements. */
import type { Db } from '../db/index.js';
import { InvalidEntryError } from './errors.js';

/** One written leg, with the account's balance right after it (signed, cents). */
export interface PostedLeg {
  accountId: number;
  amount: bigint;
  balanceAfter: bigint;
}

/** A written journal entry. `replayed` is true when an idempotent retry returned it. */
export interface TransferResult {
  entryId: bigint;
  /** The 10-character transaction code users see. */
  code: string;
  kind: string;
  /** The principal in cents. */
  amount: bigint;
  createdAt: Date;
  metadata: Record<string, unknown>;
  postings: PostedLeg[];
  replayed: boolean;
}

/** Loads a journal entry and its postings; throws InvalidEntryError when missing. */
export async function loadEntry(db: Db, entryId: bigint): Promise<TransferResult> {
  const entry = await db('journal_entries').where({ id: entryId }).first();
  if (!entry) throw new InvalidEntryError(`no journal entry ${entryId}`);
  const legs = await db('postings').where({ journal_entry_id: entryId }).orderBy('id');
  return {
    entryId: entry.id,
    code: entry.code,
    kind: entry.kind,
    amount: entry.amount,
    createdAt: entry.created_at,
    metadata: entry.metadata ?? {},
    postings: legs.map((l) => ({ accountId: l.account_id, amount: l.amount, balanceAfter: l.balance_after })),
    replayed: false,
  };
}

/** Loads the entry with transaction code `code`, or null. */
export async function findEntryByCode(db: Db, code: string): Promise<TransferResult | null> {
  const row = await db('journal_entries').where({ code }).first('id');
  return row ? loadEntry(db, row.id) : null;
}

/** The id of the journal entry posted under idempotency key `key`, or null when none was. */
export async function entryIdForKey(db: Db, key: string): Promise<bigint | null> {
  const row = await db('idempotency_keys').where({ key }).whereNotNull('journal_entry_id').first('journal_entry_id');
  return row ? (row.journal_entry_id as bigint) : null;
}
