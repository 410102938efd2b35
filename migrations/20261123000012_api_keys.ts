import type { Knex } from 'knex';

/**
 * Admin API keys. A key is shown once; only its prefix (to find it) and a SHA-256 of its
 * secret part (a 256-bit random value: no work factor needed) are stored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('prefix').notNullable().unique();
    t.text('secret_hash').notNullable();
    t.specificType('scopes', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
}
