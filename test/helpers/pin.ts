/**
 * Whether a value (a log line, a stored record) carries a PIN: some string or number in
 * it, cut at every character that is not a letter or digit, has the PIN as a whole piece.
 * `1*0712345678*[pin]` does not; `1*7391` or `{"pin":"7391"}` does. Random material (a
 * hex MAC, an MSISDN that happens to hold the digits) is one longer piece and does not
 * count; keys named in `ignore` (UUID ids, whose 4-digit groups may match) are skipped.
 */
export function carriesPin(value: unknown, pin: string, ignore: string[] = []): boolean {
  if (typeof value === 'string' || typeof value === 'number') return String(value).split(/[^A-Za-z0-9]+/).includes(pin);
  if (Array.isArray(value)) return value.some((v) => carriesPin(v, pin, ignore));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => !ignore.includes(k) && carriesPin(v, pin, ignore));
  }
  return false;
}
