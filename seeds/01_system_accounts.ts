import type { Knex } from 'knex';
import { openAccount, SYSTEM_ACCOUNTS } from '../src/ledger/index.js';

/** The platform's own accounts (revenue, equity, clearing). Safe to run twice. */
export async function seed(knex: Knex): Promise<void> {
  for (const spec of Object.values(SYSTEM_ACCOUNTS)) await openAccount(knex, spec);
}
