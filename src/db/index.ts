/**
 * The PostgreSQL connection (knex + pg). int8 columns come back as `bigint`: amounts are
 * KES cents end to end and are parsed here, in one place. Remember that `sum(bigint)` is
 * `numeric` in PostgreSQL: cast it (`::bigint`) to get a bigint back.
 */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { config } from '../config/index.js';
import { createEmbeddedDb } from './embedded.js';

pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => BigInt(v));

export type { Knex };
export { inTransaction, nextSerialId } from './transactions.js';
export { embeddedDbHolder } from './embedded.js';
/** A knex instance or a transaction: functions that touch the database take either. */
export type Db = Knex | Knex.Transaction;

/** Builds a knex instance for `url` (the process uses `db` below). */
export function createDb(url: string = config.databaseUrl, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    migrations: { directory: migrationsDir, loadExtensions: ['.ts'], tableName: 'knex_migrations' },
    seeds: { directory: seedsDir, loadExtensions: ['.ts'] },
  });
}

export const migrationsDir = new URL('../../migrations', import.meta.url).pathname;
export const seedsDir = new URL('../../seeds', import.meta.url).pathname;

/** The process-wide pool: PostgreSQL's, or in embedded mode PGlite's (src/db/embedded.ts). */
export const db: Knex = config.embedded
  ? createEmbeddedDb(config.embedded.dataDir, { migrations: migrationsDir, seeds: seedsDir })
  : createDb();

/**
 * Creates the database named in `url` if it does not exist, connecting to the server's
 * `postgres` database to do so. Lets a newcomer run `npm run setup` on a fresh machine.
 */
export async function ensureDatabase(url: string = config.databaseUrl): Promise<void> {
  if (config.embedded && url === '') return; // PGlite makes its database on first open
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    // Two processes racing to create it: the loser sees duplicate_database.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}
