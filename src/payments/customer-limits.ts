/**
 * Per-customer limit overrides: a customer's own value for any of the four limits, on top
 * of their tier's (a trader allowed a higher daily limit, a customer under review a lower
 * one). Stored one row per customer in `customer_limits`, a null column meaning "the
 * tier's value", so that a later tier change still reaches the limits nobody overrode.
 */
import type { Db, Knex } from '../db/index.js';
import { checkLimitOrder, loadLimitsFor, type Limits } from './limits.js';

/** A customer's overrides in cents; null keeps the tier's value. */
export type LimitOverrides = { [K in keyof Limits]: bigint | null };

const NONE: LimitOverrides = { perTransaction: null, perDay: null, perMonth: null, maxBalance: null };

/** The customer's overrides (all null when there are none). */
export async function loadLimitOverrides(db: Db, customerId: number): Promise<LimitOverrides> {
  const row = await db('customer_limits').where({ customer_id: customerId }).first();
  return row ? toOverrides(row) : { ...NONE };
}

/**
 * Sets the customer's overrides to `overrides` (all four: a null clears that one; all
 * null removes the row), in the caller's transaction, with the customer's row locked so
 * that two changes to one customer apply one after the other. Returns the overrides and
 * the limits in force, before and after, for the audit row and the answer.
 *
 * @throws ValidationError when the limits that would be in force are out of order
 *   (checkLimitOrder); nothing is changed then
 */
export async function setLimitOverrides(
  trx: Knex.Transaction, customerId: number, overrides: LimitOverrides,
): Promise<{ before: LimitOverrides; after: LimitOverrides; inForce: Limits }> {
  await trx('customers').where({ id: customerId }).forUpdate().first('id');
  const before = await loadLimitOverrides(trx, customerId);
  const row = {
    per_transaction: overrides.perTransaction, per_day: overrides.perDay, per_month: overrides.perMonth, max_balance: overrides.maxBalance,
  };
  if (Object.values(row).every((v) => v === null)) {
    await trx('customer_limits').where({ customer_id: customerId }).delete();
  } else {
    await trx('customer_limits').insert({ customer_id: customerId, ...row })
      .onConflict('customer_id').merge({ ...row, updated_at: trx.fn.now() });
  }
  const inForce = (await loadLimitsFor(trx, [customerId])).get(customerId)!.limits;
  checkLimitOrder(inForce);
  return { before, after: await loadLimitOverrides(trx, customerId), inForce };
}

function toOverrides(row: Record<string, unknown>): LimitOverrides {
  return {
    perTransaction: row.per_transaction as bigint | null,
    perDay: row.per_day as bigint | null,
    perMonth: row.per_month as bigint | null,
    maxBalance: row.max_balance as bigint | null,
  };
}
