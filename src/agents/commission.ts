/**
 * Agent commissions as data (`commission_rates`), as tariffs make charges data: a rate in
 * basis points of a base (a withdrawal's charge, a deposit's amount) with a floor in cents.
 * Percentages on cents round half-up (DESIGN.md, Money). Commission is Simu's expense.
 */
import type { Db } from '../db/index.js';

/** The movements agents earn on. */
export type CommissionKind = 'withdrawal' | 'deposit';

/** A rate: `rateBp` basis points of the `base`, at least `minCommission` cents. */
export interface CommissionRate {
  kind: CommissionKind;
  base: 'charge' | 'amount';
  rateBp: number;
  minCommission: bigint;
}

/** The seeded rates (issue 5): 50 % of the withdrawal charge; 0.3 % of a deposit, at least KES 1. */
export const DEFAULT_COMMISSION_RATES: CommissionRate[] = [
  { kind: 'withdrawal', base: 'charge', rateBp: 5000, minCommission: 0n },
  { kind: 'deposit', base: 'amount', rateBp: 30, minCommission: 100n },
];

/** `rateBp` basis points of `base` cents, rounded half-up to the cent, never below `minCommission` (nor above `cap`, when given). */
export function applyRate(rate: Pick<CommissionRate, 'rateBp' | 'minCommission'>, base: bigint, cap?: bigint): bigint {
  if (base <= 0n) return 0n;
  const raw = (base * BigInt(rate.rateBp) + 5000n) / 10000n;
  const floored = raw < rate.minCommission ? rate.minCommission : raw;
  return cap !== undefined && floored > cap ? cap : floored;
}

/**
 * The commission in cents an agent earns on a `kind` movement of `amount` cents with
 * `charge` cents charged, read in the caller's transaction so a rate change applies to
 * the next movement, never half of one. A withdrawal's commission never exceeds its charge.
 *
 * @throws Error when the rate is missing (run the seeds)
 */
export async function agentCommission(db: Db, kind: CommissionKind, amount: bigint, charge: bigint): Promise<bigint> {
  const row = await db('commission_rates').where({ kind }).first();
  if (!row) throw new Error(`no commission rate for ${kind}: run the seeds`);
  const rate = { rateBp: row.rate_bp as number, minCommission: row.min_commission as bigint };
  return row.base === 'charge' ? applyRate(rate, charge, charge) : applyRate(rate, amount);
}

/** Every rate, for the admin API. */
export async function loadCommissionRates(db: Db): Promise<CommissionRate[]> {
  const rows = await db('commission_rates').orderBy('kind');
  return rows.map((r) => ({ kind: r.kind, base: r.base, rateBp: r.rate_bp, minCommission: r.min_commission }));
}
