import type { Knex } from 'knex';

/**
 * STK push top-ups ("Top up from M-PESA", issue 6): one row per push a customer asked for
 * on USSD. The row is the outbox of the push: written by the USSD hop as `requested`,
 * pushed by the worker (src/mpesa/stk-worker.ts), which records Daraja's ids (`accepted`),
 * then settled by Daraja's callback or the worker's STK query.
 *
 * status: `requested` (not yet pushed), `accepted` (Daraja took the push; waiting for the
 * customer), `paid` (money credited, `receipt_number` set), `paid_unconfirmed` (the STK
 * query said ResultCode 0 but no callback, hence no receipt number, came: left for an
 * operator and for a late callback or the C2B confirmation of the same payment), `failed`
 * (Daraja refused the push, or the customer's M-Pesa refused the payment), `cancelled`
 * (ResultCode 1032), `unknown` (a push whose answer we never saw, see the worker).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stk_requests', (t) => {
    t.bigIncrements('id');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('msisdn').notNullable();
    t.bigInteger('amount').notNullable();
    /** `ussd:<sessionId>:<n>`: a replayed hop records one request. */
    t.text('idempotency_key').notNullable().unique();
    t.text('status').notNullable().defaultTo('requested');
    t.text('merchant_request_id').nullable();
    t.text('checkout_request_id').nullable().unique();
    t.text('result_code').nullable();
    t.text('result_desc').nullable();
    t.text('receipt_number').nullable();
    t.integer('push_attempts').notNullable().defaultTo(0);
    t.timestamp('push_started_at', { useTz: true }).nullable();
    t.timestamp('accepted_at', { useTz: true }).nullable();
    t.timestamp('last_query_at', { useTz: true }).nullable();
    t.timestamp('resolved_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE stk_requests
      ADD CONSTRAINT stk_requests_status_check CHECK (status IN ('requested','accepted','paid','paid_unconfirmed','failed','cancelled','unknown')),
      ADD CONSTRAINT stk_requests_amount_check CHECK (amount > 0 AND amount % 100 = 0)`);
  await knex.raw(`CREATE INDEX stk_requests_open_idx ON stk_requests (id) WHERE status IN ('requested','accepted')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stk_requests');
}
