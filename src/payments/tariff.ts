/**
 * Tariffs: the charge for a transaction by amount band; data in the `tariffs` table, one
 * row per band, keyed by the tariff type (`kind` column). Read inside the transfer's
 * transaction, so an admin change applies to the next transaction and never to half of one.
 */
import type { Db, Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { LimitExceededError } from './errors.js';

/** The tariff types the admin API manages (later capabilities add theirs). */
export const TARIFF_TYPES = ['send_money', 'withdrawal'] as const;
export type TariffType = (typeof TARIFF_TYPES)[number];

/** One band: amounts from `minAmount` to `maxAmount` cents (both inclusive) cost `charge` cents. */
export interface TariffBand {
  minAmount: bigint;
  maxAmount: bigint;
  charge: bigint;
}

/**
 * The band lookup as a SQL subquery, `(SELECT charge ...)`, with its bindings: the charge
 * of the band holding `amount` cents of `type`, NULL when none does. chargeFor() runs it
 * alone; Send Money's reads (./send-money-reads.ts) join it into their one query.
 */
export function bandChargeSql(type: TariffType, amount: bigint): { sql: string; bindings: string[] } {
  const a = amount.toString();
  return { sql: '(SELECT charge FROM tariffs WHERE kind = ? AND min_amount <= ?::bigint AND max_amount >= ?::bigint LIMIT 1)', bindings: [type, a, a] };
}

/**
 * The charge in cents for `amount` cents of a `type` transaction, from the band that holds
 * it. Pass the transfer's transaction so the band read is the one the transfer uses.
 *
 * @throws LimitExceededError (`min_amount` / `per_transaction`) when no band holds the amount
 */
export async function chargeFor(db: Db, type: TariffType, amount: bigint): Promise<bigint> {
  const band = bandChargeSql(type, amount);
  const charge = (await db.raw(`SELECT ${band.sql} AS charge`, band.bindings)).rows[0].charge as bigint | null;
  if (charge !== null) return charge;
  const range = await db('tariffs').where({ kind: type }).min({ min: 'min_amount' }).max({ max: 'max_amount' }).first();
  if (range?.min != null && amount < BigInt(range.min)) throw new LimitExceededError('min_amount', BigInt(range.min));
  throw new LimitExceededError('per_transaction', BigInt(range?.max ?? 0));
}

/** The bands of `type`, lowest first (empty when none are set). */
export async function loadTariff(db: Db, type: TariffType): Promise<TariffBand[]> {
  const rows = await db('tariffs').where({ kind: type }).orderBy('min_amount');
  return rows.map((r) => ({ minAmount: r.min_amount, maxAmount: r.max_amount, charge: r.charge }));
}

/**
 * Replaces every band of `type` with `bands` in the caller's transaction, after checking
 * them (checkBands). Returns the bands before and after, for the audit row.
 *
 * @throws ValidationError naming the first bad band's field; nothing is changed then
 */
export async function replaceTariff(trx: Knex.Transaction, type: TariffType, bands: TariffBand[]): Promise<{ before: TariffBand[]; after: TariffBand[] }> {
  checkBands(bands);
  // Two replacements racing would each delete only the rows their statement saw and then
  // insert both lists; a per-type lock makes the second wait and replace the first's.
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`tariffs:${type}`]);
  const before = await loadTariff(trx, type);
  await trx('tariffs').where({ kind: type }).delete();
  await trx('tariffs').insert(bands.map((b) => ({ kind: type, min_amount: b.minAmount, max_amount: b.maxAmount, charge: b.charge })));
  return { before, after: await loadTariff(trx, type) };
}

/**
 * Checks a band list: at least one band; each band's minimum at least 1 cent and not above
 * its maximum, and a charge of 0 or more; bands sorted, each starting one cent after the
 * previous one ends (contiguous, so no amount between the lowest and highest band is
 * left without a charge, and none has two).
 *
 * @throws ValidationError with `field` like `bands.2.minAmount`
 */
export function checkBands(bands: TariffBand[]): void {
  if (bands.length === 0) throw new ValidationError('bands: at least one band is needed', 'bands');
  bands.forEach((b, i) => {
    const field = (name: keyof TariffBand) => `bands.${i}.${name}`;
    if (b.minAmount < 1n) throw new ValidationError(`${field('minAmount')}: must be at least 1 cent`, field('minAmount'));
    if (b.maxAmount < b.minAmount) throw new ValidationError(`${field('maxAmount')}: must not be below minAmount (${b.minAmount})`, field('maxAmount'));
    if (b.charge < 0n) throw new ValidationError(`${field('charge')}: must not be negative`, field('charge'));
    if (i === 0) return;
    const expected = bands[i - 1].maxAmount + 1n;
    if (b.minAmount < expected) throw new ValidationError(`${field('minAmount')}: overlaps or is out of order with band ${i - 1}, which ends at ${bands[i - 1].maxAmount}; expected ${expected}`, field('minAmount'));
    if (b.minAmount > expected) throw new ValidationError(`${field('minAmount')}: leaves a gap after band ${i - 1}, which ends at ${bands[i - 1].maxAmount}; expected ${expected}`, field('minAmount'));
  });
}
