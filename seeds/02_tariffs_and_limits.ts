import type { Knex } from 'knex';

const KES = 100n;

/** Send-money charge by amount band (KES, inclusive), issue 2. */
export const SEND_MONEY_BANDS: Array<[number, number, number]> = [
  [1, 100, 0],
  [101, 500, 5],
  [501, 1_000, 10],
  [1_001, 2_500, 15],
  [2_501, 5_000, 25],
  [5_001, 10_000, 30],
  [10_001, 20_000, 40],
  [20_001, 70_000, 50],
];

/** The seeded bands as the `tariffs` table holds them (cents, `kind` = the tariff type). */
export function sendMoneyTariffRows(): Array<{ kind: string; min_amount: bigint; max_amount: bigint; charge: bigint }> {
  return SEND_MONEY_BANDS.map(([min, max, charge]) => ({ kind: 'send_money', min_amount: BigInt(min) * KES, max_amount: BigInt(max) * KES + 99n, charge: BigInt(charge) * KES }));
}

/**
 * The default send-money tariff and the default limits. Safe to run twice, and a second
 * run changes nothing that the admin API has since changed: the bands go in only when the
 * type has none (the admin API replaces the whole list, so adding the seeded bands beside
 * an admin's list would overlap it), and limits are keyed by tier.
 */
export async function seed(knex: Knex): Promise<void> {
  const existing = await knex('tariffs').where({ kind: 'send_money' }).first('id');
  if (!existing) await knex('tariffs').insert(sendMoneyTariffRows()).onConflict(['kind', 'min_amount']).ignore();
  await knex('limits')
    .insert({ tier: 'default', per_transaction: 70_000n * KES, per_day: 150_000n * KES, per_month: 500_000n * KES, max_balance: 500_000n * KES })
    .onConflict('tier')
    .ignore();
}
