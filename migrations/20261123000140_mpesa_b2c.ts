import type { Knex } from 'knex';

/**
 * Withdrawals to M-Pesa (B2C): one row per Withdraw Cash → To M-PESA, written in the
 * transaction of its journal entry (wallet → clearing:mpesa + revenue:charges). The row is
 * the outbox the worker posts to Daraja from (no Daraja call in the USSD hop).
 *
 * status: requested (debited; claimed_at while a worker posts it) → sent (Daraja accepted
 * it: conversation_id) → completed (result ResultCode 0: mpesa_receipt) | failed (refused,
 * or result ResultCode ≠ 0: reversal_entry_id) | timed_out (queue timeout: reversed too).
 * `late_success_at` marks a success result that came after the request was reversed: the
 * customer was paid twice over and an operator must recover it (never credited again).
 * Daraja's ids (conversation_id, mpesa_receipt) are indexed, not unique: a quirk of theirs
 * must not stop our bookkeeping.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('b2c_requests', (t) => {
    t.bigIncrements('id');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('msisdn').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('charge').notNullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.text('originator_conversation_id').notNullable().unique();
    t.text('conversation_id').nullable().index();
    t.text('status').notNullable().defaultTo('requested');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('result_code').nullable();
    t.text('result_desc').nullable();
    t.text('mpesa_receipt').nullable().index();
    t.text('receiver_name').nullable();
    t.bigInteger('reversal_entry_id').nullable().references('id').inTable('journal_entries');
    t.text('last_error').nullable();
    t.text('session_id').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('claimed_at', { useTz: true }).nullable();
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.timestamp('late_success_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE b2c_requests ADD CONSTRAINT b2c_requests_status_check
    CHECK (status IN ('requested','sent','completed','failed','timed_out'))`);
  // Whole shillings (Daraja's Amount is an integer of KES), at least KES 10; charge ≥ 0.
  await knex.raw(`ALTER TABLE b2c_requests ADD CONSTRAINT b2c_requests_amount_check
    CHECK (amount >= 1000 AND amount % 100 = 0 AND charge >= 0)`);
  await knex.raw(`CREATE INDEX b2c_requests_requested_idx ON b2c_requests (id) WHERE status = 'requested'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('b2c_requests');
}
