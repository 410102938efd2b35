/** API keys: list, create (the key is shown once), revoke. Scope `admin`. */
import { NotFoundError } from '../../errors/index.js';
import { createApiKey, toKeyView } from '../keys.js';
import { defineRoute, schemas, SCOPES, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';

const keyView = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, prefix: { type: 'string' }, scopes: { type: 'array', items: { enum: [...SCOPES] } },
    createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] },
  },
};

export const keyRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/keys',
    scope: 'admin',
    summary: 'List API keys (never their secrets)',
    query: objectSchema({ ...schemas.paging }),
    response: schemas.page(keyView),
    handler: async ({ query }, { db }) => ({ body: await pageBy(db('api_keys'), query, toKeyView) }),
  }),
  defineRoute({
    method: 'post',
    path: '/keys',
    scope: 'admin',
    summary: 'Create an API key; the answer holds the key, shown this once',
    body: objectSchema({ name: { type: 'string', minLength: 1, maxLength: 60 }, scopes: { type: 'array', minItems: 1, items: { enum: [...SCOPES] } } }, ['name', 'scopes']),
    response: { type: 'object', properties: { key: { type: 'string' }, apiKey: keyView } },
    handler: async ({ body }, { db }) => {
      const { key, view } = await createApiKey(db, body.name, body.scopes);
      return { status: 201, body: { key, apiKey: view }, audit: { target: `api_key:${view.id}`, after: { name: view.name, scopes: view.scopes } } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/keys/{id}',
    scope: 'admin',
    summary: 'Revoke an API key: it stops working at once',
    params: objectSchema({ id: { ...schemas.id, maximum: 2_147_483_647 } }, ['id']),
    response: keyView,
    handler: async ({ params }, { db }) => {
      const before = await db('api_keys').where({ id: params.id }).first();
      if (!before) throw new NotFoundError(`no API key ${params.id}`);
      const [row] = await db('api_keys').where({ id: params.id }).update({ revoked_at: before.revoked_at ?? db.fn.now() }).returning('*');
      return { body: toKeyView(row), audit: { target: `api_key:${params.id}`, before: { revokedAt: before.revoked_at }, after: { revokedAt: row.revoked_at } } };
    },
  }),
];
