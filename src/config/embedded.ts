/**
 * The PIN key of embedded mode: made once, kept with the data it protects
 * (`<dataDir>/pin-secret`, readable by its owner only), so that PIN hashes stay valid
 * across restarts and a fresh data folder gets a fresh key. Server deployments set
 * PIN_SECRET instead (DESIGN.md, "Configuration").
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads `<dataDir>/pin-secret`, creating the folder and the file (48 random bytes,
 * base64url, mode 0600) the first time.
 *
 * @throws Error when the folder cannot be created or the file read (its message names the path)
 */
export function embeddedPinSecret(dataDir: string): string {
  const file = join(dataDir, 'pin-secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create ${file}: ${(err as Error).message}`);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters: delete it only together with the data it protects`);
  return secret;
}
