/** The admin HTTP API: keys with scopes, validated routes, audit, idempotency, OpenAPI. */
export { adminRouter, bigintJson } from './router.js';
export { adminRoutes } from './routes/index.js';
export { createApiKey, authenticateKey } from './keys.js';
export { defineRoute, schemas, SCOPES, type AdminRoute, type Scope, type AdminContext, type AdminResult } from './route.js';
export { openApiDocument } from './openapi.js';
export { queueBoard } from './queue-board.js';
export { authenticate } from './auth.js';
