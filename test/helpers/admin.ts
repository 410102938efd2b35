/** Admin API test helpers: keys with chosen scopes, and JSON requests to /admin. */
import { randomInt } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { createApiKey } from '../../src/admin/index.js';
import type { Scope } from '../../src/admin/index.js';
import { appUrl } from './ussd.js';

/** A new key with `scopes` (named after the test). */
export async function adminKey(...scopes: Scope[]): Promise<string> {
  return (await createApiKey(db, `test-${scopes.join('-') || 'none'}`, scopes.length ? scopes : ['read'])).key;
}

/** A fresh client address, so that auth-failure counters of tests do not meet. */
export function clientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** Calls the admin API; returns status, parsed JSON body and headers. */
export async function admin(
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string>; address?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { 'x-forwarded-for': opts.address ?? clientAddress(), ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  // fetch upper-cases GET, POST, PUT and DELETE itself, but sends `patch` as written (and Node refuses it).
  const res = await fetch(`${await appUrl()}/admin${path}`, { method: method.toUpperCase(), headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
