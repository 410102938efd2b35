/**
 * `npx tsx bench/ledger-main.ts`: the ledger figures on their own (bench/ledger.ts), in
 * the bench database (`BENCH_DATABASE`, reset first), at 8, 16 and 32 clients.
 * `LEDGER_CLIENTS=16` picks the client counts (comma-separated), `LEDGER_SECONDS=12` the
 * length of each timed run. Figures go to stdout as a table and as JSON; the exit code is
 * 1 when the ledger is broken or a transfer went missing.
 */
import { applyBenchEnv } from './env.js';
import { runMain } from './servers.js';

const progress = (msg: string) => process.stderr.write(`· ${msg}\n`);

async function main(): Promise<number> {
  const env = applyBenchEnv(); // before any src module is imported (config is read once)
  const fixtures = await import('./fixtures.js');
  const { runLedgerBench } = await import('./ledger.js');
  const clientCounts = (process.env.LEDGER_CLIENTS ?? '8,16,32').split(',').map(Number).filter((n) => n > 0);
  const seconds = Number(process.env.LEDGER_SECONDS ?? 12);
  let healthy = true;
  try {
    progress(`resetting ${env.DATABASE_URL} (drop, migrate, seed)`);
    await fixtures.resetBenchDatabase();
    const all = [];
    for (const clients of clientCounts) {
      const r = await runLedgerBench({ databaseUrl: env.DATABASE_URL, clients, seconds, progress });
      all.push(...r.figures);
      console.log(`\n${clients} clients: ${r.roundTrips} statements per transfer (uncontended mean ms: ${r.statementMs.map((s) => `${s.sql.split(' ').slice(0, 3).join(' ')} ${s.ms}`).join(' | ')})`);
      for (const f of r.figures) {
        console.log(`  ${f.name.padEnd(15)} ${String(f.value).padStart(8)} ${f.unit}  vs ${f.ceiling_name} ${f.ceiling_value} tps  ratio ${f.ratio}  p50 ${f.p50_ms} ms  p99 ${f.p99_ms} ms`);
      }
      const sound = r.breaches.length === 0 && r.entries === r.transfers;
      console.log(`  ledger: ${r.breaches.length} invariant breach(es); ${r.transfers} transfers returned ok, ${r.entries} entries written under their keys${r.entries === r.transfers ? '' : ' MISMATCH'}`);
      for (const b of r.breaches) console.log(`    ${b.invariant}: ${b.count} × ${JSON.stringify(b.sample)}`);
      healthy &&= sound;
    }
    console.log(`\n${JSON.stringify(all, null, 2)}`);
    return healthy ? 0 : 1;
  } finally {
    await fixtures.closeFixtures();
  }
}

runMain('ledger bench', main);
