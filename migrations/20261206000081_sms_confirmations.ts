import type { Knex } from 'knex';

/**
 * `sms_confirmations`: money commands received by SMS, each waiting for its owner to dial
 * `*384*<code>#` and enter the PIN (src/sms/confirm). `code` is 4 digits, unique among the
 * MSISDN's live (unused, unexpired) requests: the application picks it under an advisory
 * lock on the MSISDN. `command` is the parsed command (amounts as decimal strings) and
 * `quote` the facts checked when it was staged (names, charge, the loan or chama picked).
 * `used_at` is set when the money moved (the transfer is keyed `sms:<id>`, so a request
 * executes once however often it is dialled). No PIN is ever stored here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_confirmations', (t) => {
    t.bigIncrements('id');
    t.text('msisdn').notNullable();
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('code').notNullable();
    t.jsonb('command').notNullable();
    t.jsonb('quote').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['msisdn', 'code']);
  });
  await knex.raw(`ALTER TABLE sms_confirmations ADD CONSTRAINT sms_confirmations_code_check CHECK (code ~ '^[0-9]{4}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_confirmations');
}
