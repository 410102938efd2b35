/**
 * Exact arithmetic for loans: rates are integer basis points, amounts bigint cents, and
 * every division rounds half-up to the cent (DESIGN.md, Money). No floats anywhere.
 */

/** Basis points in one whole (100 % = 10,000 bp). */
export const BP = 10_000n;

/** `num / den` rounded half-up, for `num >= 0`, `den > 0`. @throws RangeError otherwise */
export function divHalfUp(num: bigint, den: bigint): bigint {
  if (num < 0n || den <= 0n) throw new RangeError(`divHalfUp(${num}, ${den}): only non-negative over positive`);
  return (2n * num + den) / (2n * den);
}

/** `amount × bp / 10,000` rounded half-up to the cent (a percentage of an amount in cents). */
export function percentOf(amount: bigint, bp: number | bigint): bigint {
  return divHalfUp(amount * BigInt(bp), BP);
}

/**
 * The equal installment of a declining-balance loan, P·r / (1 − (1 + r)^−n), rounded
 * half-up to the cent, computed exactly: with r = b / B (B = 10,000),
 * P·r / (1 − (1 + r)^−n) = P·b·(B + b)^n / (B·((B + b)^n − B^n)).
 */
export function equalInstallment(principal: bigint, rateBp: number, n: number): bigint {
  const b = BigInt(rateBp);
  const count = BigInt(n);
  if (b === 0n) return divHalfUp(principal, count);
  const grown = (BP + b) ** count;
  return divHalfUp(principal * b * grown, BP * (grown - BP ** count));
}
