import type { Knex } from 'knex';

/** Answers of admin writes sent with an Idempotency-Key: a repeat gets the first answer. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_idempotency', (t) => {
    t.text('key').primary();
    t.text('request_hash').notNullable();
    t.integer('status').nullable();
    t.jsonb('response').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_idempotency');
}
