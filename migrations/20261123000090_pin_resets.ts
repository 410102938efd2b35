import type { Knex } from 'knex';

/**
 * Forgot PIN. A customer proves who they are with their national ID number and a one-time
 * code sent by SMS, then sets a new PIN. `pin_resets` holds each code as a keyed hash
 * (never the code), when it expires, and which USSD session proved it; a code is used at
 * most once. Wrong answers (national ID or code) in a row are counted on the customer,
 * as wrong PINs are, and the third locks Forgot PIN for a while.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pin_resets', (t) => {
    t.bigIncrements('id');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('code_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('verified_at', { useTz: true }).nullable();
    t.text('verified_session_id').nullable();
    t.timestamp('consumed_at', { useTz: true }).nullable();
    t.index(['customer_id', 'created_at']);
  });
  await knex.schema.alterTable('customers', (t) => {
    t.integer('reset_failed_attempts').notNullable().defaultTo(0);
    t.timestamp('reset_locked_until', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('reset_failed_attempts');
    t.dropColumn('reset_locked_until');
  });
  await knex.schema.dropTable('pin_resets');
}
