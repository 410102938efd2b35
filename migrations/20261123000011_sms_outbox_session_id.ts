import type { Knex } from 'knex';

/** The USSD session that caused an SMS, so that its send is logged with the sessionId. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.text('session_id').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('session_id');
  });
}
