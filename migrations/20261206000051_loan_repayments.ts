import type { Knex } from 'knex';

/**
 * Repayments and penalty charges of loans, each with the journal entry that posted it.
 *
 * A repayment records how its amount was allocated (penalty, fee, interest, principal, in
 * KES cents) and the scheduled interest it cancelled (`rebate`: an early repayment of a
 * declining-balance loan). Unique by the caller's idempotency key.
 *
 * A penalty is charged once per installment per period it stays overdue: the unique
 * (installment_id, period) makes the daily accrual idempotent however often it runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('loan_repayments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('loan_id').notNullable().references('id').inTable('loans');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('amount').notNullable();
    for (const c of ['penalty', 'fee', 'interest', 'principal', 'rebate']) t.bigInteger(c).notNullable().defaultTo(0);
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE loan_repayments ADD CONSTRAINT loan_repayments_amount_check
      CHECK (amount > 0 AND amount = penalty + fee + interest + principal AND rebate >= 0)`);

  await knex.schema.createTable('loan_penalties', (t) => {
    t.bigIncrements('id');
    t.bigInteger('loan_id').notNullable().references('id').inTable('loans');
    t.bigInteger('installment_id').notNullable().references('id').inTable('loan_installments');
    t.integer('period').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['installment_id', 'period']);
  });
  await knex.raw('ALTER TABLE loan_penalties ADD CONSTRAINT loan_penalties_amount_check CHECK (amount > 0 AND period >= 1)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('loan_penalties');
  await knex.schema.dropTable('loan_repayments');
}
