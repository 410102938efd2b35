/**
 * The ledger's invariants, checked in SQL over the whole ledger. `npm run ledger:check`
 * runs them and exits non-zero on any breach; the tests run them after each test.
 */
import type { Db } from '../db/index.js';

/** One broken invariant, with a few offending rows for the person on call. */
export interface LedgerBreach {
  invariant: string;
  count: number;
  sample: unknown[];
}

const INVARIANTS: Array<{ invariant: string; sql: string }> = [
  {
    invariant: 'every journal entry sums to zero',
    sql: 'SELECT journal_entry_id, sum(amount)::bigint AS sum FROM postings GROUP BY 1 HAVING sum(amount) <> 0',
  },
  {
    invariant: 'every journal entry balances within each book',
    sql: `SELECT p.journal_entry_id, a.book, sum(p.amount)::bigint AS sum FROM postings p
          JOIN accounts a ON a.id = p.account_id GROUP BY 1, 2 HAVING sum(p.amount) <> 0`,
  },
  {
    invariant: 'every journal entry has at least two postings',
    sql: `SELECT e.id FROM journal_entries e LEFT JOIN postings p ON p.journal_entry_id = e.id
          GROUP BY e.id HAVING count(p.id) < 2`,
  },
  {
    invariant: 'every balance equals the sum of its postings',
    sql: `SELECT a.id, a.code, a.balance, coalesce(s.sum, 0)::bigint AS postings FROM accounts a
          LEFT JOIN (SELECT account_id, sum(amount) AS sum FROM postings GROUP BY 1) s ON s.account_id = a.id
          WHERE a.balance <> coalesce(s.sum, 0)`,
  },
  {
    invariant: 'no no-overdraft account is negative',
    sql: `SELECT id, code, balance FROM accounts WHERE no_overdraft
          AND ((normal_side = 'debit' AND balance < 0) OR (normal_side = 'credit' AND balance > 0))`,
  },
  {
    invariant: 'the trial balance of every book is zero',
    sql: 'SELECT book, sum(balance)::bigint AS sum FROM accounts GROUP BY book HAVING sum(balance) <> 0',
  },
];

/** Runs every invariant; an empty array means the ledger is sound. */
export async function checkLedger(db: Db): Promise<LedgerBreach[]> {
  const breaches: LedgerBreach[] = [];
  for (const { invariant, sql } of INVARIANTS) {
    const { rows } = await db.raw(sql);
    if (rows.length) breaches.push({ invariant, count: rows.length, sample: rows.slice(0, 5) });
  }
  return breaches;
}
