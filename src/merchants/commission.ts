/** The merchant's commission on a Lipa payment (DESIGN.md, Money: percentages on cents, half-up). */

/** 0.5 % as the fraction 5/1000, so that no float touches money. */
const RATE_NUMERATOR = 5n;
const RATE_DENOMINATOR = 1000n;

/**
 * 0.5 % of `amount` cents, rounded half-up to the cent: KES 1,001 (100 100 cents) gives
 * 500.5 → 501 cents. `amount` is positive (a payment), so floor division after adding half
 * the denominator is half-up.
 */
export function commissionFor(amount: bigint): bigint {
  if (amount <= 0n) return 0n;
  return (amount * RATE_NUMERATOR + RATE_DENOMINATOR / 2n) / RATE_DENOMINATOR;
}
