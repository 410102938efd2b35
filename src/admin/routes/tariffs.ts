/** Admin routes for tariffs (filled in by issue 3's work). */
import type { AdminRoute } from '../route.js';

export const tariffsRoutes: AdminRoute[] = [];
