import type { Knex } from 'knex';

/**
 * Agents: who takes cash in and pays cash out. An agent has a 6-digit agent number, one or
 * more stores (outlets sharing the agent's float), a float account and a commission account
 * in the ledger (both no-overdraft liabilities: Simu owes the agent), a PIN (keyed hash,
 * with the wrong-PIN count and lock as customers have), and may sit under a super agent who
 * supplies float. A super agent is an agent of kind `super_agent` with no super agent.
 *
 * `commission_rates` makes what agents earn data, as tariffs make charges data: a rate in
 * basis points of a base (the charge of a withdrawal, the amount of a deposit) with a floor.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agents', (t) => {
    t.increments('id');
    t.text('agent_number').notNullable().unique();
    t.text('name').notNullable();
    t.text('msisdn').notNullable().unique();
    t.text('kind').notNullable().defaultTo('agent');
    t.integer('super_agent_id').nullable().references('id').inTable('agents');
    t.integer('float_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('commission_account_id').notNullable().unique().references('id').inTable('accounts');
    t.text('pin_hash').notNullable();
    t.integer('pin_failed_attempts').notNullable().defaultTo(0);
    t.timestamp('pin_locked_until', { useTz: true }).nullable();
    t.specificType('language', 'char(2)').notNullable().defaultTo('en');
    t.text('status').notNullable().defaultTo('active');
    t.text('status_reason').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE agents
      ADD CONSTRAINT agents_number_check CHECK (agent_number ~ '^[0-9]{6}$'),
      ADD CONSTRAINT agents_kind_check CHECK (kind IN ('agent','super_agent')),
      ADD CONSTRAINT agents_super_check CHECK (kind = 'agent' OR super_agent_id IS NULL),
      ADD CONSTRAINT agents_language_check CHECK (language IN ('en','sw')),
      ADD CONSTRAINT agents_status_check CHECK (status IN ('active','suspended'))`);
  await knex.schema.createTable('agent_stores', (t) => {
    t.increments('id');
    t.integer('agent_id').notNullable().references('id').inTable('agents');
    t.text('store_number').notNullable();
    t.text('name').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['agent_id', 'store_number']);
  });
  await knex.raw(`
    ALTER TABLE agent_stores
      ADD CONSTRAINT agent_stores_number_check CHECK (store_number ~ '^[0-9]{1,6}$'),
      ADD CONSTRAINT agent_stores_status_check CHECK (status IN ('active','closed'))`);
  await knex.schema.createTable('commission_rates', (t) => {
    t.text('kind').primary();
    t.text('base').notNullable();
    t.integer('rate_bp').notNullable();
    t.bigInteger('min_commission').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE commission_rates
      ADD CONSTRAINT commission_rates_base_check CHECK (base IN ('charge','amount')),
      ADD CONSTRAINT commission_rates_rate_check CHECK (rate_bp BETWEEN 0 AND 10000),
      ADD CONSTRAINT commission_rates_min_check CHECK (min_commission >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('commission_rates');
  await knex.schema.dropTable('agent_stores');
  await knex.schema.dropTable('agents');
}
