/**
 * Limits per transaction, per day, per month (outgoing principal from a wallet) and on
 * the wallet balance; data in the `limits` table (per tier) with per-customer overrides in
 * `customer_limits` (./customer-limits.ts). Day and month are Africa/Nairobi's.
 * `checkOutgoingLimits` runs inside transfer()'s guard, with the payer's account locked,
 * so two concurrent sends cannot both pass a daily limit only one of them fits.
 */
import type { Db, Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { LimitExceededError } from './errors.js';

/** A set of limits, in cents. */
export interface Limits {
  perTransaction: bigint;
  perDay: bigint;
  perMonth: bigint;
  maxBalance: bigint;
}

/** The tier every customer is in until tiers are assigned per customer. */
export const DEFAULT_TIER = 'default';

/** The limits of `tier`, without any customer's overrides. */
export async function loadTierLimits(db: Db, tier = DEFAULT_TIER): Promise<Limits & { updatedAt: Date }> {
  const row = await db('limits').where({ tier }).first();
  if (!row) throw new Error(`no limits for tier ${tier}: run the seeds`);
  return { ...toLimits(row), updatedAt: row.updated_at };
}

/**
 * Replaces the limits of `tier` (in the caller's transaction); returns them before and
 * after for the audit row. Customers' overrides stay on top of the new values.
 *
 * @throws ValidationError when the per-transaction limit is over the daily or the daily over the monthly
 */
export async function saveTierLimits(
  trx: Knex.Transaction, limits: Limits, tier = DEFAULT_TIER,
): Promise<{ before: Limits; after: Limits; updatedAt: Date }> {
  checkLimitOrder(limits);
  const before = await trx('limits').where({ tier }).forUpdate().first();
  if (!before) throw new Error(`no limits for tier ${tier}: run the seeds`);
  const [after] = await trx('limits').where({ tier }).update({
    per_transaction: limits.perTransaction, per_day: limits.perDay, per_month: limits.perMonth, max_balance: limits.maxBalance, updated_at: trx.fn.now(),
  }).returning('*');
  return { before: toLimits(before), after: toLimits(after), updatedAt: after.updated_at };
}

/**
 * @throws ValidationError naming `perTransaction` or `perDay` when a limit is above the
 *   longer period's (such a limit could never be reached, which is surely a typo)
 */
export function checkLimitOrder(limits: Limits): void {
  if (limits.perTransaction > limits.perDay) throw new ValidationError(`perTransaction: must not be above perDay (${limits.perDay})`, 'perTransaction');
  if (limits.perDay > limits.perMonth) throw new ValidationError(`perDay: must not be above perMonth (${limits.perMonth})`, 'perDay');
}

/** The limits in force for a customer: the tier's, with the customer's overrides on top. */
export async function loadLimits(db: Db, customerId: number): Promise<Limits> {
  const found = (await loadLimitsFor(db, [customerId])).get(customerId);
  if (!found) throw new Error(`no customer ${customerId}`);
  return found.limits;
}

/** What loadLimitsFor answers for each customer. */
export interface CustomerLimits {
  limits: Limits;
  status: 'active' | 'suspended' | 'closed';
}

/**
 * The limits in force for each of `customerIds`, with each customer's status, in one
 * round trip: send money reads both parties this way inside its transaction, so a
 * suspension or a limit change committed before it is the one it honours.
 */
export async function loadLimitsFor(db: Db, customerIds: number[], tier = DEFAULT_TIER): Promise<Map<number, CustomerLimits>> {
  const rows = await db('customers as c')
    .join('limits as l', (j) => { j.onVal('l.tier', '=', tier); })
    .leftJoin('customer_limits as o', 'o.customer_id', 'c.id')
    .whereIn('c.id', customerIds)
    .select('c.id', 'c.status', ...LIMIT_COLUMNS.map((col) => db.raw(`coalesce(o.${col}, l.${col}) AS ${col}`)));
  return new Map(rows.map((r) => [r.id as number, { limits: toLimits(r), status: r.status }]));
}

/**
 * The limits in force for one customer, read in the caller's transaction, after checking
 * the customer is still active: a suspension committed after the PIN check still stops the
 * movement. `inactive` makes the refusal (the payer's CustomerInactiveError, a recipient's
 * "not registered").
 *
 * @throws the error `inactive` makes; Error when the default tier has no limits (run the seeds)
 */
export async function limitsInForce(db: Db, customerId: number, inactive: () => Error): Promise<Limits> {
  const row = (await loadLimitsFor(db, [customerId])).get(customerId);
  if (!row) throw new Error('no limits for the default tier: run the seeds');
  if (row.status !== 'active') throw inactive();
  return row.limits;
}

/** The limit columns of `limits` and `customer_limits` (an override wins where set). */
export const LIMIT_COLUMNS = ['per_transaction', 'per_day', 'per_month', 'max_balance'] as const;

/** A row of LIMIT_COLUMNS as Limits (cents). */
export function toLimits(row: Record<string, unknown>): Limits {
  return { perTransaction: row.per_transaction as bigint, perDay: row.per_day as bigint, perMonth: row.per_month as bigint, maxBalance: row.max_balance as bigint };
}

/** @throws LimitExceededError when `amount` cents is over the per-transaction limit. */
export function checkPerTransaction(limits: Pick<Limits, 'perTransaction'>, amount: bigint): void {
  if (amount > limits.perTransaction) throw new LimitExceededError('per_transaction', limits.perTransaction);
}

/**
 * Checks that `amount` more cents out of `accountId` today and this month stay within
 * the limits. Counts the principal of every entry that debited the wallet, except
 * reversals and entries that were since reversed (a reversed send gives its room back).
 *
 * @throws LimitExceededError `per_day` or `per_month`
 */
export async function checkOutgoingLimits(db: Db, limits: Limits, accountId: number, amount: bigint): Promise<void> {
  const { today, month } = await sentSoFar(db, accountId);
  if (today + amount > limits.perDay) throw new LimitExceededError('per_day', limits.perDay);
  if (month + amount > limits.perMonth) throw new LimitExceededError('per_month', limits.perMonth);
}

/**
 * Principal sent out of `accountId` today and this month (Africa/Nairobi), in cents: every
 * entry that debited it, except reversals and entries since reversed.
 */
export async function sentSoFar(db: Db, accountId: number): Promise<{ today: bigint; month: bigint }> {
  const { rows } = await db.raw(
    `WITH bounds AS (
       SELECT date_trunc('day', now() AT TIME ZONE 'Africa/Nairobi') AT TIME ZONE 'Africa/Nairobi' AS day_start,
              date_trunc('month', now() AT TIME ZONE 'Africa/Nairobi') AT TIME ZONE 'Africa/Nairobi' AS month_start)
     SELECT coalesce(sum(e.amount) FILTER (WHERE p.created_at >= b.day_start), 0)::bigint AS today,
            coalesce(sum(e.amount), 0)::bigint AS month
       FROM bounds b
       JOIN postings p ON p.account_id = ? AND p.amount > 0 AND p.created_at >= b.month_start
       JOIN journal_entries e ON e.id = p.journal_entry_id AND e.kind <> 'reversal'
      WHERE NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_id = e.id)`,
    [accountId],
  );
  return { today: rows[0].today, month: rows[0].month };
}

/** @throws LimitExceededError `max_balance` when a wallet would hold more than allowed. */
export function checkMaxBalance(limits: Limits, balanceAfter: bigint): void {
  if (balanceAfter > limits.maxBalance) throw new LimitExceededError('max_balance', limits.maxBalance);
}
