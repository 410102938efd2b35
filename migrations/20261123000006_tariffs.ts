import type { Knex } from 'knex';

/** Tariffs: the charge for an amount band (inclusive, cents) of a kind of transaction. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tariffs', (t) => {
    t.increments('id');
    t.text('kind').notNullable();
    t.bigInteger('min_amount').notNullable();
    t.bigInteger('max_amount').notNullable();
    t.bigInteger('charge').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['kind', 'min_amount']);
  });
  await knex.raw(`ALTER TABLE tariffs ADD CONSTRAINT tariffs_band_check
    CHECK (min_amount > 0 AND max_amount >= min_amount AND charge >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tariffs');
}
