/**
 * Admin API keys: `simu_<prefix>_<secret>`. The prefix finds the row; the secret (32
 * random bytes) is compared as a SHA-256 hash. A key is printed once and never stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.js';
import { ValidationError } from '../errors/index.js';
import { SCOPES, type ApiKeyIdentity, type Scope } from './route.js';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A key row as the API shows it (never the hash). */
export interface ApiKeyView {
  id: number;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Maps an api_keys row. */
export function toKeyView(row: Record<string, unknown>): ApiKeyView {
  return {
    id: row.id as number,
    name: row.name as string,
    prefix: row.prefix as string,
    scopes: row.scopes as Scope[],
    createdAt: row.created_at as Date,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
    revokedAt: (row.revoked_at as Date | null) ?? null,
  };
}

/**
 * Creates a key named `name` with `scopes`; returns its view and the key itself, which
 * exists nowhere else afterwards.
 *
 * @throws ValidationError for an unknown scope or an empty name
 */
export async function createApiKey(db: Db, name: string, scopes: string[]): Promise<{ key: string; view: ApiKeyView }> {
  if (!/^[A-Za-z0-9 _.-]{1,60}$/.test(name)) throw new ValidationError('name: 1-60 letters, digits, space, _ . -', 'name');
  const bad = scopes.filter((s) => !SCOPES.includes(s as Scope));
  if (bad.length || scopes.length === 0) throw new ValidationError(`scopes: each one of ${SCOPES.join(', ')}`, 'scopes');
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const [row] = await db('api_keys').insert({ name, prefix, secret_hash: hash(secret), scopes: [...new Set(scopes)] }).returning('*');
  return { key: `simu_${prefix}_${secret}`, view: toKeyView(row) };
}

/** The live key `presented` stands for, or null (unknown, malformed, revoked). */
export async function authenticateKey(db: Db, presented: string): Promise<ApiKeyIdentity | null> {
  const m = /^simu_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  if (!m) return null;
  const row = await db('api_keys').where({ prefix: m[1] }).whereNull('revoked_at').first();
  if (!row) return null;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const actual = Buffer.from(hash(m[2]), 'hex');
  if (!timingSafeEqual(expected, actual)) return null;
  await db('api_keys').where({ id: row.id }).update({ last_used_at: db.fn.now() });
  return { id: row.id, name: row.name, scopes: row.scopes };
}
