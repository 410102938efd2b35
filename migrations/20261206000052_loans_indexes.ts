import type { Knex } from 'knex';

/**
 * Indexes for loans: a customer's loans (the menu, the loan limit, the sweep), the open
 * loans the daily accrual walks, and a loan's repayments and penalties (its statement).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX loans_customer_idx ON loans (customer_id)');
  await knex.raw(`CREATE INDEX loans_open_idx ON loans (id) WHERE status IN ('active','overdue')`);
  await knex.raw(`CREATE INDEX loan_installments_pending_due_idx ON loan_installments (due_date) WHERE status = 'pending'`);
  await knex.raw('CREATE INDEX loan_repayments_loan_idx ON loan_repayments (loan_id)');
  await knex.raw('CREATE INDEX loan_penalties_loan_idx ON loan_penalties (loan_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['loan_penalties_loan_idx', 'loan_repayments_loan_idx', 'loan_installments_pending_due_idx', 'loans_open_idx', 'loans_customer_idx']) {
    await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  }
}
