import type { Knex } from 'knex';

/** The relay scans for rows still to deliver; delivered rows (nearly all) stay out of the index. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX merchant_confirmations_undelivered_idx ON merchant_confirmations (id)
    WHERE status IN ('pending','queued','delivering')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX merchant_confirmations_undelivered_idx');
}
