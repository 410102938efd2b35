/**
 * `npm run admin:key -- --name ops --scopes read,operate`: creates an API key and prints it
 * once (it is stored only as a hash).
 */
import { parseArgs } from 'node:util';
import { db } from '../db/index.js';
import { createApiKey } from './keys.js';

try {
  const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' } } });
  if (!values.name || !values.scopes) throw new Error('usage: npm run admin:key -- --name <name> --scopes read,operate,finance,admin');
  const { key, view } = await createApiKey(db, values.name, values.scopes.split(',').map((s) => s.trim()));
  process.stdout.write(`${key}\n`);
  process.stderr.write(`key ${view.id} "${view.name}" with scopes ${view.scopes.join(',')}: keep it now, it is not shown again\n`);
} catch (err) {
  process.stderr.write(`admin:key: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
