import type { Knex } from 'knex';

/**
 * What the admin view and retry of merchant confirmations need: `next_attempt_at`, when the
 * next POST is due (null once delivered): now for a new row, after bull's backoff when a
 * try failed, an hour on when a job ran out of attempts (`failed`); the relay takes
 * `failed` rows whose time has come, and an operator's retry sets it to now. Existing rows
 * get what the old rule (failed rows retried an hour after their last claim) implied. An
 * index serves a merchant's confirmations newest first, another the relay's scan of failed rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('merchant_confirmations', (t) => {
    t.timestamp('next_attempt_at', { useTz: true }).nullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    UPDATE merchant_confirmations SET next_attempt_at = CASE status
      WHEN 'delivered' THEN NULL
      WHEN 'failed' THEN coalesce(claimed_at, created_at) + interval '60 minutes'
      ELSE coalesce(queued_at, created_at) END`);
  await knex.raw('CREATE INDEX merchant_confirmations_merchant_idx ON merchant_confirmations (merchant_id, id)');
  await knex.raw(`CREATE INDEX merchant_confirmations_failed_due_idx ON merchant_confirmations (next_attempt_at) WHERE status = 'failed'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX merchant_confirmations_failed_due_idx');
  await knex.raw('DROP INDEX merchant_confirmations_merchant_idx');
  await knex.schema.alterTable('merchant_confirmations', (t) => {
    t.dropColumn('next_attempt_at');
  });
}
