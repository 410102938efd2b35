import type { Knex } from 'knex';

/**
 * M-Pesa receipts: every payment Daraja confirms to Simu's paybill (C2B now, STK push
 * next), one row per M-Pesa transaction id, whatever became of it. The unique `trans_id`
 * is what makes a replayed confirmation a no-op; the ledger key `mpesa:<trans_id>` makes
 * sure the money posts once even if a C2B confirmation and an STK callback both arrive.
 *
 * status: `posted` (credited to a wallet), `suspense` (held in `suspense:mpesa`: no active
 * customer for the account, or over their maximum balance), `allocated` (an operator moved
 * it from suspense to a wallet).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mpesa_receipts', (t) => {
    t.bigIncrements('id');
    t.text('trans_id').notNullable().unique();
    t.text('kind').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('bill_ref').notNullable().defaultTo('');
    /** The payer's MSISDN as Daraja gave it (masked in C2B v2). */
    t.text('msisdn').notNullable().defaultTo('');
    t.text('short_code').notNullable();
    t.jsonb('payload').notNullable();
    t.text('status').notNullable();
    t.text('status_reason').nullable();
    t.bigInteger('journal_entry_id').nullable().references('id').inTable('journal_entries');
    t.integer('customer_id').nullable().references('id').inTable('customers');
    t.integer('allocated_to').nullable().references('id').inTable('customers');
    t.bigInteger('allocation_entry_id').nullable().references('id').inTable('journal_entries');
    t.text('allocation_reason').nullable();
    t.text('allocated_by').nullable();
    t.timestamp('allocated_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE mpesa_receipts
      ADD CONSTRAINT mpesa_receipts_kind_check CHECK (kind IN ('c2b','stk')),
      ADD CONSTRAINT mpesa_receipts_status_check CHECK (status IN ('posted','suspense','allocated')),
      ADD CONSTRAINT mpesa_receipts_amount_check CHECK (amount > 0),
      ADD CONSTRAINT mpesa_receipts_allocated_check CHECK (status <> 'allocated' OR (allocated_to IS NOT NULL AND allocation_entry_id IS NOT NULL))`);
  await knex.raw(`CREATE INDEX mpesa_receipts_suspense_idx ON mpesa_receipts (id) WHERE status = 'suspense'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mpesa_receipts');
}
