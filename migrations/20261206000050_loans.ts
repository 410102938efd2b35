import type { Knex } from 'knex';

/**
 * Loans (issue 8): products, loans and their installments.
 *
 * A product is data: principal bounds in KES cents, how many installments of how long a
 * period, the interest method and rate per period, the upfront facilitation fee and the
 * penalty, all rates in basis points (1 % = 100 bp: integers, no floats). A loan copies the
 * product's terms when it is disbursed (a product changed later does not change a signed
 * contract). Each loan has its own receivable account (`loan:<id>`, an asset in the
 * platform book, no-overdraft) whose balance is what the installments say is outstanding.
 * An installment's due date is a day in Africa/Nairobi; `paid_*` never exceed what is owed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('loan_products', (t) => {
    t.increments('id');
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.bigInteger('principal_min').notNullable();
    t.bigInteger('principal_max').notNullable();
    t.integer('installments').notNullable();
    t.text('period_unit').notNullable();
    t.integer('period_length').notNullable();
    t.text('interest_method').notNullable();
    t.integer('rate_bp').notNullable().defaultTo(0);
    t.integer('fee_bp').notNullable().defaultTo(0);
    t.integer('penalty_bp').notNullable().defaultTo(0);
    t.integer('penalty_grace_days').notNullable().defaultTo(0);
    t.boolean('sweep').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE loan_products
      ADD CONSTRAINT loan_products_principal_check CHECK (principal_min > 0 AND principal_max >= principal_min),
      ADD CONSTRAINT loan_products_installments_check CHECK (installments BETWEEN 1 AND 360),
      ADD CONSTRAINT loan_products_period_check CHECK (period_unit IN ('day','week','month') AND period_length BETWEEN 1 AND 366),
      ADD CONSTRAINT loan_products_method_check CHECK (interest_method IN ('flat','declining')),
      ADD CONSTRAINT loan_products_rates_check CHECK (rate_bp BETWEEN 0 AND 100000 AND fee_bp BETWEEN 0 AND 10000
        AND penalty_bp BETWEEN 0 AND 10000 AND penalty_grace_days >= 0),
      ADD CONSTRAINT loan_products_status_check CHECK (status IN ('active','retired'))`);

  await knex.schema.createTable('loans', (t) => {
    t.bigIncrements('id');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.integer('product_id').notNullable().references('id').inTable('loan_products');
    t.bigInteger('principal').notNullable();
    t.bigInteger('fee').notNullable();
    t.bigInteger('interest').notNullable();
    t.text('interest_method').notNullable();
    t.integer('rate_bp').notNullable();
    t.integer('penalty_bp').notNullable();
    t.integer('penalty_grace_days').notNullable();
    t.text('period_unit').notNullable();
    t.integer('period_length').notNullable();
    t.text('status').notNullable().defaultTo('applied');
    t.date('disbursed_on').notNullable();
    t.timestamp('disbursed_at', { useTz: true }).nullable();
    // Set in the transaction that inserts the loan: the account's code carries the loan id.
    t.integer('receivable_account_id').nullable().unique().references('id').inTable('accounts');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('disbursement_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.bigInteger('written_off_amount').nullable();
    t.text('written_off_by').nullable();
    t.bigInteger('write_off_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE loans
      ADD CONSTRAINT loans_amounts_check CHECK (principal > 0 AND fee >= 0 AND interest >= 0),
      ADD CONSTRAINT loans_status_check CHECK (status IN ('applied','active','overdue','repaid','written_off')),
      ADD CONSTRAINT loans_disbursed_check CHECK (
        status = 'applied' OR (receivable_account_id IS NOT NULL AND disbursement_entry_id IS NOT NULL)),
      ADD CONSTRAINT loans_written_off_check CHECK (
        (status = 'written_off') = (write_off_entry_id IS NOT NULL AND written_off_by IS NOT NULL))`);

  await knex.schema.createTable('loan_installments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('loan_id').notNullable().references('id').inTable('loans');
    t.integer('seq').notNullable();
    t.date('due_date').notNullable();
    for (const c of ['principal', 'interest', 'fee', 'penalty', 'paid_principal', 'paid_interest', 'paid_fee', 'paid_penalty']) {
      t.bigInteger(c).notNullable().defaultTo(0);
    }
    t.text('status').notNullable().defaultTo('pending');
    t.unique(['loan_id', 'seq']);
  });
  await knex.raw(`
    ALTER TABLE loan_installments
      ADD CONSTRAINT loan_installments_paid_check CHECK (
        paid_principal BETWEEN 0 AND principal AND paid_interest BETWEEN 0 AND interest
        AND paid_fee BETWEEN 0 AND fee AND paid_penalty BETWEEN 0 AND penalty),
      ADD CONSTRAINT loan_installments_status_check CHECK (status IN ('pending','paid','written_off'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('loan_installments');
  await knex.schema.dropTable('loans');
  await knex.schema.dropTable('loan_products');
}
