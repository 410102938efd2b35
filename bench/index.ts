/**
 * `npm run bench`: figures for Simu's USSD path against the real PostgreSQL and Redis, in
 * the bench's own database (`simu_bench`, reset each run) and Redis database 2.
 *
 *   1. a bare Express route (Express's floor), at the same concurrency;
 *   2. USSD navigation hops (no money moves);
 *   3. complete Send Money sessions from 200 payers, then from one hot payer;
 *
 * then the ledger invariants. Simu and the bare server run as child processes; the load
 * runs here. Every run is bounded in count and time. Progress goes to stderr, figures to
 * stdout; the exit code is 1 when an answer was wrong or the ledger is broken.
 *
 * `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the Simu server into <dir> (open it
 * in Chrome DevTools) to see where a hop's time goes.
 */
import os from 'node:os';
import { applyBenchEnv } from './env.js';
import { createClient, stats, type Client } from './load.js';
import { startServer, type ChildServer } from './servers.js';
import { bareRun, navigationRun, sendMoneyRun, type MoneyResult, type ScenarioResult } from './scenarios.js';

const CONCURRENCY = 50;
const PAYERS = 200;
// Many payers send KES 150 (charge KES 5): every send also locks revenue:charges, the
// platform's real hot account. The hot payer sends KES 10 (no charge) so that its own
// wallet is the one contended row, and its daily limit lasts the run.
const MANY_KES = 150;
const HOT_KES = 10;
const LIMITS = {
  bare: { concurrency: CONCURRENCY, maxTasks: 30_000, maxMs: 5_000 },
  navigation: { concurrency: CONCURRENCY, maxTasks: 4_000, maxMs: 10_000 }, // 3 hops each
  manyPayers: { concurrency: CONCURRENCY, maxTasks: 3_000, maxMs: 20_000 },
  hotPayer: { concurrency: CONCURRENCY, maxTasks: 2_000, maxMs: 20_000 },
};

const progress = (msg: string) => process.stderr.write(`· ${msg}\n`);

