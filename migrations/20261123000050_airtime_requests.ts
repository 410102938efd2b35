import type { Knex } from 'knex';

/**
 * Airtime purchases: one row per Buy Airtime, written in the transaction of its journal
 * entry (wallet → clearing:airtime), and the outbox the worker sends to AT from.
 *
 * status: pending (debited; queued_at once relayed into bull, claimed_at while a job calls
 * AT) → sent (AT accepted it: at_request_id) → success (AT's callback) | reversed (AT
 * refused it or reported Failed: reversal_entry_id). `failed` is a failure whose reversal
 * could not be written yet; the worker's review pass writes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('airtime_requests', (t) => {
    t.bigIncrements('id');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('payer_msisdn').notNullable();
    t.text('recipient_msisdn').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('at_request_id').nullable().unique();
    t.text('at_status').nullable();
    t.text('last_error').nullable();
    t.bigInteger('reversal_entry_id').nullable().references('id').inTable('journal_entries');
    t.text('session_id').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('queued_at', { useTz: true }).nullable();
    t.timestamp('claimed_at', { useTz: true }).nullable();
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.timestamp('reviewed_at', { useTz: true }).nullable();
  });
  await knex.raw(`ALTER TABLE airtime_requests ADD CONSTRAINT airtime_requests_status_check
    CHECK (status IN ('pending','sent','success','failed','reversed'))`);
  // KES 5 to 10,000 in whole shillings, in cents.
  await knex.raw(`ALTER TABLE airtime_requests ADD CONSTRAINT airtime_requests_amount_check
    CHECK (amount BETWEEN 500 AND 1000000 AND amount % 100 = 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('airtime_requests');
}
