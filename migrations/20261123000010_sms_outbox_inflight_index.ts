import type { Knex } from 'knex';

/** The relay looks for rows stuck in flight (queued or sending) every 30 s. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX sms_outbox_inflight_idx ON sms_outbox (id) WHERE status IN ('queued','sending')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX sms_outbox_inflight_idx');
}
