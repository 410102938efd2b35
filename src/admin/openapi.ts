/**
 * The OpenAPI 3.1 document of the admin API, generated from the same route declarations
 * and ajv schemas that validate requests (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
import type { AdminRoute, JsonSchema } from './route.js';

function parameters(route: AdminRoute): unknown[] {
  const out: unknown[] = [];
  const add = (schema: JsonSchema | undefined, where: 'path' | 'query') => {
    const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = (schema?.required ?? []) as string[];
    for (const [name, s] of Object.entries(props)) out.push({ name, in: where, required: where === 'path' || required.includes(name), schema: s });
  };
  add(route.params, 'path');
  add(route.query, 'query');
  if (route.idempotent) out.push({ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } });
  return out;
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' }, reason: { type: 'string' }, field: { type: 'string' } } } } },
});

/** Builds the document for `routes` (paths under /admin). */
export function openApiDocument(routes: AdminRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/admin${r.path}`;
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      description: `Scope: \`${r.scope}\`.${r.method === 'get' ? '' : ' Writes an audit row.'}`,
      'x-scope': r.scope,
      security: [{ apiKey: [] }],
      parameters: parameters(r),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses: {
        '2XX': { description: 'OK', content: { 'application/json': { schema: r.response ?? {} } } },
        400: error('Invalid request: `field` names the failing field'),
        401: error('Missing, wrong or revoked API key'),
        403: error('The key lacks the scope'),
        404: error('Not found'),
        409: error('Conflict (insufficient funds, already reversed, Idempotency-Key reuse)'),
        429: error('Too many failed authentications from this address'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Simu admin API',
      version: '1',
      description: 'Amounts are integers of cents with the currency beside them (`"amount": 50000, "currency": "KES"` is KES 500.00). Lists page with `limit` and `cursor`.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer simu_<prefix>_<secret>' } } },
    paths,
  };
}
