/**
 * `npx tsx bench/sms-outbox-main.ts`: the `sms_outbox` figure on its own (bench/sms-outbox.ts):
 * applies the bench's environment, resets the bench database, runs the scenario, prints the
 * figure as JSON on stdout and what was wrong, if anything; exit code 1 then.
 *
 * `SMS_BENCH_COUNT` sets the rows measured (default 4000); `BENCH_CPU_PROF=<dir>` writes a
 * V8 CPU profile of the worker into <dir>. `BENCH_DATABASE` / `BENCH_REDIS_DB` as bench/env.ts.
 */
import { applyBenchEnv } from './env.js';
import { runMain } from './servers.js';

const progress = (msg: string) => process.stderr.write(`· ${msg}\n`);

async function main(): Promise<number> {
  const env = applyBenchEnv(); // before any src module is imported (config is read once)
  const fixtures = await import('./fixtures.js');
  const { runSmsOutboxBench } = await import('./sms-outbox.js');
  try {
    progress(`resetting ${env.DATABASE_URL} (drop, migrate, seed); Redis ${env.REDIS_URL}`);
    await fixtures.resetBenchDatabase();
    const profileDir = process.env.BENCH_CPU_PROF;
    const count = Number(process.env.SMS_BENCH_COUNT ?? 4000);
    const { figure, problems } = await runSmsOutboxBench({
      env,
      count,
      progress,
      workerNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    console.log(JSON.stringify(figure, null, 2));
    for (const p of problems) console.log(`PROBLEM: ${p}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await fixtures.closeFixtures();
  }
}

runMain('sms-outbox bench', main);
