import type { Knex } from 'knex';
import { createMerchant, findMerchant, type NewMerchant } from '../src/merchants/index.js';

/** Demo merchants (issue 4). No validation or confirmation URLs: the demo needs no outside server. */
export const DEMO_MERCHANTS: NewMerchant[] = [
  { kind: 'paybill', shortCode: '888880', name: 'Kenya Power', smsMsisdn: '+254700000880' },
  { kind: 'till', shortCode: '555555', name: 'Mama Mboga Store', smsMsisdn: '+254700000555' },
];

/**
 * Safe to run twice: a merchant that exists (perhaps changed through the admin API since)
 * is left as it is. Moves no money: the demo customers' balances stay as seeded.
 */
export async function seed(knex: Knex): Promise<void> {
  for (const m of DEMO_MERCHANTS) {
    if (await findMerchant(knex, m.kind, m.shortCode)) continue;
    await knex.transaction((trx) => createMerchant(trx, m));
  }
}
