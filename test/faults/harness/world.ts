/**
 * A scenario's world: its own database on the suite's private PostgreSQL (a copy of a
 * template migrated and seeded by the Procfile's release step and `npm run seed`), its own
 * private Redis (services.ts), a local Africa's Talking stand-in at AT's real SMS endpoint
 * (bench/at-standin.ts), funded customers, and Simu's web and worker processes started as
 * the Procfile says. The test process reads the same database
 * through its own pool to count what happened.
 */
import { createDb, type Knex } from '../../../src/db/index.js';
import { registerCustomer } from '../../../src/customers/index.js';
import { systemAccount, transfer } from '../../../src/ledger/index.js';
import { nationalFormat } from '../../../src/phone/index.js';
import { startAtStandIn, type AtStandIn } from '../../../bench/at-standin.js';
import pg from 'pg';
import { sharedPostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './services.js';
import { procfile, runOnce, startProcess, type SimuProcess } from './procs.js';

/** Every fault-suite customer's PIN. */
export const PIN = '1234';

/** A registered, funded customer. */
export interface Party {
  /** E.164, as AT posts phoneNumber. */
  msisdn: string;
  /** `07…`, as a user types a recipient. */
  national: string;
  walletAccountId: number;
}

/** A running world; `close()` stops every process and server it started. */
export interface World {
  pg: PrivatePostgres;
  redis: PrivateRedis;
  at: AtStandIn;
  /** The environment Simu's processes run with. */
  env: Record<string, string>;
  /** The test's own pool on Simu's database. */
  db: Knex;
  webs: SimuProcess[];
  workers: SimuProcess[];
  /** Starts one more web process (on `port` when given, e.g. to take a dead one's place). */
  startWeb(port?: number): Promise<SimuProcess>;
  startWorker(): Promise<SimuProcess>;
  /** Registers `count` customers `+2547<group><7 digits>`, each funded with `kes` shillings. */
  makeCustomers(group: number, count: number, kes: number): Promise<Party[]>;
  /** `npm run ledger:check` against Simu's database: its exit status and output. */
  ledgerCheck(): { status: number; output: string };
  close(): Promise<void>;
}

const TEMPLATE = 'simu_faults_template';
let template: Promise<void> | undefined;
let worlds = 0;

/**
 * Migrates and seeds the template database once per run, as a deploy does: the Procfile's
 * release step, then `npm run seed`. Each world's database is a copy of it.
 */
function migratedTemplate(cluster: PrivatePostgres): Promise<void> {
  template ??= (async () => {
    const env = { DATABASE_URL: cluster.url(TEMPLATE), LOG_LEVEL: 'error', NODE_ENV: 'production' };
    for (const step of [procfile().release ?? 'npm run migrate', 'npm run seed']) {
      const r = runOnce(step, env);
      if (r.status !== 0) throw new Error(`${step} failed (${r.status}):\n${r.output.slice(-2000)}`);
    }
  })();
  return template;
}

async function createDatabase(cluster: PrivatePostgres, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
}

/** Builds a world; `extraEnv` is added to Simu's processes' environment. */
export async function startWorld(extraEnv: Record<string, string> = {}): Promise<World> {
  const cluster = await sharedPostgres();
  await migratedTemplate(cluster);
  const database = `simu_faults_${process.pid}_${++worlds}`;
  await createDatabase(cluster, database);
  const redis = await startPrivateRedis();
  const at = await startAtStandIn();
  const env: Record<string, string> = {
    DATABASE_URL: cluster.url(database),
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    AT_CALLBACK_TOKEN: '',
    SMS_PER_SECOND: '200',
    ...at.env,
    ...extraEnv,
  };
  const db = createDb(env.DATABASE_URL, 20);
  const world: World = {
    pg: cluster, redis, at, env, db, webs: [], workers: [],
    async startWeb(port) {
      const p = await startProcess('web', env, port);
      world.webs.push(p);
      return p;
    },
    async startWorker() {
      const p = await startProcess('worker', env);
      world.workers.push(p);
      return p;
    },
    makeCustomers: (group, count, kes) => makeCustomers(db, group, count, kes),
    ledgerCheck: () => runOnce('npm run --silent ledger:check', env),
    async close() {
      await Promise.all([...world.webs, ...world.workers].map((p) => p.stop(10_000).catch(() => undefined)));
      await db.destroy().catch(() => undefined);
      await at.close();
      await redis.destroy();
    },
  };
  return world;
}

async function makeCustomers(db: Knex, group: number, count: number, kes: number): Promise<Party[]> {
  const opening = await systemAccount(db, 'opening');
  const made: Party[] = [];
  for (let start = 0; start < count; start += 10) {
    const batch = Array.from({ length: Math.min(10, count - start) }, (_, k) => start + k);
    made.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const msisdn = `+2547${group}${String(i).padStart(7, '0')}`;
          const c = await registerCustomer(
            { msisdn, firstName: 'Fault', lastName: `Party${group}x${i}`, nationalId: String(20_000_000 + group * 1_000_000 + i), pin: PIN },
            db,
            { welcomeSms: false },
          );
          if (kes > 0) {
            const cents = BigInt(kes) * 100n;
            await transfer(
              {
                idempotencyKey: `faults:fund:${msisdn}`, kind: 'seed', amount: cents, memo: 'fault suite opening balance',
                postings: [{ accountId: opening.id, amount: cents }, { accountId: c.walletAccountId, amount: -cents }],
              },
              {},
              db,
            );
          }
          return { msisdn, national: nationalFormat(msisdn), walletAccountId: c.walletAccountId };
        }),
      )),
    );
  }
  return made;
}
