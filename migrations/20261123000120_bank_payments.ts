import type { Knex } from 'knex';

/**
 * Bank payments: one row per payment a bank's webhook told us about (Equity, KCB), written
 * in the transaction of its journal entry. `transaction_id` is the bank's own id
 * (Equity `transactionId`, KCB `transactionRef`), unique per bank; `account` is what the
 * payer typed (Equity `studentId`, KCB `accountNumber`); `payload` the bank's JSON as sent.
 *
 * status: posted (credited to a customer's wallet: customer_id, msisdn) | suspense (held on
 * suspense:bank: suspense_reason says why) → allocated (an operator moved it to a wallet:
 * allocation_entry_id and who, when, why).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bank_payments', (t) => {
    t.bigIncrements('id');
    t.text('bank').notNullable();
    t.text('transaction_id').notNullable();
    t.text('account').notNullable();
    t.bigInteger('amount').notNullable();
    t.jsonb('payload').notNullable();
    t.text('status').notNullable();
    t.text('suspense_reason').nullable();
    t.integer('customer_id').nullable().references('id').inTable('customers');
    t.text('msisdn').nullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.bigInteger('allocation_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.text('allocation_reason').nullable();
    t.text('allocated_by').nullable();
    t.timestamp('allocated_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['bank', 'transaction_id']);
    t.index(['status', 'id']);
  });
  await knex.raw(`ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_status_check
    CHECK (status IN ('posted','suspense','allocated'))`);
  await knex.raw('ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_amount_check CHECK (amount > 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bank_payments');
}
