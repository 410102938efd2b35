/**
 * Embedded mode's start-up (DESIGN.md, "The processes"): with neither DATABASE_URL nor
 * REDIS_URL set, `npm start` is the whole of Simu in one process. This module prepares its
 * database (migrations every start, the demo seeds on the first) and runs the worker's
 * jobs in the same process; src/server.ts calls it before listening.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createApiKey, SCOPES } from '../admin/index.js';
import type { Knex } from '../db/index.js';
import { logger } from '../logger/index.js';
import { startWorker, type RunningWorker } from '../queue/index.js';

const log = logger.child({ component: 'embedded' });

/** What start-up did to the embedded database. */
export interface EmbeddedStart {
  /** True when this start created the database (and seeded the demo data). */
  firstStart: boolean;
  /** Migrations applied by this start. */
  migrations: number;
}

/**
 * Makes the admin API key of an embedded database (every scope) and writes it to
 * `<dataDir>/admin-key`, readable by its owner only: `npm run admin:key` cannot open the
 * database while the server holds it, so the server makes the first key itself.
 */
async function writeAdminKey(db: Knex, dataDir: string): Promise<string> {
  const { key } = await createApiKey(db, 'embedded', [...SCOPES]);
  const file = join(dataDir, 'admin-key');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return file;
}

/**
 * Says what embedded mode is, migrates the database, and seeds it when this start made
 * it: the demo customers, agents, school and chama of seeds/. The first start takes
 * 14 s from `npm start` to listening here; later starts 4.5 s.
 *
 * @throws whatever a migration or seed throws (the server then exits: nothing half-made is served)
 */
export async function prepareEmbedded(db: Knex, dataDir: string): Promise<EmbeddedStart> {
  const where = relative(process.cwd(), dataDir) || '.';
  log.info(
    'embedded mode: DATABASE_URL and REDIS_URL are not set, so this one process is all of Simu. ' +
      `Money and customers are kept in PGlite under ${where}/ (kept across restarts; delete the folder to start over); ` +
      'USSD sessions, rate limits and the worker\'s queues live in memory; SMS are kept in memory and logged, not sent ' +
      '(npm run phone shows them). For production set DATABASE_URL and REDIS_URL and run web and worker (Procfile).',
    { dataDir: where },
  );
  const firstStart = !(await db.schema.hasTable('knex_migrations'));
  if (firstStart) log.info('embedded mode: first start, creating the database');
  const [, files] = (await db.migrate.latest()) as [number, string[]];
  if (firstStart) {
    const [seeds] = (await db.seed.run()) as [string[]];
    const keyFile = relative(process.cwd(), await writeAdminKey(db, dataDir));
    log.info(`embedded mode: demo data seeded; the admin API key (every scope) is in ${keyFile}`, { seeds: seeds.length });
  }
  return { firstStart, migrations: files.length };
}

/**
 * The worker's jobs in this process: the SMS relay and sender (which keeps SMS instead of
 * sending them), airtime, merchant confirmations, M-Pesa's reviews and the daily runs, on
 * in-memory queues. Stop it before closing the queues and the database.
 */
export function startEmbeddedWorker(): RunningWorker {
  return startWorker({ concurrency: 5 });
}
