/**
 * The admin router: every declared route gets, in this order, authentication, its scope,
 * ajv validation of params, query and body, then its handler. Writes run in one
 * transaction with their audit row (and, with an `Idempotency-Key`, the stored answer that
 * a repeat gets back).
 */
import { createHash } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { KeyStore } from '../keystore/index.js';
import type { Knex } from '../db/index.js';
import { currentLogContext } from '../logger/index.js';
import { authenticate } from './auth.js';
import { assertStorableText } from '../errors/index.js';
import { ForbiddenError, IdempotencyKeyError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { validateInput } from './validate.js';
import type { AdminContext, AdminResult, AdminRoute, ApiKeyIdentity } from './route.js';

/** `/customers/{msisdn}` → `/customers/:msisdn`. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Builds the router to mount at `/admin`. */
export function adminRouter(deps: { db: Knex; redis: KeyStore; routes: AdminRoute[] }): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  // A CSV upload (the school fees student import) may come as text/csv: it reaches the
  // route as `{ csv }`, validated by the route's body schema like any JSON body.
  router.use(express.text({ type: 'text/csv', limit: '2mb' }));
  const document = openApiDocument(deps.routes);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const auth = authenticate(deps.db, deps.redis);
  for (const route of deps.routes) {
    router[route.method](expressPath(route.path), auth, (req, res) => handle(deps.db, route, req, res));
  }
  return router;
}

async function handle(db: Knex, route: AdminRoute, req: Request, res: Response): Promise<void> {
  const key = res.locals.key as ApiKeyIdentity;
  if (!key.scopes.includes(route.scope)) throw new ForbiddenError(route.scope);
  assertStorableText(req.params, 'params');
  assertStorableText(req.query, 'query');
  assertStorableText(req.body);
  const input = {
    params: validateInput(route.params, { ...req.params }, 'params'),
    query: validateInput(route.query, { ...(req.query as object) }, 'query'),
    body: validateInput(route.body, typeof req.body === 'string' ? { csv: req.body } : (req.body ?? {}), 'body'),
  };
  const requestId = currentLogContext()?.requestId ?? 'none';
  if (route.method === 'get') {
    const result = await route.handler(input, { key, requestId, db });
    res.status(result.status ?? 200).json(result.body);
    return;
  }
  const idempotencyKey = req.get('idempotency-key')?.trim() || undefined;
  if (route.idempotent && !idempotencyKey) throw new IdempotencyKeyError('this route needs an Idempotency-Key header', 400);
  if (idempotencyKey && idempotencyKey.length > 200) throw new IdempotencyKeyError('Idempotency-Key: at most 200 characters', 400);
  const result = await db.transaction(async (trx) => {
    const ctx: AdminContext = { key, requestId, db: trx, idempotencyKey };
    const stored = idempotencyKey ? await claimIdempotencyKey(trx, key, idempotencyKey, route, input.body) : null;
    if (stored) return { ...stored, replayed: true };
    const r = await route.handler(input, ctx);
    await writeAudit(trx, route, ctx, r);
    if (idempotencyKey) {
      await trx('admin_idempotency').where({ key: `${key.id}:${idempotencyKey}` })
        .update({ status: r.status ?? 200, response: JSON.stringify(r.body, bigintJson) });
    }
    return { status: r.status ?? 200, body: r.body, replayed: false };
  });
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}

async function writeAudit(trx: Knex.Transaction, route: AdminRoute, ctx: AdminContext, r: AdminResult): Promise<void> {
  if (!r.audit) throw new Error(`admin route ${route.method.toUpperCase()} ${route.path} did not say what it audits`);
  await trx('audit_log').insert({
    api_key_id: ctx.key.id,
    key_name: ctx.key.name,
    method: route.method.toUpperCase(),
    route: route.path,
    target: r.audit.target,
    before: r.audit.before === undefined ? null : JSON.stringify(r.audit.before, bigintJson),
    after: r.audit.after === undefined ? null : JSON.stringify(r.audit.after, bigintJson),
    request_id: ctx.requestId,
  });
}

/** The stored answer of an earlier request with this key, or null after claiming it. */
async function claimIdempotencyKey(
  trx: Knex.Transaction, key: ApiKeyIdentity, idempotencyKey: string, route: AdminRoute, body: unknown,
): Promise<{ status: number; body: unknown } | null> {
  const id = `${key.id}:${idempotencyKey}`;
  const hash = createHash('sha256').update(JSON.stringify([route.method, route.path, body], bigintJson)).digest('hex');
  const claimed = await trx('admin_idempotency').insert({ key: id, request_hash: hash }).onConflict('key').ignore().returning('key');
  if (claimed.length) return null;
  const row = await trx('admin_idempotency').where({ key: id }).first();
  if (row.request_hash !== hash) throw new IdempotencyKeyError('this Idempotency-Key was used for a different request');
  return { status: row.status, body: row.response };
}

/** JSON replacer: bigint cents as JSON integers (safe up to 2^53), beyond that as strings. */
export function bigintJson(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}
