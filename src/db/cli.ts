/**
 * `npm run migrate` / `npm run seed`: creates the database when missing, then runs the
 * knex migrations or the (re-runnable) seeds.
 */
import { db, ensureDatabase } from './index.js';
import { logger } from '../logger/index.js';

const command = process.argv[2];
try {
  await ensureDatabase();
  if (command === 'migrate') {
    const [batch, files] = await db.migrate.latest();
    logger.info('migrations applied', { batch, files: files.length });
  } else if (command === 'seed') {
    const [files] = await db.seed.run();
    logger.info('seeds run', { files: files.length });
  } else {
    throw new Error(`unknown command ${command}: use migrate or seed`);
  }
} catch (err) {
  logger.error('database command failed', { command, error: (err as Error).message });
  process.exitCode = 1;
} finally {
  await db.destroy();
}
