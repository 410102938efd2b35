/** `npm run ledger:check`: prints each invariant's verdict; exit 1 on any breach. */
import { db } from '../db/index.js';
import { checkLedger } from './check.js';

try {
  const breaches = await checkLedger(db);
  const counts = await db.raw('SELECT (SELECT count(*) FROM journal_entries) AS entries, (SELECT count(*) FROM accounts) AS accounts');
  const { entries, accounts } = counts.rows[0];
  if (breaches.length === 0) {
    process.stdout.write(`ledger ok: ${entries} journal entries, ${accounts} accounts, every invariant holds\n`);
  } else {
    for (const b of breaches) {
      process.stdout.write(`BREACH ${b.invariant}: ${b.count} rows, e.g. ${JSON.stringify(b.sample, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
    }
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`ledger:check could not run: ${(err as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await db.destroy();
}
