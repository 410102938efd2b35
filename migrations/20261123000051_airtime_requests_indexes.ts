import type { Knex } from 'knex';

/**
 * The worker's relay and review passes and the admin report read only requests without a
 * final status: a partial index keeps that set small however many requests succeed.
 * Customers' history is read by payer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX airtime_requests_open_idx ON airtime_requests (created_at) WHERE status IN ('pending','sent','failed')`);
  await knex.raw('CREATE INDEX airtime_requests_customer_idx ON airtime_requests (customer_id, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX airtime_requests_customer_idx');
  await knex.raw('DROP INDEX airtime_requests_open_idx');
}
