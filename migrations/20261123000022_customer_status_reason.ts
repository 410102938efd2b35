import type { Knex } from 'knex';

/**
 * Why a customer has their current status (an operator's words when suspending or
 * reactivating), so the customer view answers "why can't this person send?" without a
 * trip through the audit log, which keeps the full history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.text('status_reason').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('status_reason');
  });
}
