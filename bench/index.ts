/**
 * `npm run bench`: Simu's figures, each beside its ceiling measured in the same run on the
 * same machine, against the real PostgreSQL and Redis, in the bench's own database
 * (`simu_bench`, reset each run) and Redis database 2 (bench/env.ts):
 *
 *   - `ussd_hops`: USSD navigation hops/s at 50 and at 200 concurrent sessions, beside a
 *     bare Express route doing nothing at the same concurrency;
 *   - `send_money_sessions`: complete Send Money sessions/s (six hops, PIN check, ledger
 *     transfer, outbox rows) from 200 payers, beside bare Express requests/s ÷ 6;
 *   - `ledger_uniform`, `ledger_hot`: ledger transfers/s beside pgbench tpcb-like at the
 *     same client count (bench/ledger.ts);
 *   - `sms_outbox`: outbox rows/s through the worker, bull and the SDK to a local AT
 *     stand-in, beside the SDK alone (bench/sms-outbox.ts).
 *
 * The table goes to stdout and to `bench/results/<YYYY-MM-DD>.json` (a list of figures).
 * Simu and the bare server run as child processes; the USSD load runs here. Progress goes
 * to stderr; the exit code is 1 when an answer was wrong or the ledger is broken.
 * `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the Simu server into <dir>.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyBenchEnv } from './env.js';
import { figure, type Figure } from './figures.js';
import { createClient, stats, type Client } from './load.js';
import { ROOT, startServer, type ChildServer, runMain } from './servers.js';
import { bareRun, navigationRun, sendMoneyRun, type MoneyResult, type ScenarioResult } from './scenarios.js';

const PAYERS = 200;
const LEVELS = [50, 200];
// Payers send KES 150 (charge KES 5): every send also locks revenue:charges, the
// platform's real hot account.
const KES = 150;
const LEDGER_CLIENTS = 16;

const progress = (msg: string) => process.stderr.write(`· ${msg}\n`);

async function main(): Promise<number> {
  const env = applyBenchEnv(); // before any src module is imported (config is read once)
  const fixtures = await import('./fixtures.js');
  const { runLedgerBench } = await import('./ledger.js');
  const { runSmsOutboxBench } = await import('./sms-outbox.js');
  const runTag = Date.now().toString(36); // sessions of earlier runs may still be in Redis
  const cpus = os.cpus();
  console.log(`Simu bench: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}, node ${process.version}`);
  console.log(`PostgreSQL ${env.DATABASE_URL}, Redis ${env.REDIS_URL}; load, servers, PostgreSQL and Redis share this machine`);

  progress('resetting the bench database (drop, migrate, seed)');
  await fixtures.resetBenchDatabase();
  progress(`registering and funding ${PAYERS} payers and ${PAYERS} recipients through the ledger`);
  const payers = await fixtures.makeCustomers(1, PAYERS, 5_000, 'Payer');
  const recipients = await fixtures.makeCustomers(2, PAYERS, 0, 'Payee');
  const pairing = (i: number) => ({ payer: payers[i % PAYERS], recipient: recipients[i % PAYERS] });

  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  const figures: Figure[] = [];
  const problems: string[] = [];
  let confirmed = 0;
  try {
    progress('starting Simu (src/server.ts) and the bare Express server as child processes');
    const profileDir = process.env.BENCH_CPU_PROF;
    const simu = await startServer('simu', 'src/server.ts', env, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    servers.push(simu);
    const bare = await startServer('bare express', 'bench/bare-server.ts', {});
    servers.push(bare);
    const simuClient = createClient(simu.port, Math.max(...LEVELS));
    const bareClient = createClient(bare.port, Math.max(...LEVELS));
    clients.push(simuClient, bareClient);

    progress('warming up');
    await bareRun(bareClient, { concurrency: 50, maxTasks: 3_000, maxMs: 3_000 });
    await navigationRun(simuClient, { concurrency: 50, maxTasks: 200, maxMs: 5_000 }, payers, `${runTag}-warm-nav`);
    const warm = await sendMoneyRun(simuClient, { concurrency: 50, maxTasks: 100, maxMs: 10_000 }, pairing, { tag: `${runTag}-warm-money`, kes: KES, pin: fixtures.BENCH_PIN });
    confirmed += warm.confirmed;

    const runs: Array<[string, ScenarioResult]> = [];
    const bareAt = new Map<number, number>();
    for (const c of LEVELS) {
      progress(`measuring: bare Express, then USSD navigation, at ${c} concurrent`);
      const b = await bareRun(bareClient, { concurrency: c, maxTasks: 30_000, maxMs: 5_000 });
      const nav = await navigationRun(simuClient, { concurrency: c, maxTasks: 6_000, maxMs: 10_000 }, payers, `${runTag}-nav-${c}`);
      runs.push([`bare ${c}`, b], [`navigation ${c}`, nav]);
      bareAt.set(c, rate(b.requests, b));
      const s = stats(nav.latencies);
      figures.push(figure({
        name: 'ussd_hops', value: rate(nav.requests, nav), unit: 'hops/s', ceiling_name: 'bare_express', ceiling_value: rate(b.requests, b),
        concurrency: c, p50_ms: round(s.p50), p99_ms: round(s.p99),
        notes: `hops "", "1", "1*0" of new sessions (no money); bare Express p50 ${round(stats(b.latencies).p50)} ms, p99 ${round(stats(b.latencies).p99)} ms`,
      }));
    }
    progress(`measuring: Send Money, ${PAYERS} payers, 50 concurrent`);
    const money = await sendMoneyRun(simuClient, { concurrency: 50, maxTasks: 3_000, maxMs: 20_000 }, pairing, { tag: `${runTag}-money`, kes: KES, pin: fixtures.BENCH_PIN });
    runs.push(['send money', money]);
    confirmed += money.confirmed;
    const session = stats(money.sessions);
    figures.push(figure({
      name: 'send_money_sessions', value: rate(money.confirmed, money), unit: 'sessions/s', ceiling_name: 'bare_express_per_6_hops', ceiling_value: (bareAt.get(50) ?? 0) / 6,
      concurrency: 50, p50_ms: round(session.p50), p99_ms: round(session.p99),
      notes: `KES ${KES} (charge KES 5) between ${PAYERS} payer/recipient pairs; PIN hop p50 ${round(stats(money.finals).p50)} ms, p99 ${round(stats(money.finals).p99)} ms`,
    }));

    for (const c of clients.splice(0)) c.close();
    progress('checking the ledger after the USSD runs');
    const ledger = await fixtures.ledgerReport();
    for (const s of servers.splice(0)) {
      const stop = await s.stop();
      const errors = s.errorLines();
      if (stop.killed || stop.code !== 0) problems.push(`${s.name} did not stop cleanly: ${JSON.stringify(stop)}`);
      if (errors.length) problems.push(`${s.name}: ${errors.length} error log line(s), first: ${errors[0].slice(0, 300)}`);
    }
    for (const [name, r] of runs) for (const line of r.failures.lines()) problems.push(`${name}: ${line}`);
    if (ledger.breaches.length) problems.push(`ledger invariants broken: ${JSON.stringify(ledger.breaches)}`);
    if (ledger.p2pEntries !== confirmed) problems.push(`${ledger.p2pEntries} send-money entries for ${confirmed} confirmed sessions`);

    progress(`measuring: ledger transfers and pgbench tpcb-like, ${LEDGER_CLIENTS} clients`);
    const l = await runLedgerBench({ databaseUrl: env.DATABASE_URL, clients: LEDGER_CLIENTS, seconds: 10, progress });
    figures.push(...l.figures);
    if (l.breaches.length) problems.push(`ledger bench broke invariants: ${JSON.stringify(l.breaches)}`);
    if (l.entries !== l.transfers) problems.push(`ledger bench: ${l.transfers} transfers returned ok, ${l.entries} entries written`);

    progress('measuring: SMS outbox through the worker to the AT stand-in');
    const sms = await runSmsOutboxBench({ env, count: 3_000, progress });
    figures.push(sms.figure);
    problems.push(...sms.problems.map((p) => `sms_outbox: ${p}`));

    console.log('');
    printFigures(figures);
    console.log('');
    printHops(money);
    const file = writeResults(figures);
    console.log('');
    console.log(`Written to ${path.relative(ROOT, file)}. ${ledger.p2pEntries} send-money entries for ${confirmed} confirmed sessions; ledger ${ledger.breaches.length ? 'BROKEN' : 'sound'}.`);
    console.log(problems.length ? `Problems (${problems.length}):` : 'Problems: none');
    for (const p of problems) console.log(`  ${p}`);
    return problems.length ? 1 : 0;
  } finally {
    for (const c of clients) c.close();
    for (const s of servers) await s.stop().catch(() => undefined);
    await fixtures.closeFixtures();
  }
}

function rate(n: number, r: ScenarioResult): number {
  return n / (r.outcome.elapsedMs / 1000);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Writes the figures to bench/results/<YYYY-MM-DD>.json (UTC date); returns the path. */
function writeResults(figures: Figure[]): string {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().slice(0, 10)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
}

function printFigures(figures: Figure[]): void {
  const rows: string[][] = [['figure', 'clients', 'value', 'ceiling', 'ceiling value', 'ratio', 'p50', 'p99']];
  for (const f of figures) {
    rows.push([f.name, String(f.concurrency ?? ''), `${f.value} ${f.unit}`, f.ceiling_name, String(f.ceiling_value), f.ratio.toFixed(3), ms(f.p50_ms ?? NaN), ms(f.p99_ms ?? NaN)]);
  }
  printTable(rows);
}

function printHops(money: MoneyResult): void {
  const rows: string[][] = [['send-money hop (50 concurrent)', 'p50', 'p99']];
  const names = ['1 ""', '2 "1"', '3 "1*<to>"', '4 "…*<amount>"', '5 "…*1" (confirm)', '6 "…*<pin>" (send)'];
  names.forEach((name, i) => {
    const s = stats(money.byHop[i]);
    rows.push([name, ms(s.p50), ms(s.p99)]);
  });
  printTable(rows);
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

runMain('bench', main);
