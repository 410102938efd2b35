/**
 * Phone numbers (MSISDNs), parsed with libphonenumber-js. Simu stores and compares them in
 * E.164 (`+254712345678`). Pure: menus use it too.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The country whose national format customers type by default. */
export const DEFAULT_COUNTRY = 'KE';

/**
 * Normalises what a user types or AT sends into E.164: `0712345678`, `712345678`,
 * `254712345678` and `+254712345678` all give `+254712345678`. Returns null for anything
 * that is not a valid mobile number (a landline cannot hold a wallet).
 */
export function normalizeMsisdn(input: string): string | null {
  const text = input.trim().replace(/[\s-]/g, '');
  if (!/^\+?[0-9]{6,15}$/.test(text)) return null;
  const withPlus = !text.startsWith('+') && text.startsWith('254') && text.length === 12 ? `+${text}` : text;
  const parsed = parsePhoneNumberFromString(withPlus, DEFAULT_COUNTRY);
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return null;
  return parsed.number;
}

/** `+254712345678` → `0712345678`, as Kenyans write their own numbers. */
export function nationalFormat(msisdn: string): string {
  const parsed = parsePhoneNumberFromString(msisdn);
  return parsed && parsed.country === DEFAULT_COUNTRY ? `0${parsed.nationalNumber}` : msisdn;
}

/**
 * `+254712345126` → `0712***126`: enough for a merchant or an agent to tell who paid or who
 * stands at the counter, not the whole number. A number too short to mask keeps only its
 * last three digits.
 */
export function maskedNational(msisdn: string): string {
  const national = nationalFormat(msisdn);
  return national.length > 6 ? `${national.slice(0, 4)}***${national.slice(-3)}` : `***${national.slice(-3)}`;
}
