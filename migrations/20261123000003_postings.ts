import type { Knex } from 'knex';

/** Postings: the legs of a journal entry; debits positive, credits negative, never zero. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('postings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('journal_entry_id').notNullable().references('id').inTable('journal_entries');
    t.integer('account_id').notNullable().references('id').inTable('accounts');
    t.bigInteger('amount').notNullable();
    t.bigInteger('balance_after').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE postings ADD CONSTRAINT postings_amount_check CHECK (amount <> 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('postings');
}
