import type { Knex } from 'knex';

/**
 * `sms_inbound`: one row per SMS AT relayed to `POST /sms/inbound` (AT's "incoming
 * messages" callback). `at_id` is AT's message `id` and is unique: AT retries a callback
 * it got no 200 for, and a retry must do nothing twice. `text` is stored REDACTED: a PIN
 * the customer sent by mistake is `****` here (src/sms/inbound/parser.ts decides what a
 * PIN is). `command` is the command it was read as (`balance`, `send`, ...; null when no
 * command was recognised); `outcome` what became of it (src/sms/inbound handle.ts
 * InboundOutcome: `replied`, `staged`, `usage`, `unregistered`, `inactive`, `pin_refused`,
 * `refused`, `rate_warned`, `dropped`, `error`; `received` only inside the transaction).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_inbound', (t) => {
    t.bigIncrements('id');
    t.text('at_id').notNullable().unique();
    t.text('msisdn').notNullable();
    t.text('to').notNullable();
    t.text('text').notNullable();
    t.text('link_id').nullable();
    t.text('command').nullable();
    t.text('outcome').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['msisdn', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_inbound');
}
