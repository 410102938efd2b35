/**
 * Ledger transfers beside pgbench's built-in tpcb-like script, on the same database, with
 * the same number of clients, in the same run (issue 11):
 *
 *   - `pgbench_tpcb_like`: the ceiling (3 UPDATEs, 1 SELECT, 1 INSERT per transaction),
 *     run before and after the transfers: the ceiling is the mean of both (load drifts);
 *   - `ledger_uniform`: Simu's real `transfer()` between two random accounts among
 *     `accounts` funded wallet-like accounts (no overdraft, credit-normal);
 *   - `ledger_hot`: the same, but every transfer credits ONE hot account (a paybill).
 *
 * The transfers run in this process over a knex pool of exactly `clients` connections,
 * each with its own idempotency key, as production calls them, without hooks: one
 * `ledger_post()` statement per transfer. Transfers with a guard or afterPost (USSD send
 * money) take more round trips; send_money_sessions covers them. Imports Simu's modules
 * statically: import this file only after applyBenchEnv().
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { createDb, type Knex } from '../src/db/index.js';
import { checkLedger, openAccount, systemAccount, transfer, type LedgerBreach, type TransferRequest } from '../src/ledger/index.js';
import { figure, type Figure } from './figures.js';

/** What runLedgerBench() measures with. */
export interface LedgerBenchOptions {
  /** The bench database (its pgbench_* tables are created or replaced here). */
  databaseUrl: string;
  /** Concurrent transfers, pgbench clients and pool connections. */
  clients: number;
  /** Length of each timed run, seconds. */
  seconds: number;
  /** Funded wallet-like accounts the transfers pick from (default 10,000). */
  accounts?: number;
  /** pgbench's scale factor (default `clients`; at least `clients` keeps tpcb-like fair). */
  pgbenchScale?: number;
  /** Progress lines (default: none). */
  progress?: (msg: string) => void;
}

/** The figures and what the ledger looked like after them. */
export interface LedgerBenchResult {
  /** `ledger_uniform` and `ledger_hot`, each against `pgbench_tpcb_like`. */
  figures: Figure[];
  /** Statements (round trips) one uncontended transfer sends, BEGIN and COMMIT included. */
  roundTrips: number;
  /** Mean time of each statement of one uncontended transfer, ms, in the order sent. */
  statementMs: Array<{ sql: string; ms: number }>;
  /** checkLedger() after the runs: must be empty. */
  breaches: LedgerBreach[];
  /** Transfers that returned ok in the timed runs, and the entries the runs wrote. */
  transfers: number;
  entries: number;
}

const WALLET_KES = 1_000n; // each account's opening balance: 100,000 cents
const FUND_BATCH = 1_000; // legs per funding transfer
let runSeq = 0;

