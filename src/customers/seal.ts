/**
 * PIN seals: while a new PIN waits for its confirmation (registration, Change PIN), the
 * USSD session keeps only a keyed HMAC of it, bound to the sessionId, never the PIN.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../config/index.js';

/** A seal of `pin` for `sessionId`, keyed with PIN_SECRET (hex). */
export function sealPin(pin: string, sessionId: string): string {
  return createHmac('sha256', config.pinSecret).update(`seal\0${sessionId}\0${pin}`).digest('hex');
}

/** True when `pin` is the PIN sealed in `seal` for `sessionId`. */
export function sealMatches(pin: string, sessionId: string, seal: string): boolean {
  const a = Buffer.from(sealPin(pin, sessionId), 'hex');
  const b = Buffer.from(seal, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
