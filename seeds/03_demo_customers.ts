import type { Knex } from 'knex';
import { findCustomer, registerCustomer } from '../src/customers/index.js';
import { systemAccount, transfer } from '../src/ledger/index.js';

/** Demo customers (PIN 1234), funded by ledger entries from equity:opening. */
export const DEMO_CUSTOMERS = [
  { msisdn: '+254700000001', firstName: 'Amina', lastName: 'Wanjiru', nationalId: '20000001', kes: 10_000n },
  { msisdn: '+254700000002', firstName: 'Brian', lastName: 'Otieno', nationalId: '20000002', kes: 2_000n },
  { msisdn: '+254700000003', firstName: 'Chebet', lastName: 'Koech', nationalId: '20000003', kes: 0n },
];

/** Safe to run twice: registration skips known numbers, funding is keyed `seed:opening:<msisdn>`. */
export async function seed(knex: Knex): Promise<void> {
  const opening = await systemAccount(knex, 'opening');
  for (const c of DEMO_CUSTOMERS) {
    const customer = (await findCustomer(c.msisdn, knex)) ?? (await registerCustomer({ ...c, pin: '1234' }, knex, { welcomeSms: false }));
    if (c.kes === 0n) continue;
    await transfer(
      {
        idempotencyKey: `seed:opening:${c.msisdn}`,
        kind: 'seed',
        amount: c.kes * 100n,
        memo: 'demo opening balance',
        postings: [
          { accountId: opening.id, amount: c.kes * 100n },
          { accountId: customer.walletAccountId, amount: -c.kes * 100n },
        ],
      },
      {},
      knex,
    );
  }
}
