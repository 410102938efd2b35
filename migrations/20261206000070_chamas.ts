import type { Knex } from 'knex';

/**
 * Chamas (savings groups, issue 9): the group, its members, and what they pay.
 *
 * A chama has a short code for SMS (`UMOJA`), a contribution per cycle split into a
 * merry-go-round part (paid out each cycle) and a savings part (kept), a frequency (weekly
 * or monthly) counted from `first_due_on` (cycle n is due on `first_due_on` + n−1 periods),
 * a fine (`fine_amount` after `fine_grace_days`), and a loan policy (a loan product of the
 * loan engine, a multiple of the member's own savings as the cap, the number of guarantors).
 *
 * Ledger accounts (src/chama/books.ts): in the platform book `pot_account_id`
 * (`chama:<id>:pot`, the merry-go-round money awaiting payout), `savings_account_id`
 * (`chama:<id>:savings`, the group's cash: savings parts, paid fines, loan repayments) and
 * `loans_account_id` (`chama:<id>:loans`, what members owe the group on its loans); in the
 * chama's own book `chama:<id>`, `fines_levied_account_id` and `fines_collected_account_id`
 * (the offsets of the members' fines receivables) and `savings_held_account_id` (the offset of
 * the members' savings accounts). A member has `savings_account_id` (their savings in the
 * group) and `fines_account_id` (fines they owe) in the chama's book.
 *
 * Members form the merry-go-round queue by `rotation_position`: the lowest is paid next, and
 * goes to the back once paid (or skipped for arrears).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('chamas', (t) => {
    t.increments('id');
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.bigInteger('contribution_amount').notNullable();
    t.bigInteger('merry_go_round_amount').notNullable();
    t.text('frequency').notNullable();
    t.date('first_due_on').notNullable();
    t.bigInteger('fine_amount').notNullable().defaultTo(0);
    t.integer('fine_grace_days').notNullable().defaultTo(0);
    t.text('loan_product_code').nullable();
    t.integer('loan_multiple').notNullable().defaultTo(3);
    t.integer('loan_guarantors').notNullable().defaultTo(2);
    t.integer('pot_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('savings_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('loans_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('fines_levied_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('fines_collected_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('savings_held_account_id').notNullable().unique().references('id').inTable('accounts');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE chamas
      ADD CONSTRAINT chamas_code_check CHECK (code ~ '^[A-Z][A-Z0-9]{1,11}$'),
      ADD CONSTRAINT chamas_status_check CHECK (status IN ('active','suspended')),
      ADD CONSTRAINT chamas_amounts_check CHECK (contribution_amount > 0 AND merry_go_round_amount >= 0
        AND merry_go_round_amount <= contribution_amount AND fine_amount >= 0 AND fine_grace_days BETWEEN 0 AND 60),
      ADD CONSTRAINT chamas_frequency_check CHECK (frequency IN ('weekly','monthly')),
      ADD CONSTRAINT chamas_due_day_check CHECK (frequency = 'weekly' OR EXTRACT(DAY FROM first_due_on) <= 28),
      ADD CONSTRAINT chamas_loan_policy_check CHECK (loan_multiple BETWEEN 0 AND 20 AND loan_guarantors BETWEEN 0 AND 5)`);

  await knex.schema.createTable('chama_members', (t) => {
    t.increments('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('customer_id').notNullable().references('id').inTable('customers');
    t.text('role').notNullable().defaultTo('member');
    t.integer('rotation_position').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('savings_account_id').notNullable().unique().references('id').inTable('accounts');
    t.integer('fines_account_id').notNullable().unique().references('id').inTable('accounts');
    t.timestamp('joined_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('left_at', { useTz: true }).nullable();
    t.index(['customer_id']);
  });
  await knex.raw(`
    ALTER TABLE chama_members
      ADD CONSTRAINT chama_members_role_check CHECK (role IN ('chairperson','treasurer','secretary','member')),
      ADD CONSTRAINT chama_members_status_check CHECK (status IN ('active','left'))`);
  await knex.raw(`CREATE UNIQUE INDEX chama_members_active_unique ON chama_members (chama_id, customer_id) WHERE status = 'active'`);
  await knex.raw(`CREATE UNIQUE INDEX chama_members_office_unique ON chama_members (chama_id, role) WHERE status = 'active' AND role <> 'member'`);

  // One row per contribution: one journal entry, its allocation in chama_dues_paid and fines_paid.
  await knex.schema.createTable('chama_contributions', (t) => {
    t.bigIncrements('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.bigInteger('amount').notNullable();
    t.bigInteger('fines_paid').notNullable().defaultTo(0);
    t.text('channel').notNullable().defaultTo('wallet');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['chama_id', 'member_id']);
  });
  await knex.raw(`ALTER TABLE chama_contributions ADD CONSTRAINT chama_contributions_amount_check CHECK (amount > 0 AND fines_paid >= 0 AND fines_paid <= amount)`);

  await knex.schema.createTable('chama_payouts', (t) => {
    t.increments('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('cycle_no').notNullable();
    t.integer('recipient_member_id').notNullable().references('id').inTable('chama_members');
    t.integer('skipped_member_id').nullable().references('id').inTable('chama_members');
    t.boolean('override').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('pending');
    t.bigInteger('amount').nullable();
    t.bigInteger('journal_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('paid_at', { useTz: true }).nullable();
  });
  await knex.raw(`
    ALTER TABLE chama_payouts
      ADD CONSTRAINT chama_payouts_status_check CHECK (status IN ('pending','paid','cancelled')),
      ADD CONSTRAINT chama_payouts_paid_check CHECK ((status = 'paid') = (journal_entry_id IS NOT NULL AND amount IS NOT NULL))`);
  await knex.raw(`CREATE UNIQUE INDEX chama_payouts_cycle_unique ON chama_payouts (chama_id, cycle_no) WHERE status <> 'cancelled'`);

  // What each contribution paid toward each cycle (the merry-go-round part is paid out once: payout_id).
  await knex.schema.createTable('chama_dues_paid', (t) => {
    t.bigIncrements('id');
    t.bigInteger('contribution_id').notNullable().references('id').inTable('chama_contributions');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.integer('cycle_no').notNullable();
    t.bigInteger('merry_go_round').notNullable();
    t.bigInteger('savings').notNullable();
    t.integer('payout_id').nullable().references('id').inTable('chama_payouts');
    t.index(['chama_id', 'member_id', 'cycle_no']);
    t.index(['chama_id', 'cycle_no']);
  });
  await knex.raw(`ALTER TABLE chama_dues_paid ADD CONSTRAINT chama_dues_paid_check CHECK (cycle_no >= 1 AND merry_go_round >= 0 AND savings >= 0 AND merry_go_round + savings > 0)`);

  await knex.schema.createTable('chama_fines', (t) => {
    t.bigIncrements('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.integer('cycle_no').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('journal_entry_id').notNullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['chama_id', 'member_id', 'cycle_no']);
  });

  // An official's approval (with their PIN) of a payout, a member's exit or a group loan.
  await knex.schema.createTable('chama_approvals', (t) => {
    t.bigIncrements('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.text('subject').notNullable();
    t.bigInteger('subject_id').notNullable();
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['subject', 'subject_id', 'member_id']);
  });
  await knex.raw(`ALTER TABLE chama_approvals ADD CONSTRAINT chama_approvals_subject_check CHECK (subject IN ('payout','exit','loan'))`);

  await knex.schema.createTable('chama_exits', (t) => {
    t.increments('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.text('status').notNullable().defaultTo('pending');
    t.bigInteger('savings').nullable();
    t.bigInteger('fines').nullable();
    t.bigInteger('amount').nullable();
    t.bigInteger('journal_entry_id').nullable().unique().references('id').inTable('journal_entries');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('paid_at', { useTz: true }).nullable();
  });
  await knex.raw(`ALTER TABLE chama_exits ADD CONSTRAINT chama_exits_status_check CHECK (status IN ('pending','paid','cancelled'))`);
  await knex.raw(`CREATE UNIQUE INDEX chama_exits_pending_unique ON chama_exits (member_id) WHERE status = 'pending'`);

  await knex.schema.createTable('chama_loan_requests', (t) => {
    t.increments('id');
    t.integer('chama_id').notNullable().references('id').inTable('chamas');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.bigInteger('amount').notNullable();
    t.text('status').notNullable().defaultTo('guarantors');
    t.bigInteger('loan_id').nullable().unique().references('id').inTable('loans');
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true }).nullable();
    t.index(['chama_id', 'status']);
  });
  await knex.raw(`
    ALTER TABLE chama_loan_requests
      ADD CONSTRAINT chama_loan_requests_amount_check CHECK (amount > 0),
      ADD CONSTRAINT chama_loan_requests_status_check CHECK (status IN ('guarantors','treasurer','disbursed','declined'))`);
  await knex.raw(`CREATE UNIQUE INDEX chama_loan_requests_open_unique ON chama_loan_requests (member_id) WHERE status IN ('guarantors','treasurer')`);

  await knex.schema.createTable('chama_guarantors', (t) => {
    t.integer('request_id').notNullable().references('id').inTable('chama_loan_requests');
    t.integer('member_id').notNullable().references('id').inTable('chama_members');
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('decided_at', { useTz: true }).nullable();
    t.primary(['request_id', 'member_id']);
    t.index(['member_id', 'status']);
  });
  await knex.raw(`ALTER TABLE chama_guarantors ADD CONSTRAINT chama_guarantors_status_check CHECK (status IN ('pending','accepted','declined'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['chama_guarantors', 'chama_loan_requests', 'chama_exits', 'chama_approvals', 'chama_fines', 'chama_dues_paid', 'chama_payouts', 'chama_contributions', 'chama_members', 'chamas']) {
    await knex.schema.dropTableIfExists(table);
  }
}
