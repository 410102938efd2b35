import type { Knex } from 'knex';

/**
 * The confirmation outbox: one row per Lipa payment to a merchant with a confirmation URL,
 * written in the payment's transaction, holding the Daraja C2B-style body (its `TransID`
 * is the journal entry's code, the same on every delivery). status: pending → queued (in
 * bull) → delivering (claimed by one job) → delivered (the merchant answered 200) | failed
 * (out of attempts; an operator may retry).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchant_confirmations', (t) => {
    t.bigIncrements('id');
    t.integer('merchant_id').notNullable().references('id').inTable('merchants');
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.text('url').notNullable();
    t.jsonb('payload').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_http_status').nullable();
    t.text('last_error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('queued_at', { useTz: true }).nullable();
    t.timestamp('claimed_at', { useTz: true }).nullable();
    t.timestamp('delivered_at', { useTz: true }).nullable();
  });
  await knex.raw(`ALTER TABLE merchant_confirmations ADD CONSTRAINT merchant_confirmations_status_check
    CHECK (status IN ('pending','queued','delivering','delivered','failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('merchant_confirmations');
}
