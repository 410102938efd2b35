import type { Knex } from 'knex';

/**
 * The send-money tariff was seeded under kind `p2p`; the admin API names tariff types as
 * users and operators do (`send_money`), so the data takes that name too. Journal entries
 * keep their kind `p2p`: that is the ledger's word for the movement, not the tariff's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('tariffs').where({ kind: 'p2p' }).update({ kind: 'send_money' });
}

export async function down(knex: Knex): Promise<void> {
  await knex('tariffs').where({ kind: 'send_money' }).update({ kind: 'p2p' });
}
