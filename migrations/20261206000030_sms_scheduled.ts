import type { Knex } from 'knex';

/**
 * Scheduled SMS (the first are school-fee invoices and arrears reminders):
 * - `sms_outbox.not_before`: a row is not relayed before this instant (a reminder written
 *   during quiet hours, 21:00-07:00 Africa/Nairobi, waits for the morning);
 * - `sms_opt_outs`: MSISDNs that asked for no reminders (receipts and security notices
 *   still go: they are the record of the customer's own money). The SMS issue adds the STOP
 *   command that writes here; the check lives in one place, `enqueueSms`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.timestamp('not_before', { useTz: true }).nullable();
  });
  await knex.schema.createTable('sms_opt_outs', (t) => {
    t.text('msisdn').primary();
    t.text('source').notNullable().defaultTo('sms');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE sms_opt_outs ADD CONSTRAINT sms_opt_outs_msisdn_check CHECK (msisdn ~ '^\\+[0-9]{9,15}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_opt_outs');
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('not_before');
  });
}
