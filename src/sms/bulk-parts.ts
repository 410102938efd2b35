/**
 * How many SMS parts a text takes, and what a send is estimated to cost. GSM-7 texts fit
 * 160 characters in one SMS and 153 per part once split (the rest of each part carries the
 * concatenation header); extension characters (^{}\[~]|€) take two. A text with any
 * character GSM-7 lacks goes as UCS-2: 70 characters in one SMS, 67 per part.
 */
import { gsm7Length, toGsm7 } from '../../menus/gsm7.js';

/**
 * AT's list price for one bulk SMS part to a Kenyan number, in KES cents (KES 0.80, the
 * `cost` AT answers a send with: `KES 0.8000`). Negotiated rates and other countries
 * differ: costs computed with it are estimates.
 */
export const SMS_PART_PRICE_CENTS = 80;

/** A text's encoding, its length in that encoding's units, and its parts. */
export interface SmsParts {
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  parts: number;
}

/** The parts `text` takes (at least 1). */
export function smsParts(text: string): SmsParts {
  if (toGsm7(text) === text) {
    const characters = gsm7Length(text);
    return { encoding: 'GSM-7', characters, parts: characters <= 160 ? 1 : Math.ceil(characters / 153) };
  }
  const characters = text.length; // UTF-16 code units: a character outside the BMP takes two
  return { encoding: 'UCS-2', characters, parts: characters <= 70 ? 1 : Math.ceil(characters / 67) };
}
