import type { Knex } from 'knex';

/**
 * `fee_reminders`: one row each time a student's guardians were sent an arrears reminder
 * (src/fees/arrears.ts), with the balance and term it was about: the weekly cap reads it,
 * and so does the person asking "why did this parent get an SMS?".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fee_reminders', (t) => {
    t.bigIncrements('id');
    t.integer('student_id').notNullable().references('id').inTable('students');
    t.integer('term_id').notNullable().references('id').inTable('terms');
    t.bigInteger('balance').notNullable();
    t.integer('recipients').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.index(['student_id', 'sent_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('fee_reminders');
}
