import type { Knex } from 'knex';

/**
 * Terms, fee structures and invoices.
 *
 * A term belongs to a school and falls due on `due_date` (a date in Africa/Nairobi);
 * `invoiced_at` is when it was first invoiced. A fee structure is what a class owes for a
 * term, in KES cents (unique per term and class). An invoice is one student's charge for one
 * term, with the journal entry that posted it in the school's book (unique per term and
 * student: a term is invoiced to a student once, however often the run is repeated).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('terms', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('id').inTable('schools');
    t.text('name').notNullable();
    t.date('due_date').notNullable();
    t.timestamp('invoiced_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['school_id', 'name']);
  });
  await knex.schema.createTable('fee_structures', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('id').inTable('schools');
    t.integer('term_id').notNullable().references('id').inTable('terms');
    t.text('class').notNullable();
    t.bigInteger('amount').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['term_id', 'class']);
  });
  await knex.raw('ALTER TABLE fee_structures ADD CONSTRAINT fee_structures_amount_check CHECK (amount > 0)');
  await knex.schema.createTable('invoices', (t) => {
    t.bigIncrements('id');
    t.integer('term_id').notNullable().references('id').inTable('terms');
    t.integer('student_id').notNullable().references('id').inTable('students');
    t.bigInteger('amount').notNullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['term_id', 'student_id']);
    t.index(['student_id']);
  });
  await knex.raw('ALTER TABLE invoices ADD CONSTRAINT invoices_amount_check CHECK (amount > 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invoices');
  await knex.schema.dropTable('fee_structures');
  await knex.schema.dropTable('terms');
}
