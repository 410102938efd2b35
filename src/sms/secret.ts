/**
 * Secrets inside an SMS (a Forgot PIN one-time code, an agent's initial PIN) are never
 * stored in clear: the outbox row keeps the text with a `{secret}` placeholder, and the
 * secret sealed with AES-256-GCM under a key derived from PIN_SECRET (HKDF-SHA256, its own
 * label, so the PIN hashes' key is never used for encryption). The sender opens it just
 * before handing the text to AT and the row forgets it once sent or failed for good.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { config } from '../config/index.js';

/** Where the secret goes in the stored text. */
export const SECRET_PLACEHOLDER = '{secret}';

let key: Buffer | undefined;
function sealKey(): Buffer {
  key ??= Buffer.from(hkdfSync('sha256', config.pinSecret, 'simu', 'sms-outbox-secret-v1', 32));
  return key;
}

/** Seals `secret` as `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
export function sealSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/**
 * Opens a sealed secret.
 *
 * @throws Error when the text is not one `sealSecret` wrote under this PIN_SECRET
 */
export function openSecret(sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed SMS secret');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** The text to send: the stored text with its placeholder filled from the sealed secret. */
export function textToSend(message: string, sealed: string | null): string {
  return sealed ? message.split(SECRET_PLACEHOLDER).join(openSecret(sealed)) : message;
}
