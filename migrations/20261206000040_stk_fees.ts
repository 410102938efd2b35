import type { Knex } from 'knex';

/**
 * School fees by STK push (issue 7): a push for a student's fees is an `stk_requests` row
 * like a top-up's, with `student_id` (null for a wallet top-up) and the `account_reference`
 * the push carried (the admission number, cut to Daraja's 12 characters). The callback of
 * a row with a student lands the money on that student (src/mpesa/stk-fees.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('stk_requests', (t) => {
    t.integer('student_id').nullable().references('id').inTable('students');
    t.text('account_reference').nullable();
  });
  await knex.raw(`CREATE INDEX stk_requests_student_idx ON stk_requests (student_id) WHERE student_id IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS stk_requests_student_idx');
  await knex.schema.alterTable('stk_requests', (t) => {
    t.dropColumn('account_reference');
    t.dropColumn('student_id');
  });
}
