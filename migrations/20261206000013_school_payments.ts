import type { Knex } from 'knex';

/**
 * School fee payments, from every channel: a Simu wallet (`wallet`), M-Pesa C2B to a
 * paybill (`mpesa_c2b`), an STK push (`mpesa_stk`), a bank webhook (`bank`). One row per
 * payment, unique by its idempotency key (`ussd:<sessionId>:<n>`, `mpesa:<receipt>`,
 * `bank:<bank>:<id>`), written in the transaction of its journal entry.
 *
 * `reference` is what the payer gave as the account (an admission number, as received);
 * `raw` the rail's payload as sent. status: `posted` (on the student at once) | `unmatched`
 * (no student matched: nothing in the school's book; `journal_entry_id` is the platform
 * entry when the money landed in Simu's own paybill, else null) → `allocated` (a bursar
 * named the student: `allocation_entry_id`, who and when).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('school_payments', (t) => {
    t.bigIncrements('id');
    t.integer('school_id').notNullable().references('id').inTable('schools');
    t.integer('student_id').nullable().references('id').inTable('students');
    t.text('channel').notNullable();
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('amount').notNullable();
    t.text('payer_msisdn').nullable();
    t.text('reference').notNullable();
    t.text('status').notNullable();
    t.bigInteger('journal_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.bigInteger('allocation_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.jsonb('raw').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('allocated_at', { useTz: true }).nullable();
    t.text('allocated_by').nullable();
    t.index(['school_id', 'status', 'id']);
    t.index(['student_id']);
  });
  await knex.raw(`
    ALTER TABLE school_payments
      ADD CONSTRAINT school_payments_channel_check CHECK (channel IN ('wallet','mpesa_c2b','mpesa_stk','bank')),
      ADD CONSTRAINT school_payments_status_check CHECK (status IN ('posted','unmatched','allocated')),
      ADD CONSTRAINT school_payments_amount_check CHECK (amount > 0),
      ADD CONSTRAINT school_payments_student_check CHECK ((status = 'unmatched') = (student_id IS NULL)),
      ADD CONSTRAINT school_payments_allocation_check CHECK ((status = 'allocated') = (allocation_entry_id IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('school_payments');
}
