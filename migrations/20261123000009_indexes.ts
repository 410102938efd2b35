import type { Knex } from 'knex';

/** Indexes of the first slice, in one place. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX postings_account_id_idx ON postings (account_id, id)');
  await knex.raw('CREATE INDEX postings_journal_entry_id_idx ON postings (journal_entry_id)');
  await knex.raw('CREATE INDEX journal_entries_kind_created_at_idx ON journal_entries (kind, created_at)');
  // A journal entry is reversed at most once.
  await knex.raw('CREATE UNIQUE INDEX journal_entries_reverses_id_key ON journal_entries (reverses_id) WHERE reverses_id IS NOT NULL');
  await knex.raw(`CREATE INDEX sms_outbox_pending_idx ON sms_outbox (id) WHERE status = 'pending'`);
  await knex.raw('CREATE INDEX sms_outbox_at_message_id_idx ON sms_outbox (at_message_id) WHERE at_message_id IS NOT NULL');
  await knex.raw('CREATE INDEX customers_national_id_idx ON customers (national_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX customers_national_id_idx');
  await knex.raw('DROP INDEX sms_outbox_at_message_id_idx');
  await knex.raw('DROP INDEX sms_outbox_pending_idx');
  await knex.raw('DROP INDEX journal_entries_reverses_id_key');
  await knex.raw('DROP INDEX journal_entries_kind_created_at_idx');
  await knex.raw('DROP INDEX postings_journal_entry_id_idx');
  await knex.raw('DROP INDEX postings_account_id_idx');
}
