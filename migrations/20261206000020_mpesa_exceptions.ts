import type { Knex } from 'knex';

/**
 * M-Pesa requests that need a person (src/mpesa/stk-admin.ts, src/mpesa/b2c-admin.ts):
 * `b2c_requests.stuck_flagged_at` is stamped when the worker's review logs a request stuck
 * `sent` with no result from Daraja (so it is logged once), and partial indexes serve the
 * operators' lists: STK requests `unknown` or `paid_unconfirmed`, B2C requests `sent` (by
 * when they were sent) and those with a late success.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('b2c_requests', (t) => {
    t.timestamp('stuck_flagged_at', { useTz: true }).nullable();
  });
  await knex.raw(`CREATE INDEX stk_requests_needs_person_idx ON stk_requests (id) WHERE status IN ('unknown','paid_unconfirmed')`);
  await knex.raw(`CREATE INDEX b2c_requests_sent_idx ON b2c_requests (sent_at) WHERE status = 'sent'`);
  await knex.raw(`CREATE INDEX b2c_requests_late_success_idx ON b2c_requests (id) WHERE late_success_at IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS b2c_requests_late_success_idx');
  await knex.raw('DROP INDEX IF EXISTS b2c_requests_sent_idx');
  await knex.raw('DROP INDEX IF EXISTS stk_requests_needs_person_idx');
  await knex.schema.alterTable('b2c_requests', (t) => {
    t.dropColumn('stuck_flagged_at');
  });
}
