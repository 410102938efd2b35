/** `GET /healthz`: 200 when PostgreSQL and Redis answer, 503 naming the one that does not. */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** The health router. */
export function healthRouter(db: Knex, redis: Redis): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [pg, rd] = await Promise.allSettled([within(db.raw('SELECT 1'), 1500), within(redis.ping(), 1500)]);
    const checks = { postgres: pg.status === 'fulfilled' ? 'up' : 'down', redis: rd.status === 'fulfilled' ? 'up' : 'down' };
    const down = Object.entries(checks).filter(([, v]) => v === 'down').map(([k]) => k);
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'unavailable' : 'ok', ...checks, ...(down.length ? { down } : {}) });
  });
  return router;
}
