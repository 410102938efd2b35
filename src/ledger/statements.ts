/**
 * Reading the ledger for operators: accounts by owner or code, and an account's postings
 * (its statement). The queries are returned unordered and unlimited so that the caller
 * pages them (the admin API's cursor paging orders by id, newest first).
 */
import type { Db, Knex } from '../db/index.js';
import { displayBalance, toAccount, type Account } from './accounts.js';

/** Which accounts to list: by id (a customer's wallet), by code prefix, or every one. */
export interface AccountFilter {
  ids?: number[];
  /** `revenue:` lists revenue:charges, ...; matched literally (no wildcards). */
  codePrefix?: string;
}

/** The accounts matching `filter`, as a query of `accounts` rows (map them with toAccount). */
export function accountsQuery(db: Db, filter: AccountFilter = {}): Knex.QueryBuilder {
  const q = db('accounts');
  if (filter.ids) q.whereIn('id', filter.ids);
  if (filter.codePrefix !== undefined) q.whereRaw(`code LIKE ? ESCAPE '\\'`, [`${escapeLike(filter.codePrefix)}%`]);
  return q;
}

/** An account as operators read it: the owner's-side balance beside the signed one. */
export interface AccountView {
  id: number;
  code: string;
  name: string;
  book: string;
  type: Account['type'];
  normalSide: Account['normalSide'];
  noOverdraft: boolean;
  currency: string;
  /** Cents as the owner reads it: a wallet's credit balance is positive. */
  balance: bigint;
  /** The signed sum of postings (debit positive, credit negative). */
  rawBalance: bigint;
}

/** Maps an `accounts` row to its view. */
export function toAccountView(row: Record<string, unknown>): AccountView {
  const a = toAccount(row);
  return {
    id: a.id, code: a.code, name: a.name, book: a.book, type: a.type, normalSide: a.normalSide, noOverdraft: a.noOverdraft,
    currency: a.currency.trim(), balance: displayBalance(a), rawBalance: a.balance,
  };
}

/**
 * The postings of `accountId` with their entry's code and kind, as a query whose rows
 * carry the posting id as `id` (map them with `statementLine(normalSide)`).
 */
export function postingsQuery(db: Db, accountId: number): Knex.QueryBuilder {
  return db('postings as p')
    .join('journal_entries as e', 'e.id', 'p.journal_entry_id')
    .where('p.account_id', accountId)
    .select('p.id', 'p.journal_entry_id', 'e.code', 'e.kind', 'e.memo', 'p.amount', 'p.balance_after', 'p.created_at');
}

/** One line of an account's statement, in cents. */
export interface StatementLine {
  id: bigint;
  entryId: bigint;
  entryCode: string;
  kind: string;
  memo: string | null;
  /** From the owner's side: money into a wallet is positive. */
  amount: bigint;
  /** The account's balance right after, from the owner's side. */
  balanceAfter: bigint;
  /** The signed posting (debit positive, credit negative). */
  rawAmount: bigint;
  rawBalanceAfter: bigint;
  createdAt: Date;
}

/** The row mapper of postingsQuery for an account whose normal side is `normalSide`. */
export function statementLine(normalSide: Account['normalSide']): (row: Record<string, unknown>) => StatementLine {
  return (r) => {
    const ownerSide = (v: bigint) => displayBalance({ balance: v, normalSide });
    return {
      id: r.id as bigint,
      entryId: r.journal_entry_id as bigint,
      entryCode: r.code as string,
      kind: r.kind as string,
      memo: (r.memo as string | null) ?? null,
      amount: ownerSide(r.amount as bigint),
      balanceAfter: ownerSide(r.balance_after as bigint),
      rawAmount: r.amount as bigint,
      rawBalanceAfter: r.balance_after as bigint,
      createdAt: r.created_at as Date,
    };
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
