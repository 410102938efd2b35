/**
 * PIN hashing. A 4-digit PIN has 10,000 values: no work factor protects it once an
 * attacker holds both the hash and the key, and none is needed while they hold only the
 * hash. So the protection is (1) a server-side key (PIN_SECRET) that never sits in the
 * database, (2) a per-customer salt so equal PINs hash differently, and (3) the lockout.
 * HMAC-SHA256 costs ~0.03 ms here against 2-29 ms for argon2id, which keeps money sessions
 * per second bound by the ledger, not by PIN checks. The `v1$` prefix leaves room to move
 * to another scheme by re-hashing at the next successful check.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A valid PIN: exactly 4 digits. */
export function isPinFormat(pin: string): boolean {
  return /^[0-9]{4}$/.test(pin);
}

/** Hashes `pin` for `msisdn` as `v1$<salt hex>$<hmac hex>`; the PIN itself is never kept. */
export function hashPin(pin: string, msisdn: string, secret: string): string {
  const salt = randomBytes(16).toString('hex');
  return `v1$${salt}$${mac(pin, msisdn, salt, secret)}`;
}

/** True when `pin` matches `stored` (constant-time comparison). */
export function pinMatches(pin: string, msisdn: string, stored: string, secret: string): boolean {
  const [version, salt, digest] = stored.split('$');
  if (version !== 'v1' || !salt || !digest) return false;
  const expected = Buffer.from(digest, 'hex');
  const actual = Buffer.from(mac(pin, msisdn, salt, secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function mac(pin: string, msisdn: string, salt: string, secret: string): string {
  return createHmac('sha256', secret).update(`${salt}\0${msisdn}\0${pin}`).digest('hex');
}
