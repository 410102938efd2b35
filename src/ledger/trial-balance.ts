/**
 * The trial balance: per book, the sum of every account's signed balance. An entry
 * balances within every book it touches, so each book's total is zero at every instant;
 * anything else is a breach (`npm run ledger:check` says which entry).
 */
import type { Db } from '../db/index.js';
import type { AccountType } from './accounts.js';

/** One book's balances, in signed cents (debit positive). */
export interface BookBalance {
  book: string;
  /** Sum of every account's balance: 0 in a sound ledger. */
  total: bigint;
  /** Sum of the debit balances (positive). */
  debits: bigint;
  /** Sum of the credit balances, as a positive number. */
  credits: bigint;
  accounts: number;
  /** The same per account type (liability: what Simu owes wallets, ...). */
  byType: Array<{ type: AccountType; balance: bigint; accounts: number }>;
}

/** The trial balance of every book, by book name; `balanced` when every total is 0. */
export async function trialBalance(db: Db): Promise<{ balanced: boolean; books: BookBalance[] }> {
  // One snapshot: the statement reads every account as of one instant.
  const { rows } = await db.raw(
    `SELECT book, type, count(*)::int AS accounts, coalesce(sum(balance), 0)::bigint AS balance,
            coalesce(sum(balance) FILTER (WHERE balance > 0), 0)::bigint AS debits,
            coalesce(-sum(balance) FILTER (WHERE balance < 0), 0)::bigint AS credits
       FROM accounts GROUP BY book, type ORDER BY book, type`,
  );
  const books = new Map<string, BookBalance>();
  for (const r of rows as Array<{ book: string; type: AccountType; accounts: number; balance: bigint; debits: bigint; credits: bigint }>) {
    let b = books.get(r.book);
    if (!b) books.set(r.book, (b = { book: r.book, total: 0n, debits: 0n, credits: 0n, accounts: 0, byType: [] }));
    b.total += r.balance;
    b.debits += r.debits;
    b.credits += r.credits;
    b.accounts += r.accounts;
    b.byType.push({ type: r.type, balance: r.balance, accounts: r.accounts });
  }
  const list = [...books.values()];
  return { balanced: list.every((b) => b.total === 0n), books: list };
}
