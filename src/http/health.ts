/**
 * `GET /healthz`: 200 when PostgreSQL and Redis answer, 503 naming the one that does not.
 * In embedded mode (one process, nothing installed) it names the stores that stand in for
 * them: PGlite on disk, and this process's memory for sessions, queues and SMS.
 */
import { relative } from 'node:path';
import { Router } from 'express';
import type { Knex } from 'knex';
import { config } from '../config/index.js';
import { MemoryKeyStore, type KeyStore } from '../keystore/index.js';

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** The health router. */
export function healthRouter(db: Knex, redis: KeyStore): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    if (redis instanceof MemoryKeyStore) {
      const up = await within(db.raw('SELECT 1'), 5000).then(() => true, () => false);
      const dataDir = relative(process.cwd(), config.embedded?.dataDir ?? 'data') || '.';
      res.status(up ? 200 : 503).json({
        status: up ? 'ok' : 'unavailable',
        mode: 'embedded',
        database: { store: `PGlite in ${dataDir}/pglite`, state: up ? 'up' : 'down' },
        sessions: 'memory',
        queues: 'memory',
        sms: 'memory: kept and logged, not sent',
      });
      return;
    }
    const [pg, rd] = await Promise.allSettled([within(db.raw('SELECT 1'), 1500), within(redis.ping(), 1500)]);
    const checks = { postgres: pg.status === 'fulfilled' ? 'up' : 'down', redis: rd.status === 'fulfilled' ? 'up' : 'down' };
    const down = Object.entries(checks).filter(([, v]) => v === 'down').map(([k]) => k);
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'unavailable' : 'ok', ...checks, ...(down.length ? { down } : {}) });
  });
  return router;
}
