import type { Knex } from 'knex';

/**
 * A merchant's terms as data: `commission_bp`, the Lipa commission in basis points of the
 * amount (50 = 0.5 %, what every merchant paid before; at most 1000 = 10 %), and
 * `language`, what its payment SMS speak ('en' or 'sw'; English, as before).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('merchants', (t) => {
    t.integer('commission_bp').notNullable().defaultTo(50);
    t.text('language').notNullable().defaultTo('en');
  });
  await knex.raw(`
    ALTER TABLE merchants
      ADD CONSTRAINT merchants_commission_bp_check CHECK (commission_bp BETWEEN 0 AND 1000),
      ADD CONSTRAINT merchants_language_check CHECK (language IN ('en','sw'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('merchants', (t) => {
    t.dropColumn('commission_bp');
    t.dropColumn('language');
  });
}
