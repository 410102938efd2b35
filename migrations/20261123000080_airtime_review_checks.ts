import type { Knex } from 'knex';

/**
 * What the review last learnt from AT about an airtime request it took but never reported
 * on: when it asked (`checked_at`; also stamped when a worker claims the request for a
 * check, so that two workers do not ask twice), how often (`checks`), and what AT said:
 * `check_outcome` delivered | failed | pending (AT has no final status yet) | error (AT
 * could not answer: an outage, an HTTP error, an unknown transactionId), with AT's words
 * in `check_detail`. Shown by the admin report of unresolved requests.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('airtime_requests', (t) => {
    t.timestamp('checked_at', { useTz: true }).nullable();
    t.integer('checks').notNullable().defaultTo(0);
    t.text('check_outcome').nullable();
    t.text('check_detail').nullable();
  });
  await knex.raw(`ALTER TABLE airtime_requests ADD CONSTRAINT airtime_requests_check_outcome_check
    CHECK (check_outcome IN ('delivered','failed','pending','error'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE airtime_requests DROP CONSTRAINT airtime_requests_check_outcome_check');
  await knex.schema.alterTable('airtime_requests', (t) => {
    t.dropColumn('check_detail');
    t.dropColumn('check_outcome');
    t.dropColumn('checks');
    t.dropColumn('checked_at');
  });
}
