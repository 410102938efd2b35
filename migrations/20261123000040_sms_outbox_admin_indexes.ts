import type { Knex } from 'knex';

/**
 * The admin API's SMS listings: by recipient (newest first), and the failed rows an
 * operator looks at to retry. Failed rows are few, so their partial index stays small.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX sms_outbox_msisdn_idx ON sms_outbox (msisdn, id)');
  await knex.raw(`CREATE INDEX sms_outbox_failed_idx ON sms_outbox (id) WHERE status = 'failed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX sms_outbox_failed_idx');
  await knex.raw('DROP INDEX sms_outbox_msisdn_idx');
}
