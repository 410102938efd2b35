import type { Knex } from 'knex';

/** Every state-changing admin call, written in the same transaction as the change. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.integer('api_key_id').nullable().references('id').inTable('api_keys');
    t.text('key_name').notNullable();
    t.text('method').notNullable();
    t.text('route').notNullable();
    t.text('target').notNullable();
    t.jsonb('before').nullable();
    t.jsonb('after').nullable();
    t.text('request_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
