import type { Knex } from 'knex';

const KES = 100n;

/** Send-money charge by amount band (KES, inclusive), issue 2. */
export const P2P_BANDS: Array<[number, number, number]> = [
  [1, 100, 0],
  [101, 500, 5],
  [501, 1_000, 10],
  [1_001, 2_500, 15],
  [2_501, 5_000, 25],
  [5_001, 10_000, 30],
  [10_001, 20_000, 40],
  [20_001, 70_000, 50],
];

/**
 * The default send-money tariff and the default limits. Bands are keyed by (kind,
 * min_amount) and limits by tier, so a second run changes nothing that the admin API has
 * since changed.
 */
export async function seed(knex: Knex): Promise<void> {
  await knex('tariffs')
    .insert(P2P_BANDS.map(([min, max, charge]) => ({ kind: 'p2p', min_amount: BigInt(min) * KES, max_amount: BigInt(max) * KES + 99n, charge: BigInt(charge) * KES })))
    .onConflict(['kind', 'min_amount'])
    .ignore();
  await knex('limits')
    .insert({ tier: 'default', per_transaction: 70_000n * KES, per_day: 150_000n * KES, per_month: 500_000n * KES, max_balance: 500_000n * KES })
    .onConflict('tier')
    .ignore();
}
