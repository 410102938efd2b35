import type { Knex } from 'knex';

/**
 * Schools (School Fees, issue 7) and the bank accounts that map a bank payment to one.
 *
 * A school has three ledger accounts: `settlement_account_id` in the platform book
 * (`school:<id>:settlement`, a no-overdraft liability: what Simu owes the school), and in the
 * school's own book `school:<id>`, `fees_account_id` (`school:<id>:fees`, credited when a
 * term is invoiced) and `collections_account_id` (`school:<id>:collections`, debited when a
 * payment reduces a student's receivable). `paybill` is the school's own M-Pesa paybill.
 * `sms_sender` is the alphanumeric sender name its SMS should carry (at most 11 characters,
 * as AT and the telcos allow).
 *
 * `school_bank_accounts`: an Equity merchant code or a KCB account number that belongs to a
 * school, so that a bank webhook finds the school (unique per bank).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('schools', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.text('paybill').notNullable().unique();
    t.text('sms_sender').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('settlement_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('collections_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('fees_account_id').notNullable().unique().references('id').inTable('accounts');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE schools
      ADD CONSTRAINT schools_paybill_check CHECK (paybill ~ '^[0-9]{5,7}$'),
      ADD CONSTRAINT schools_sms_sender_check CHECK (sms_sender ~ '^[A-Za-z0-9][A-Za-z0-9 ]{0,10}$'),
      ADD CONSTRAINT schools_status_check CHECK (status IN ('active','suspended'))`);
  await knex.schema.createTable('school_bank_accounts', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('id').inTable('schools');
    t.text('bank').notNullable();
    t.text('reference').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['bank', 'reference']);
    t.index(['school_id']);
  });
  await knex.raw(`
    ALTER TABLE school_bank_accounts
      ADD CONSTRAINT school_bank_accounts_bank_check CHECK (bank IN ('equity','kcb')),
      ADD CONSTRAINT school_bank_accounts_reference_check CHECK (reference ~ '^[A-Za-z0-9-]{1,30}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('school_bank_accounts');
  await knex.schema.dropTable('schools');
}
