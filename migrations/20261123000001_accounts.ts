import type { Knex } from 'knex';

/**
 * Ledger accounts. `balance` is the signed sum of the account's postings (debits positive,
 * credits negative), changed only together with a posting. A credit-normal account (a
 * wallet: Simu owes it) shows its balance as `-balance`. The CHECK makes no-overdraft a
 * property of the database, not only of the code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('book').notNullable().defaultTo('platform');
    t.text('type').notNullable();
    t.text('normal_side').notNullable();
    t.boolean('no_overdraft').notNullable().defaultTo(false);
    t.specificType('currency', 'char(3)').notNullable().defaultTo('KES');
    t.bigInteger('balance').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE accounts
      ADD CONSTRAINT accounts_type_check CHECK (type IN ('asset','liability','equity','revenue','expense')),
      ADD CONSTRAINT accounts_normal_side_check CHECK (normal_side IN ('debit','credit')),
      ADD CONSTRAINT accounts_no_overdraft_check CHECK (
        NOT no_overdraft
        OR (normal_side = 'debit' AND balance >= 0)
        OR (normal_side = 'credit' AND balance <= 0))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accounts');
}
