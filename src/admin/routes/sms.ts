/** Admin routes for sms (filled in by issue 3's work). */
import type { AdminRoute } from '../route.js';

export const smsRoutes: AdminRoute[] = [];
