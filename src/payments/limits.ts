/**
 * Limits per transaction, per day, per month (outgoing principal from a wallet) and on
 * the wallet balance; data in the `limits` table. Day and month are Africa/Nairobi's.
 * `checkOutgoingLimits` runs inside transfer()'s guard, with the payer's account locked,
 * so two concurrent sends cannot both pass a daily limit only one of them fits.
 */
import type { Db } from '../db/index.js';
import { LimitExceededError } from './errors.js';

/** A tier's limits, in cents. */
export interface Limits {
  perTransaction: bigint;
  perDay: bigint;
  perMonth: bigint;
  maxBalance: bigint;
}

/** The limits of `tier` (default `default`). */
export async function loadLimits(db: Db, tier = 'default'): Promise<Limits> {
  const row = await db('limits').where({ tier }).first();
  if (!row) throw new Error(`no limits for tier ${tier}: run the seeds`);
  return { perTransaction: row.per_transaction, perDay: row.per_day, perMonth: row.per_month, maxBalance: row.max_balance };
}

/** @throws LimitExceededError when `amount` cents is over the per-transaction limit. */
export function checkPerTransaction(limits: Limits, amount: bigint): void {
  if (amount > limits.perTransaction) throw new LimitExceededError('per_transaction', limits.perTransaction);
}

/**
 * Checks that `amount` more cents out of `accountId` today and this month stay within
 * the limits. Counts the principal of every entry that debited the wallet except
 * reversals.
 *
 * @throws LimitExceededError `per_day` or `per_month`
 */
export async function checkOutgoingLimits(db: Db, limits: Limits, accountId: number, amount: bigint): Promise<void> {
  const { rows } = await db.raw(
    `WITH bounds AS (
       SELECT date_trunc('day', now() AT TIME ZONE 'Africa/Nairobi') AT TIME ZONE 'Africa/Nairobi' AS day_start,
              date_trunc('month', now() AT TIME ZONE 'Africa/Nairobi') AT TIME ZONE 'Africa/Nairobi' AS month_start)
     SELECT coalesce(sum(e.amount) FILTER (WHERE p.created_at >= b.day_start), 0)::bigint AS today,
            coalesce(sum(e.amount), 0)::bigint AS month
       FROM bounds b
       JOIN postings p ON p.account_id = ? AND p.amount > 0 AND p.created_at >= b.month_start
       JOIN journal_entries e ON e.id = p.journal_entry_id AND e.kind <> 'reversal'`,
    [accountId],
  );
  const { today, month } = rows[0] ?? { today: 0n, month: 0n };
  if (today + amount > limits.perDay) throw new LimitExceededError('per_day', limits.perDay);
  if (month + amount > limits.perMonth) throw new LimitExceededError('per_month', limits.perMonth);
}

/** @throws LimitExceededError `max_balance` when a wallet would hold more than allowed. */
export function checkMaxBalance(limits: Limits, balanceAfter: bigint): void {
  if (balanceAfter > limits.maxBalance) throw new LimitExceededError('max_balance', limits.maxBalance);
}
