/** Tariffs: the charge for a transaction by amount band; data in the `tariffs` table. */
import type { Db } from '../db/index.js';
import { LimitExceededError } from './errors.js';

/**
 * The charge in cents for `amount` cents of a `kind` (`p2p`), from the band that holds
 * it. Pass the transfer's transaction so the band read is the one the transfer uses.
 *
 * @throws LimitExceededError (`min_amount` / `per_transaction`) when no band holds the amount
 */
export async function chargeFor(db: Db, kind: string, amount: bigint): Promise<bigint> {
  const band = await db('tariffs').where({ kind }).whereRaw('min_amount <= ?::bigint AND max_amount >= ?::bigint', [amount.toString(), amount.toString()]).first('charge');
  if (band) return band.charge as bigint;
  const range = await db('tariffs').where({ kind }).min({ min: 'min_amount' }).max({ max: 'max_amount' }).first();
  if (range?.min != null && amount < BigInt(range.min)) throw new LimitExceededError('min_amount', BigInt(range.min));
  throw new LimitExceededError('per_transaction', BigInt(range?.max ?? 0));
}
