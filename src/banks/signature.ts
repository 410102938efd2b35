/**
 * Banks sign each webhook with HMAC-SHA256 of the raw request body, hex, under a shared
 * secret (/work/shared/reference/000_9f163036b5a0d679.txt, `verify_signature`). The check
 * runs on the bytes as received, before anything is parsed, in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 of `body` under `secret` (what a bank puts in its signature header). */
export function signBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * True when `signature` (the header's value, hex, either case) is the HMAC-SHA256 of
 * `body` under `secret`. A missing or malformed header is false; the comparison of the
 * digests takes the same time wherever they differ.
 */
export function signatureMatches(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature.trim())) return false;
  const given = Buffer.from(signature.trim(), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
