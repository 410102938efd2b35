import type { Knex } from 'knex';

/**
 * Idempotency keys of ledger transfers (`ussd:<sessionId>:<n>`, `mpesa:<receipt>`, ...).
 * `request_hash` tells a retry (same request) from a misuse (same key, other request).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('key').primary();
    t.text('request_hash').notNullable();
    t.bigInteger('journal_entry_id').nullable().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
