/**
 * GSM 03.38 (GSM-7) text: what a USSD screen can show. A screen holds 182 characters;
 * characters of the extension table (^{}\[~]|€) take two. Pure.
 */

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '^{}\\[~]|€';
const BASIC_SET = new Set(BASIC);
const EXTENSION_SET = new Set(EXTENSION);

/** The most characters one USSD screen shows. */
export const SCREEN_LIMIT = 182;

/** Length in GSM-7 septets: extension characters count two. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENSION_SET.has(ch) ? 2 : 1;
  return n;
}

/**
 * Makes `text` GSM-7: accents that GSM-7 lacks are dropped (`Wanjirũ` → `Wanjiru`), curly
 * quotes and dashes straightened, anything else becomes `?`.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-')) {
    if (BASIC_SET.has(ch) || EXTENSION_SET.has(ch)) {
      out += ch;
      continue;
    }
    const plain = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += [...plain].every((c) => BASIC_SET.has(c)) && plain.length > 0 ? plain : '?';
  }
  return out;
}

/** `text` cut to at most `max` septets. */
export function truncateGsm7(text: string, max: number): string {
  let n = 0;
  let out = '';
  for (const ch of text) {
    n += EXTENSION_SET.has(ch) ? 2 : 1;
    if (n > max) break;
    out += ch;
  }
  return out;
}
