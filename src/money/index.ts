/**
 * Money helpers. Amounts are KES cents as `bigint` everywhere; this is the one place that
 * turns them into text for people and parses what people type.
 */

/** Cents in one shilling. */
export const CENTS_PER_KES = 100n;

/** `150050n` → `KES 1,500.50`; whole shillings drop the cents (`KES 1,500`) to save screen. */
export function formatKes(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const shillings = (abs / CENTS_PER_KES).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = abs % CENTS_PER_KES;
  const text = rest === 0n ? shillings : `${shillings}.${rest.toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}KES ${text}`;
}

/**
 * Parses whole shillings as typed on a keypad (`"500"`) into cents; null when the text is
 * not a whole number of at most 9 digits (no sign, no decimals, no separators).
 */
export function parseWholeShillings(text: string): bigint | null {
  if (!/^[0-9]{1,9}$/.test(text)) return null;
  return BigInt(text) * CENTS_PER_KES;
}

/** Parses an int8 / JSON value (string, number or bigint) into cents. */
export function toCents(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not whole cents: ${value}`);
  return BigInt(value);
}

/**
 * Parses a decimal shilling amount as payment rails send it (`"3000.00"`, `"10"`, `"10.5"`:
 * Daraja's C2B `TransAmount`) into cents, without floats; null for anything else (a sign,
 * separators, exponents, more than 2 decimals or 12 whole digits, or an empty string).
 */
export function parseDecimalShillings(text: string): bigint | null {
  const m = /^([0-9]{1,12})(?:\.([0-9]{1,2}))?$/.exec(text);
  if (!m) return null;
  return BigInt(m[1]) * CENTS_PER_KES + BigInt((m[2] ?? '').padEnd(2, '0'));
}
