import type { Knex } from 'knex';

/**
 * `sms_outbox.sender_id`: the alphanumeric sender an SMS carries when it is not Simu's own
 * (`AT_SENDER_ID`): a school's `sms_sender` for its invoices, receipts and reminders. At
 * most 11 letters, digits or spaces, as AT and the telcos allow.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.text('sender_id').nullable();
  });
  await knex.raw(`ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_sender_id_check CHECK (sender_id ~ '^[A-Za-z0-9][A-Za-z0-9 ]{0,10}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('sender_id');
  });
}
