import type { Knex } from 'knex';

/**
 * Redelivery of SMS that AT's delivery reports say did not reach the phone for a reason
 * that may clear (DeliveryFailure, AbsentSubscriber, an expired message):
 * - `sms_outbox.dr_retries`: how many times the row was sent again after such a report
 *   (src/sms/delivery-retry.ts caps it);
 * - `sms_outbox.failure_reason`: AT's `failureReason` of the last failed report (for the
 *   admin statistics; send-time refusals keep theirs in `at_status`);
 * - `sms_delivery_retries`: one row per redelivery, keyed by the AT message id whose report
 *   caused it: a repeated report finds it and does nothing more, and a late report of an
 *   earlier send still finds its outbox row once the row carries the new send's id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.integer('dr_retries').notNullable().defaultTo(0);
    t.text('failure_reason').nullable();
  });
  await knex.schema.createTable('sms_delivery_retries', (t) => {
    t.text('at_message_id').primary();
    t.bigInteger('outbox_id').notNullable().references('id').inTable('sms_outbox');
    t.integer('retry').notNullable();
    t.text('at_status').notNullable();
    t.text('failure_reason').nullable();
    t.timestamp('not_before', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['outbox_id']);
  });
  // The statistics group rows by their Nairobi day.
  await knex.raw('CREATE INDEX sms_outbox_created_at_idx ON sms_outbox (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX sms_outbox_created_at_idx');
  await knex.schema.dropTable('sms_delivery_retries');
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('failure_reason');
    t.dropColumn('dr_retries');
  });
}
