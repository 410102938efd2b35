/** Chamas for operators (issue 9): placeholder until the routes land. */
import type { AdminRoute } from '../route.js';

export const chamaRoutes: AdminRoute[] = [];
