import type { Knex } from 'knex';

/**
 * Loans (issue 8): who funds a loan. A loan with no funder is the platform's (its income
 * goes to the revenue accounts). A funded loan lends a group's money (a chama's savings):
 * `funder_account_id` is the group's cash (`fund`, a no-overdraft liability of the platform
 * book) that the principal leaves and repayments return to, and `claims_account_id` (a
 * liability of the platform book) carries what the group's members owe it on its loans:
 * its balance is minus the sum of the receivables of the group's live loans, and every
 * fee, interest, penalty and write-off of the loan lands there instead of a revenue or
 * expense account. Both are set or neither.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('loans', (t) => {
    t.integer('funder_account_id').nullable().references('id').inTable('accounts');
    t.integer('claims_account_id').nullable().references('id').inTable('accounts');
  });
  await knex.raw(`
    ALTER TABLE loans
      ADD CONSTRAINT loans_funder_check CHECK ((funder_account_id IS NULL) = (claims_account_id IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE loans DROP CONSTRAINT IF EXISTS loans_funder_check');
  await knex.schema.alterTable('loans', (t) => {
    t.dropColumn('claims_account_id');
    t.dropColumn('funder_account_id');
  });
}
