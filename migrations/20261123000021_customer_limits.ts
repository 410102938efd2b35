import type { Knex } from 'knex';

/**
 * Per-customer overrides of the tier limits, in cents. A null column keeps the tier's
 * value, so a tier change still reaches every customer who has no override for that
 * limit; a customer with no override at all has no row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_limits', (t) => {
    t.integer('customer_id').primary().references('id').inTable('customers');
    t.bigInteger('per_transaction').nullable();
    t.bigInteger('per_day').nullable();
    t.bigInteger('per_month').nullable();
    t.bigInteger('max_balance').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE customer_limits ADD CONSTRAINT customer_limits_nonnegative_check
    CHECK (per_transaction >= 0 AND per_day >= 0 AND per_month >= 0 AND max_balance >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_limits');
}
