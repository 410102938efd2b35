import type { Knex } from 'knex';

/**
 * Students of a school and their guardians.
 *
 * `admission_no` is unique per school and stored upper case (`adm001` as typed is `ADM001`),
 * so that a payment's bill reference matches it in any case. `receivable_account_id` is the
 * student's account in the school's book (`school:<school id>:student:<id>`, an asset): its
 * signed balance is what the student owes, negative when they are in credit.
 *
 * `student_guardians`: the MSISDNs (E.164) that get the student's invoices and receipts and
 * see the school in the USSD School Fees menu; one or more per student.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('students', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('id').inTable('schools');
    t.text('admission_no').notNullable();
    t.text('name').notNullable();
    t.text('class').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('receivable_account_id').notNullable().unique().references('id').inTable('accounts');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['school_id', 'admission_no']);
    t.index(['school_id', 'class']);
  });
  await knex.raw(`
    ALTER TABLE students
      ADD CONSTRAINT students_admission_no_check CHECK (admission_no ~ '^[A-Z0-9][A-Z0-9/-]{0,19}$'),
      ADD CONSTRAINT students_status_check CHECK (status IN ('active','left'))`);
  await knex.schema.createTable('student_guardians', (t) => {
    t.increments('id');
    t.integer('student_id').notNullable().references('id').inTable('students');
    t.text('msisdn').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['student_id', 'msisdn']);
    t.index(['msisdn']);
  });
  await knex.raw(`ALTER TABLE student_guardians ADD CONSTRAINT student_guardians_msisdn_check CHECK (msisdn ~ '^\\+[0-9]{9,15}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('student_guardians');
  await knex.schema.dropTable('students');
}
