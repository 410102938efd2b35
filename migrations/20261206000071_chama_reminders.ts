import type { Knex } from 'knex';

/**
 * `chama_reminders`: one row per scheduled chama SMS decided by the daily run
 * (src/chama/reminders.ts) — a member's reminder before a cycle's due day (`kind`
 * `reminder`, `period` the due day) or an official's weekly summary (`kind` `summary`,
 * `period` the Monday). The row is written in the same transaction as the SMS; the unique
 * key makes a second run of the same day, or two workers at once, write nothing twice.
 * `sms` is how many outbox rows were written (0 when the number opted out); `amount` is
 * what the reminder said was due (cents), null for a summary.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('chama_reminders', (t) => {
    t.bigIncrements('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.text('kind').notNullable();
    t.text('period').notNullable();
    t.bigInteger('amount').nullable();
    t.integer('sms').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['chama_id', 'member_id', 'kind', 'period']);
  });
  await knex.raw(`
    ALTER TABLE chama_reminders
      ADD CONSTRAINT chama_reminders_kind_check CHECK (kind IN ('reminder','summary')),
      ADD CONSTRAINT chama_reminders_period_check CHECK (period ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('chama_reminders');
}
