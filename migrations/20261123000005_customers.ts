import type { Knex } from 'knex';

/**
 * Customers: one per MSISDN (E.164), with their wallet account. `pin_hash` is a keyed,
 * salted hash (never the PIN); the wrong-PIN counter and lock live here so that they
 * survive restarts and are shared by every web process.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.text('msisdn').notNullable().unique();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('national_id').notNullable();
    t.text('pin_hash').notNullable();
    t.integer('pin_failed_attempts').notNullable().defaultTo(0);
    t.timestamp('pin_locked_until', { useTz: true }).nullable();
    t.integer('wallet_account_id').notNullable().unique().references('id').inTable('accounts');
    t.specificType('language', 'char(2)').notNullable().defaultTo('en');
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_status_check CHECK (status IN ('active','suspended','closed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
