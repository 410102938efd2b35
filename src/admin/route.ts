/**
 * How an admin route is declared: method, path, scope, the ajv schemas of its path
 * parameters, query and body (the same schemas feed validation and the OpenAPI document),
 * and a handler. The framework (./router.ts) does authentication, scope, validation,
 * the transaction, the audit row and Idempotency-Key replays, so that no route can skip
 * them.
 */
import type { Knex } from '../db/index.js';

/** What a key may do: `read` every GET; `operate` customers and SMS; `finance` money; `admin` keys. */
export type Scope = 'read' | 'operate' | 'finance' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'operate', 'finance', 'admin'];

/** A JSON Schema (draft 2020-12 subset that ajv and OpenAPI 3.1 share). */
export type JsonSchema = Record<string, unknown>;

/** The key a request was made with. */
export interface ApiKeyIdentity {
  id: number;
  name: string;
  scopes: Scope[];
}

/** What a handler receives besides the validated input. */
export interface AdminContext {
  key: ApiKeyIdentity;
  requestId: string;
  /** The `Idempotency-Key` header (routes with `idempotent: true` always have one). */
  idempotencyKey?: string;
  /** A transaction for writes (committed with the audit row), the pool for reads. */
  db: Knex | Knex.Transaction;
}

/** What a write records in the audit log: what it touched and a summary before and after. */
export interface AuditSummary {
  target: string;
  before?: unknown;
  after?: unknown;
}

/** A handler's answer. Writes (non-GET) must say what they audit. */
export interface AdminResult {
  status?: number;
  body: unknown;
  audit?: AuditSummary;
}

/** One admin route. `path` is OpenAPI-style, relative to /admin: `/customers/{msisdn}`. */
export interface AdminRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  scope: Scope;
  summary: string;
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /** The 2xx answer's schema, for the OpenAPI document. */
  response?: JsonSchema;
  /** Requires an `Idempotency-Key` header; a repeat returns the first answer. */
  idempotent?: boolean;
  // Inputs are validated against the schemas above before the handler runs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (input: { params: any; query: any; body: any }, ctx: AdminContext) => Promise<AdminResult>;
}

/** Declares a route (an identity function that keeps the literal types checked). */
export function defineRoute(route: AdminRoute): AdminRoute {
  return route;
}

/** Schemas used across routes. */
export const schemas = {
  /** Integer cents, as Stripe does: `50000` is KES 500.00. */
  cents: { type: 'integer', minimum: 0, maximum: 9_007_199_254_740_991 },
  positiveCents: { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 },
  msisdn: { type: 'string', pattern: '^\\+?[0-9]{9,15}$' },
  /** A bigserial id; int4 ids cap it at 2_147_483_647 (PostgreSQL refuses a larger one with an error, not a miss). */
  id: { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 },
  paging: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 100 },
  },
  /** A listing: `{ data: [...], nextCursor }`. */
  page: (item: JsonSchema) => ({
    type: 'object',
    properties: { data: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  }),
} as const;
