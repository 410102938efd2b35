import type { Knex } from 'knex';

/**
 * `sms_bulk_sends`: an operator's confirmed send to a segment (POST /admin/sms/bulk): the
 * segment as asked, the counts written, and the API key that asked. Its outbox rows carry
 * dedupe keys `bulk:<id>:<msisdn>`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_bulk_sends', (t) => {
    t.bigIncrements('id');
    t.jsonb('segment').notNullable();
    t.jsonb('message').notNullable();
    t.integer('recipients').notNullable();
    t.integer('opted_out').notNullable();
    t.integer('parts').notNullable();
    t.bigInteger('estimated_cost_cents').notNullable();
    t.integer('created_by_key_id').notNullable();
    t.text('created_by_key_name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_bulk_sends');
}