async function main(): Promise<number> {
  const env = applyBenchEnv(); // before any src module is imported (config is read once)
  const fixtures = await import('./fixtures.js');
  const runTag = Date.now().toString(36); // sessions of earlier runs may still be in Redis
  const cpus = os.cpus();
  console.log(`Simu bench: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}, node ${process.version}`);
  console.log(`PostgreSQL ${env.DATABASE_URL}, Redis ${env.REDIS_URL}, ${CONCURRENCY} concurrent connections; load, servers, PostgreSQL and Redis share this machine`);

  progress('resetting simu_bench (drop, migrate, seed)');
  await fixtures.resetBenchDatabase();
  progress(`registering and funding ${PAYERS} payers, ${PAYERS} recipients and 1 hot payer through the ledger`);
  const payers = await fixtures.makeCustomers(1, PAYERS, 5_000, 'Payer');
  const recipients = await fixtures.makeCustomers(2, PAYERS, 0, 'Payee');
  const [hot] = await fixtures.makeCustomers(9, 1, 50_000, 'Hot');

  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  let warmupConfirmed = 0;
  try {
    progress('starting Simu (src/server.ts) and the bare Express server as child processes');
    const profileDir = process.env.BENCH_CPU_PROF;
    const simu = await startServer('simu', 'src/server.ts', env, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    servers.push(simu);
    const bare = await startServer('bare express', 'bench/bare-server.ts', {});
    servers.push(bare);
    const simuClient = createClient(simu.port, CONCURRENCY);
    const bareClient = createClient(bare.port, CONCURRENCY);
    clients.push(simuClient, bareClient);

    progress('warming up');
    await bareRun(bareClient, { concurrency: CONCURRENCY, maxTasks: 3_000, maxMs: 3_000 });
    await navigationRun(simuClient, { concurrency: CONCURRENCY, maxTasks: 200, maxMs: 5_000 }, payers, `${runTag}-warm-nav`);
    const warm = await sendMoneyRun(simuClient, { concurrency: CONCURRENCY, maxTasks: 100, maxMs: 10_000 }, (i) => ({ payer: payers[i % PAYERS], recipient: recipients[i % PAYERS] }), { tag: `${runTag}-warm-money`, kes: MANY_KES, pin: fixtures.BENCH_PIN });
    warmupConfirmed = warm.confirmed;

    progress('measuring: bare Express');
    const bareResult = await bareRun(bareClient, LIMITS.bare);
    progress('measuring: USSD navigation');
    const nav = await navigationRun(simuClient, LIMITS.navigation, payers, `${runTag}-nav`);
    progress(`measuring: Send Money, ${PAYERS} payers`);
    const many = await sendMoneyRun(simuClient, LIMITS.manyPayers, (i) => ({ payer: payers[i % PAYERS], recipient: recipients[i % PAYERS] }), { tag: `${runTag}-many`, kes: MANY_KES, pin: fixtures.BENCH_PIN });
    progress('measuring: Send Money, 1 hot payer');
    const hotRun = await sendMoneyRun(simuClient, LIMITS.hotPayer, (i) => ({ payer: hot, recipient: recipients[i % PAYERS] }), { tag: `${runTag}-hot`, kes: HOT_KES, pin: fixtures.BENCH_PIN });

    for (const c of clients.splice(0)) c.close();
    progress('checking the ledger');
    const ledger = await fixtures.ledgerReport();
    const stops = [];
    for (const s of servers.splice(0)) stops.push({ server: s, stop: await s.stop() });

    printFigures(bareResult, nav, many, hotRun);
    const wrong = [bareResult, nav, many, hotRun].reduce((n, r) => n + r.failures.total, 0);
    console.log('');
    console.log(`Wrong answers: ${wrong}`);
    for (const [name, r] of [['bare', bareResult], ['navigation', nav], ['200 payers', many], ['hot payer', hotRun]] as const) {
      for (const line of r.failures.lines()) console.log(`  ${name}: ${line}`);
    }
    const expected = warmupConfirmed + many.confirmed + hotRun.confirmed;
    console.log(
      `Ledger (checkLedger over simu_bench): ${ledger.breaches.length === 0 ? 'all invariants hold' : `${ledger.breaches.length} invariant(s) BROKEN`}; ` +
        `${ledger.entries} entries, ${ledger.postings} postings; ${ledger.p2pEntries} send-money entries for ${expected} confirmed sessions (${warmupConfirmed} in warm-up)` +
        (ledger.p2pEntries === expected ? '' : ' MISMATCH'),
    );
    for (const b of ledger.breaches) console.log(`  ${b.invariant}: ${b.count} × ${JSON.stringify(b.sample)}`);
    for (const { server, stop } of stops) {
      const how = stop.killed ? `did not stop on SIGTERM, killed after ${stop.ms} ms` : `stopped on SIGTERM in ${stop.ms} ms (exit ${stop.code ?? stop.signal})`;
      const errors = server.errorLines();
      console.log(`Server ${server.name}: ${how}; ${errors.length} error log line(s)${errors.length ? `, first: ${errors[0].slice(0, 300)}` : ''}`);
    }
    const healthy = wrong === 0 && ledger.breaches.length === 0 && ledger.p2pEntries === expected && stops.every((s) => !s.stop.killed && s.stop.code === 0);
    return healthy ? 0 : 1;
  } finally {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop().catch(() => undefined);
    await fixtures.closeFixtures();
  }
}

function printFigures(bare: ScenarioResult, nav: ScenarioResult, many: MoneyResult, hotRun: MoneyResult): void {
  const rows: string[][] = [['scenario (50 concurrent)', 'count', 'throughput', 'p50', 'p99', 'max']];
  const add = (name: string, samples: number[], rate: string) => {
    const s = stats(samples);
    rows.push([name, String(s.count), rate, ms(s.p50), ms(s.p99), ms(s.max)]);
  };
  const perSecond = (n: number, r: ScenarioResult, unit: string) => `${(n / (r.outcome.elapsedMs / 1000)).toFixed(0)} ${unit}`;
  add('bare Express POST /ussd', bare.latencies, perSecond(bare.requests, bare, 'req/s'));
  add('USSD navigation hop ("", "1", "1*0")', nav.latencies, perSecond(nav.requests, nav, 'hops/s'));
  for (const [name, r] of [[`send money, ${PAYERS} payers, KES ${MANY_KES}: session`, many], [`send money, 1 hot payer, KES ${HOT_KES}: session`, hotRun]] as const) {
    add(name, r.sessions, perSecond(r.confirmed, r, 'sessions/s'));
    add('  final hop (PIN, moves money)', r.finals, perSecond(r.finals.length, r, 'hops/s'));
  }
  console.log('');
  printTable(rows);
  console.log('');
  const hopRows: string[][] = [['send-money hop', `${PAYERS} payers p50`, 'p99', 'hot payer p50', 'p99']];
  const names = ['1 ""', '2 "1"', '3 "1*<to>"', '4 "…*<amount>"', '5 "…*1" (confirm)', '6 "…*<pin>" (send)'];
  names.forEach((name, i) => {
    const a = stats(many.byHop[i]);
    const b = stats(hotRun.byHop[i]);
    hopRows.push([name, ms(a.p50), ms(a.p99), ms(b.p50), ms(b.p99)]);
  });
  printTable(hopRows);
}

function ms(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '-';
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  rows.forEach((r, i) => {
    console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