/** Runs pgbench tpcb-like, then uniform and hot ledger transfers; see the file's comment. */
export async function runLedgerBench(opts: LedgerBenchOptions): Promise<LedgerBenchResult> {
  const say = opts.progress ?? (() => undefined);
  const count = opts.accounts ?? 10_000;
  const db = createDb(opts.databaseUrl, opts.clients);
  const tag = `${Date.now().toString(36)}-${++runSeq}`;
  try {
    say(`opening and funding ${count} accounts and 1 hot account`);
    const wallets = await fundedWallets(db, count);
    const hot = await openAccount(db, { code: 'bench:paybill:hot', name: 'Bench hot paybill', type: 'liability' });

    const uniformReq = (n: string): TransferRequest => {
      const from = randomInt(wallets.length);
      let to = randomInt(wallets.length - 1);
      if (to >= from) to++;
      return p2p(`bench:u:${tag}:${n}`, 'bench_uniform', wallets[from], wallets[to]);
    };
    const hotReq = (n: string): TransferRequest => p2p(`bench:h:${tag}:${n}`, 'bench_hot', wallets[randomInt(wallets.length)], hot.id);

    say('counting round trips of one transfer');
    const trips = await countRoundTrips(db, () => uniformReq(`rt:${randomInt(1e9)}`));
    say(`warming up (${opts.clients} clients, 2 s)`);
    await drive(db, opts.clients, 2_000, (n) => uniformReq(`w:${n}`));

    const scale = opts.pgbenchScale ?? opts.clients;
    say(`pgbench -i -s ${scale}, then tpcb-like with ${opts.clients} clients for ${opts.seconds} s`);
    await pgbenchInit(opts.databaseUrl, scale);
    const pgBefore = await pgbenchRun(opts.databaseUrl, opts.clients, opts.seconds);
    say(`ledger transfers, uniform over ${count} accounts, ${opts.clients} clients for ${opts.seconds} s`);
    const uniform = await drive(db, opts.clients, opts.seconds * 1000, (n) => uniformReq(`m:${n}`));
    say(`ledger transfers, all crediting one hot account, ${opts.clients} clients for ${opts.seconds} s`);
    const hotRun = await drive(db, opts.clients, opts.seconds * 1000, (n) => hotReq(`m:${n}`));
    say(`pgbench tpcb-like again (the machine's load drifts): the ceiling is the mean of both runs`);
    const pgAfter = await pgbenchRun(opts.databaseUrl, opts.clients, opts.seconds);
    const pg = { tps: (pgBefore.tps + pgAfter.tps) / 2, latencyMs: (pgBefore.latencyMs + pgAfter.latencyMs) / 2 };

    say('checking the ledger');
    const breaches = await checkLedger(db);
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM idempotency_keys k JOIN journal_entries e ON e.id = k.journal_entry_id
       WHERE k.key LIKE ? OR k.key LIKE ?`,
      [`bench:u:${tag}:m:%`, `bench:h:${tag}:m:%`],
    );
    const common = { unit: 'transfers/s', ceiling_name: 'pgbench_tpcb_like', ceiling_value: pg.tps, concurrency: opts.clients };
    const note = (r: DriveResult) =>
      `${r.ok} transfers in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.refused} refused, ${r.failed} failed; hook-less transfer(), ` +
      `${trips.count} statement(s) per transfer; ` +
      `pgbench -s ${scale} -c ${opts.clients} -j 2 -M prepared before/after: ${pgBefore.tps.toFixed(0)}/${pgAfter.tps.toFixed(0)} tps, ` +
      `latency avg ${pg.latencyMs.toFixed(2)} ms`;
    return {
      figures: [
        figure({ name: 'ledger_uniform', value: uniform.rate, ...common, ...percentiles(uniform.latencies), notes: note(uniform) }),
        figure({ name: 'ledger_hot', value: hotRun.rate, ...common, ...percentiles(hotRun.latencies), notes: note(hotRun) }),
      ],
      roundTrips: trips.count,
      statementMs: trips.statements,
      breaches,
      transfers: uniform.ok + hotRun.ok,
      entries: rows[0].n as number,
    };
  } finally {
    await db.destroy();
  }
}

function p2p(key: string, kind: string, fromId: number, toId: number): TransferRequest {
  const amount = BigInt(1 + randomInt(100)); // 1-100 cents: wallets hold 100,000
  return { idempotencyKey: key, kind, amount, postings: [{ accountId: fromId, amount }, { accountId: toId, amount: -amount }] };
}

/**
 * `count` wallet-like accounts (`bench:wallet:<i>`, credit-normal, no overdraft), each
 * funded with KES 1,000 from equity:opening by ledger transfers of 1,000 legs. The rows
 * are inserted in bulk at balance zero (what openAccount() writes); money only moves
 * through transfer(). Safe to run twice: the keys replay.
 */
async function fundedWallets(db: Knex, count: number): Promise<number[]> {
  const codes = Array.from({ length: count }, (_, i) => `bench:wallet:${i}`);
  for (let i = 0; i < count; i += FUND_BATCH) {
    const rows = codes.slice(i, i + FUND_BATCH).map((code) => ({ code, name: code, type: 'liability', book: 'platform', normal_side: 'credit', no_overdraft: true }));
    await db('accounts').insert(rows).onConflict('code').ignore();
  }
  const ids: number[] = (await db('accounts').whereIn('code', codes).orderBy('id').pluck('id')) as number[];
  const opening = await systemAccount(db, 'opening');
  const cents = WALLET_KES * 100n;
  for (let i = 0; i < ids.length; i += FUND_BATCH) {
    const batch = ids.slice(i, i + FUND_BATCH);
    await transfer({
      idempotencyKey: `bench:ledger:fund:${count}:${i}`,
      kind: 'seed',
      amount: cents * BigInt(batch.length),
      memo: 'bench ledger opening balances',
      postings: [{ accountId: opening.id, amount: cents * BigInt(batch.length) }, ...batch.map((id) => ({ accountId: id, amount: -cents }))],
    }, {}, db);
  }
  return ids;
}

/**
 * Runs 200 transfers one after another and counts the statements each sends to the server
 * (pg Client.query calls, BEGIN and COMMIT included: pg does not pipeline, so each is a
 * round trip), with their mean time over the last 150.
 */
async function countRoundTrips(db: Knex, next: () => TransferRequest): Promise<{ count: number; statements: Array<{ sql: string; ms: number }> }> {
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  let perTransfer: Array<{ sql: string; ms: number }> = [];
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    const item = { sql: typeof config === 'string' ? config : config?.text ?? '?', ms: 0 };
    perTransfer.push(item);
    const t0 = performance.now();
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...a: unknown[]) => void;
      args[last] = (...a: unknown[]) => { item.ms = performance.now() - t0; cb(...a); };
    }
    return original.apply(this, args);
  };
  const samples: Array<Array<{ sql: string; ms: number }>> = [];
  try {
    for (let i = 0; i < 200; i++) {
      perTransfer = [];
      await transfer(next(), {}, db);
      samples.push(perTransfer);
    }
  } finally {
    proto.query = original;
  }
  const shape = samples[samples.length - 1];
  const tail = samples.slice(50);
  const statements = shape.map((s, i) => ({
    sql: s.sql.replace(/\s+/g, ' ').slice(0, 60),
    ms: Math.round((tail.reduce((sum, x) => sum + (x[i]?.ms ?? 0), 0) / tail.length) * 1000) / 1000,
  }));
  return { count: shape.length, statements };
}

interface DriveResult { ok: number; refused: number; failed: number; elapsedMs: number; rate: number; latencies: number[] }

/** `clients` loops, each sending one transfer at a time until `ms` have passed. */
async function drive(db: Knex, clients: number, ms: number, next: (n: string) => TransferRequest): Promise<DriveResult> {
  const latencies: number[] = [];
  let refused = 0;
  let failed = 0;
  let firstError: unknown;
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const t0 = performance.now();
      try {
        await transfer(next(`${c}:${n}`), {}, db);
        latencies.push(performance.now() - t0);
      } catch (err) {
        if ((err as { code?: string }).code === 'insufficient_funds') refused++;
        else { failed++; firstError ??= err; }
      }
    }
  }));
  const elapsedMs = performance.now() - start;
  if (firstError) process.stderr.write(`ledger bench: ${failed} transfer(s) failed, first: ${(firstError as Error).stack ?? String(firstError)}\n`);
  return { ok: latencies.length, refused, failed, elapsedMs, rate: latencies.length / (elapsedMs / 1000), latencies };
}

function percentiles(samples: number[]): { p50_ms: number; p99_ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100 : NaN;
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}

function pgArgs(url: string): string[] {
  const u = new URL(url);
  return ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), decodeURIComponent(u.pathname.slice(1))];
}

/** `pgbench -i -s <scale>` (drops and recreates the pgbench_* tables). */
async function pgbenchInit(url: string, scale: number): Promise<void> {
  const u = pgArgs(url);
  await run('pgbench', ['-i', '-q', '-s', String(scale), ...u]);
}

/** Runs tpcb-like for `seconds`; its `tps = ... (without initial connection time)`. */
async function pgbenchRun(url: string, clients: number, seconds: number): Promise<{ tps: number; latencyMs: number }> {
  const out = await run('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), '-M', 'prepared', ...pgArgs(url)]);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!tps) throw new Error(`no tps line in pgbench's output:\n${out}`);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  return { tps: Number(tps[1]), latencyMs: latency ? Number(latency[1]) : NaN };
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}
