import type { Knex } from 'knex';

/**
 * `sms_outbox.secret_sealed`: the secret of an SMS that carries one (a one-time code, an
 * initial PIN), AES-256-GCM sealed (src/sms/secret.ts); the message holds `{secret}` in its
 * place. Emptied once the SMS is sent or failed for good. Rows written before this
 * migration that still hold a secret in clear are left as they are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.text('secret_sealed').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_outbox', (t) => {
    t.dropColumn('secret_sealed');
  });
}
