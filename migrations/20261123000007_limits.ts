import type { Knex } from 'knex';

/** Transaction limits of a customer tier, in cents. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('limits', (t) => {
    t.text('tier').primary();
    t.bigInteger('per_transaction').notNullable();
    t.bigInteger('per_day').notNullable();
    t.bigInteger('per_month').notNullable();
    t.bigInteger('max_balance').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('limits');
}
