import type { Knex } from 'knex';

/**
 * The SMS outbox: every SMS that must not be lost is a row here first, written in the same
 * transaction as its cause. status: pending → queued (in bull) → sending (claimed by one
 * job) → sent (AT accepted) → delivered | failed (AT delivery report or final failure).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_outbox', (t) => {
    t.bigIncrements('id');
    t.text('msisdn').notNullable();
    t.text('message').notNullable();
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('dedupe_key').nullable().unique();
    t.bigInteger('journal_entry_id').nullable().references('id').inTable('journal_entries');
    t.text('at_message_id').nullable();
    t.text('at_status').nullable();
    t.text('last_error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('queued_at', { useTz: true }).nullable();
    t.timestamp('claimed_at', { useTz: true }).nullable();
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.timestamp('delivered_at', { useTz: true }).nullable();
  });
  await knex.raw(`ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_status_check
    CHECK (status IN ('pending','queued','sending','sent','delivered','failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_outbox');
}
