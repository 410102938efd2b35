/**
 * Bank amounts, read exactly. Banks send shillings with a decimal point (`"amount": 50000.00`
 * in /work/shared/reference/000_9f163036b5a0d679.txt); a JSON number must never pass
 * through a float, so the amount is taken from the raw text of the body and converted to
 * cents by string arithmetic.
 */
import { ValidationError } from '../errors/index.js';
import { parseDecimalShillings } from '../money/index.js';

/**
 * Parses a decimal number of shillings (`"1500.50"`, `"50000"`, `"0.05"`) into KES cents,
 * with the one rail parser (parseDecimalShillings) and the bank webhook's reasons.
 *
 * @throws ValidationError (field `amount`) when it is not a plain decimal (no sign,
 *   exponent, separators or leading zeros), has more than 2 decimals, or is zero
 */
export function parseShillingsExact(text: string): bigint {
  if (/^\s*-/.test(text)) throw new ValidationError('amount: must be positive', 'amount');
  // Leading zeros are no number a bank would write (and no JSON number at all).
  const cents = /^0[0-9]/.test(text) ? null : parseDecimalShillings(text);
  if (cents === null) {
    if (/^[0-9]+\.[0-9]{3,}$/.test(text)) throw new ValidationError('amount: at most 2 decimal places (cents)', 'amount');
    throw new ValidationError(`amount: not a decimal number of shillings: ${JSON.stringify(text.slice(0, 30))}`, 'amount');
  }
  if (cents === 0n) throw new ValidationError('amount: must be more than zero', 'amount');
  return cents;
}

/**
 * The raw source text of every value of the top-level member `key` of the JSON object in
 * `json` (one entry per occurrence; a string value keeps its quotes). `json` must already
 * have passed JSON.parse: this scanner trusts its shape.
 */
export function rawTopLevelValues(json: string, key: string): string[] {
  const found: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      let j = skipSpace(json, end);
      if (depth === 1 && json[j] === ':') {
        const name = JSON.parse(json.slice(i, end)) as string;
        j = skipSpace(json, j + 1);
        if (name === key) found.push(json.slice(j, valueEnd(json, j)));
        i = j;
        continue;
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return found;
}

/**
 * The exact text of the top-level `amount` of `json` as a decimal string: a JSON number's
 * characters, or a JSON string's content.
 *
 * @throws ValidationError when there is no amount, it is given twice, or it is neither a number nor a string
 */
export function rawAmountText(json: string): string {
  const values = rawTopLevelValues(json, 'amount');
  if (values.length === 0) throw new ValidationError("body: must have required property 'amount'", 'amount');
  if (values.length > 1) throw new ValidationError('amount: given more than once', 'amount');
  const raw = values[0];
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (/^-?[0-9]/.test(raw)) return raw;
  throw new ValidationError('amount: must be a number or a string of shillings', 'amount');
}

function stringEnd(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return i;
}

/** End of a scalar value starting at `i` (a string, a number, true/false/null); nested values yield one character. */
function valueEnd(s: string, i: number): number {
  if (s[i] === '"') return stringEnd(s, i);
  let j = i;
  while (j < s.length && /[-+0-9.eEa-z]/.test(s[j])) j++;
  return j > i ? j : i + 1;
}
