/** A journal entry as operators read it: its postings with their accounts, and what reversed it. */
import type { Db } from '../db/index.js';
import type { Account } from './accounts.js';

/** One leg of an entry, signed as stored: debit positive, credit negative (they sum to zero). */
export interface EntryLegView {
  id: bigint;
  accountId: number;
  accountCode: string;
  normalSide: Account['normalSide'];
  amount: bigint;
  /** The account's signed balance right after this posting. */
  balanceAfter: bigint;
}

/** A journal entry with its postings; amounts in cents. */
export interface EntryView {
  id: bigint;
  /** The 10-character transaction code users see. */
  code: string;
  kind: string;
  /** The principal, without charges. */
  amount: bigint;
  currency: 'KES';
  memo: string | null;
  metadata: Record<string, unknown>;
  /** The entry this one compensates, when it is a reversal. */
  reverses: { id: bigint; code: string } | null;
  /** The reversal that compensates this entry, if any. */
  reversedBy: { id: bigint; code: string } | null;
  createdAt: Date;
  postings: EntryLegView[];
}

/** A transaction code (`SKL4Q2M7XP`), as opposed to a numeric entry id. */
const TRANSACTION_CODE = /^[A-Z][A-Z0-9]{9}$/;

/**
 * The entry with id `ref` (digits) or transaction code `ref` (any case), with its
 * postings; null when there is none.
 */
export async function findEntryView(db: Db, ref: bigint | string): Promise<EntryView | null> {
  const text = String(ref).toUpperCase();
  let where: Record<string, string>;
  if (TRANSACTION_CODE.test(text)) where = { 'e.code': text };
  else if (/^[0-9]{1,18}$/.test(text)) where = { 'e.id': text };
  else return null;
  const entry = await db('journal_entries as e')
    .leftJoin('journal_entries as r', 'r.id', 'e.reverses_id')
    .leftJoin('journal_entries as rev', 'rev.reverses_id', 'e.id')
    .where(where)
    .first('e.*', 'r.code as reverses_code', 'rev.id as reversed_by_id', 'rev.code as reversed_by_code');
  if (!entry) return null;
  const legs = await db('postings as p')
    .join('accounts as a', 'a.id', 'p.account_id')
    .where('p.journal_entry_id', entry.id)
    .orderBy('p.id')
    .select('p.id', 'p.account_id', 'a.code', 'a.normal_side', 'p.amount', 'p.balance_after');
  return {
    id: entry.id,
    code: entry.code,
    kind: entry.kind,
    amount: entry.amount,
    currency: 'KES',
    memo: entry.memo ?? null,
    metadata: entry.metadata ?? {},
    reverses: entry.reverses_id != null ? { id: entry.reverses_id, code: entry.reverses_code } : null,
    reversedBy: entry.reversed_by_id != null ? { id: entry.reversed_by_id, code: entry.reversed_by_code } : null,
    createdAt: entry.created_at,
    postings: legs.map((l) => ({
      id: l.id, accountId: l.account_id, accountCode: l.code, normalSide: l.normal_side, amount: l.amount, balanceAfter: l.balance_after,
    })),
  };
}
