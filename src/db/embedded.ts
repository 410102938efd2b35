/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly, @electric-sql/pglite)
 * on disk under `<dataDir>/pglite`, through knex-pglite. One process at a time may open
 * it, so the process that does holds `<dataDir>/pglite.pid`; another that tries is told
 * who holds it and exits (75, EX_TEMPFAIL) rather than open the files a second time.
 *
 * PGlite answers int8 as a JavaScript number where pg (src/db/index.ts) gives `bigint`:
 * the parser below makes both the same, so amounts are `bigint` whichever database runs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { PGlite, types } from '@electric-sql/pglite';
import ClientPgLite from 'knex-pglite';

/** Who holds the embedded database, when another live process does. */
export function embeddedDbHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'pglite.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Takes the embedded database for this process: writes `<dataDir>/pglite.pid`, removed
 * again when the process exits. When a live process holds it, prints what to do and
 * exits with 75.
 */
function holdEmbeddedDb(dataDir: string): void {
  const holder = embeddedDbHolder(dataDir);
  if (holder !== undefined) {
    const where = relative(process.cwd(), dataDir) || '.';
    process.stderr.write(
      `simu: the embedded database in ${where}/ is open in another Simu process (pid ${holder}, ` +
        'usually `npm start`), and only one process may open it. Stop that process (Ctrl-C) and run ' +
        'this again; or run Simu on PostgreSQL and Redis (set DATABASE_URL and REDIS_URL, see README).\n',
    );
    process.exit(75);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'pglite.pid');
  writeFileSync(file, String(process.pid));
  process.once('exit', () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      // gone already
    }
  });
}

/**
 * A knex instance on the embedded database in `dataDir`, with the same migrations and
 * seeds as PostgreSQL's. Its pool is PGlite's one connection: queries and transactions
 * take turns.
 */
export function createEmbeddedDb(dataDir: string, dirs: { migrations: string; seeds: string }): Knex {
  holdEmbeddedDb(dataDir);
  const pglite = new PGlite(join(dataDir, 'pglite'), {
    parsers: {
      [types.INT8]: (v: string) => BigInt(v),
      // pg leaves int8[] as strings; so does this, rather than lose precision.
      1016: (v: string) => types.arrayParser(v, (x: string) => x, 1016),
    },
  });
  return knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    connection: { pglite } as unknown as Knex.StaticConnectionConfig,
    migrations: { directory: dirs.migrations, loadExtensions: ['.ts'], tableName: 'knex_migrations' },
    seeds: { directory: dirs.seeds, loadExtensions: ['.ts'] },
  });
}
