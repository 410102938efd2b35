import type { Knex } from 'knex';

/**
 * Merchants (Lipa): a paybill or a till, with its settlement account in the ledger (a
 * no-overdraft liability: Simu owes the merchant), the number its payment SMS go to, and
 * optional Daraja C2B-style validation and confirmation URLs. `validation_default` is what
 * a payment does when the validation URL does not answer within `validation_timeout_ms`
 * (Daraja's ResponseType Completed / Cancelled). A paybill and a till may share a number,
 * as on M-Pesa: the number is unique per kind.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merchants', (t) => {
    t.increments('id');
    t.text('kind').notNullable();
    t.text('short_code').notNullable();
    t.text('name').notNullable();
    t.integer('settlement_account_id').notNullable().unique().references('id').inTable('accounts');
    t.text('sms_msisdn').notNullable();
    t.text('validation_url').nullable();
    t.text('confirmation_url').nullable();
    t.text('validation_default').notNullable().defaultTo('accept');
    t.integer('validation_timeout_ms').notNullable().defaultTo(3000);
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['kind', 'short_code']);
  });
  await knex.raw(`
    ALTER TABLE merchants
      ADD CONSTRAINT merchants_kind_check CHECK (kind IN ('paybill','till')),
      ADD CONSTRAINT merchants_short_code_check CHECK (short_code ~ '^[0-9]{5,7}$'),
      ADD CONSTRAINT merchants_validation_default_check CHECK (validation_default IN ('accept','reject')),
      ADD CONSTRAINT merchants_validation_timeout_check CHECK (validation_timeout_ms BETWEEN 100 AND 5000),
      ADD CONSTRAINT merchants_status_check CHECK (status IN ('active','suspended'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('merchants');
}
