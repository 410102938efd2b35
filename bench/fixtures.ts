/**
 * The bench's data: a fresh `simu_bench` database (dropped, created, migrated and seeded
 * on every run, so that figures do not drift with what earlier runs left behind) and
 * customers registered and funded through the ledger, as test/helpers/customers.ts does.
 *
 * Imports Simu's modules statically: import this file only after applyBenchEnv().
 */
import pg from 'pg';
import { config } from '../src/config/index.js';
import { db, ensureDatabase } from '../src/db/index.js';
import { registerCustomer, type Customer } from '../src/customers/index.js';
import { checkLedger, systemAccount, transfer, type LedgerBreach } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { BENCH_DATABASE } from './env.js';

/** Every bench customer's PIN. */
export const BENCH_PIN = '1234';

/** A registered, funded bench customer. */
export interface BenchCustomer {
  /** E.164, as AT posts it in `phoneNumber`. */
  msisdn: string;
  /** `07…`, as a user types a recipient. */
  national: string;
  walletAccountId: number;
}

/**
 * Drops and recreates the bench database, then runs Simu's migrations and seeds in it.
 * Refuses any database but `simu_bench`.
 */
export async function resetBenchDatabase(): Promise<void> {
  const url = new URL(config.databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (name !== BENCH_DATABASE) throw new Error(`refusing to reset ${name}: the bench only resets ${BENCH_DATABASE}`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${BENCH_DATABASE}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await ensureDatabase();
  await db.migrate.latest();
  await db.seed.run();
}

/**
 * Registers `count` customers whose MSISDNs are `+2547<group><6 digits>` (group one digit
 * 1-9 keeps the groups apart and the numbers valid Safaricom ones), each holding `kes`
 * shillings moved from equity:opening by one ledger transfer.
 */
export async function makeCustomers(group: number, count: number, kes: number, label: string): Promise<BenchCustomer[]> {
  const opening = await systemAccount(db, 'opening');
  const made: BenchCustomer[] = [];
  const batch = 8; // below the pool's 10 connections
  for (let start = 0; start < count; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
    made.push(...(await Promise.all(indexes.map((i) => makeOne(group, i, kes, label, opening.id)))));
  }
  return made;
}

async function makeOne(group: number, i: number, kes: number, label: string, openingId: number): Promise<BenchCustomer> {
  const msisdn = `+2547${group}${String(i).padStart(7, '0')}`;
  const customer: Customer = await registerCustomer(
    { msisdn, firstName: label, lastName: `Bench${i}`, nationalId: String(30_000_000 + group * 1_000_000 + i), pin: BENCH_PIN },
    db,
    { welcomeSms: false },
  );
  if (kes > 0) {
    const cents = BigInt(kes) * 100n;
    await transfer({
      idempotencyKey: `bench:fund:${msisdn}`,
      kind: 'seed',
      amount: cents,
      memo: 'bench opening balance',
      postings: [
        { accountId: openingId, amount: cents },
        { accountId: customer.walletAccountId, amount: -cents },
      ],
    });
  }
  return { msisdn, national: nationalFormat(msisdn), walletAccountId: customer.walletAccountId };
}

/** The ledger after the runs: invariant breaches and what the ledger holds. */
export interface LedgerReport {
  breaches: LedgerBreach[];
  /** Send-money entries (`kind = 'p2p'`). */
  p2pEntries: number;
  entries: number;
  postings: number;
}

/** Runs checkLedger() over the bench database and counts what it holds. */
export async function ledgerReport(): Promise<LedgerReport> {
  const breaches = await checkLedger(db);
  const { rows } = await db.raw(
    `SELECT (SELECT count(*) FROM journal_entries WHERE kind = 'p2p')::int AS p2p,
            (SELECT count(*) FROM journal_entries)::int AS entries,
            (SELECT count(*) FROM postings)::int AS postings`,
  );
  return { breaches, p2pEntries: rows[0].p2p, entries: rows[0].entries, postings: rows[0].postings };
}

/** Closes the bench process's database pool. */
export async function closeFixtures(): Promise<void> {
  await db.destroy();
}
