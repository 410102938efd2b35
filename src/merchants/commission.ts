/** The merchant's commission on a Lipa payment (DESIGN.md, Money: percentages on cents, half-up). */

/** Basis points in a whole: 10 000 bp = 100 %. */
const BP_PER_WHOLE = 10_000n;
/** The highest rate a merchant may be charged, as the database's CHECK has it: 10 %. */
export const MAX_COMMISSION_BP = 1000;
/** What a merchant pays unless an admin says otherwise: 0.5 %. */
export const DEFAULT_COMMISSION_BP = 50;

/**
 * `bp` basis points of `amount` cents, rounded half-up to the cent, in bigint arithmetic
 * only: at 50 bp, KES 1,001 (100 100 cents) gives 500.5 → 501 cents; at 100 bp, 100 cents
 * give 1 cent. `amount` is a payment (positive), so floor division after adding half the
 * divisor is half-up; a zero or negative amount has no commission.
 *
 * @throws RangeError `bp` is not an integer from 0 to MAX_COMMISSION_BP
 */
export function commissionFor(amount: bigint, bp: number): bigint {
  if (!Number.isInteger(bp) || bp < 0 || bp > MAX_COMMISSION_BP) throw new RangeError(`commission must be 0-${MAX_COMMISSION_BP} basis points, not ${bp}`);
  if (amount <= 0n) return 0n;
  return (amount * BigInt(bp) + BP_PER_WHOLE / 2n) / BP_PER_WHOLE;
}
