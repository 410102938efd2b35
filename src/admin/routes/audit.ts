/** The audit log, newest first. Scope `read`. */
import { defineRoute, schemas, type AdminRoute } from '../route.js';
import { objectSchema } from '../validate.js';
import { pageBy } from '../paging.js';

const auditRow = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, keyName: { type: 'string' }, method: { type: 'string' }, route: { type: 'string' }, target: { type: 'string' },
    before: {}, after: {}, requestId: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' },
  },
};

export const auditRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/audit',
    scope: 'read',
    summary: 'Page the audit log (newest first); filter by target',
    query: objectSchema({ ...schemas.paging, target: { type: 'string', maxLength: 100 } }),
    response: schemas.page(auditRow),
    handler: async ({ query }, { db }) => {
      const q = db('audit_log');
      if (query.target) q.where({ target: query.target });
      return {
        body: await pageBy(q, query, (r) => ({
          id: r.id, keyName: r.key_name, method: r.method, route: r.route, target: r.target,
          before: r.before, after: r.after, requestId: r.request_id, createdAt: r.created_at,
        })),
      };
    },
  }),
];
