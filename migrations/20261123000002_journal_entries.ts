import type { Knex } from 'knex';

/**
 * Journal entries: one per movement of money. `code` is the 10-character transaction code
 * users see (like `SKL4Q2M7XP`); `amount` is the principal in cents (what limits and
 * statements count, without charges); a reversal points at what it reverses.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('journal_entries', (t) => {
    t.bigIncrements('id');
    t.specificType('code', 'char(10)').notNullable().unique();
    t.text('kind').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('reverses_id').nullable().references('id').inTable('journal_entries');
    t.text('memo').nullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_amount_check CHECK (amount >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journal_entries');
}
