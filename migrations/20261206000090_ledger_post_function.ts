import type { Knex } from 'knex';

/**
 * `ledger_post()`: the body of `transfer()` (src/ledger/post.ts) as one server-side call,
 * so that a transfer without hooks is one round trip and a hot account's row lock is held
 * for one statement, not for four round trips. In order, in the caller's transaction:
 *
 *   1. claim the idempotency key (when `p_claim`; a concurrent twin waits on the key's
 *      unique index); a key claimed before answers `replay` with its hash and entry;
 *   2. lock every account, in ascending id order (one global order: no deadlocks);
 *   3. refuse an unknown account, an entry unbalanced within a book, an overdraft of a
 *      no-overdraft account (the CHECK on accounts refuses it again);
 *   4. write the entry (a taken transaction code answers `code_taken`), its postings with
 *      the balances after, the new balances and the key's entry id.
 *
 * A refusal writes nothing and leaves the key as it found it (a key claimed in step 1 is
 * deleted). Amounts are KES cents (bigint); `p_amounts[i]` is posted to `p_account_ids[i]`,
 * and `balances_after[i]` is that account's balance right after.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION ledger_post(
      p_key text, p_hash text, p_claim boolean, p_account_ids int[], p_amounts bigint[],
      p_code text, p_kind text, p_amount bigint, p_reverses_id bigint, p_memo text, p_metadata jsonb, p_created_at timestamptz,
      OUT outcome text, OUT entry_id bigint, OUT entry_code text, OUT entry_created_at timestamptz,
      OUT balances_after bigint[], OUT detail text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      locked int;
    BEGIN
      IF p_claim THEN
        INSERT INTO idempotency_keys (key, request_hash) VALUES (p_key, p_hash) ON CONFLICT (key) DO NOTHING;
        IF NOT FOUND THEN
          SELECT 'replay', k.journal_entry_id, k.request_hash INTO outcome, entry_id, detail
            FROM idempotency_keys k WHERE k.key = p_key;
          RETURN;
        END IF;
      END IF;

      PERFORM FROM accounts a WHERE a.id = ANY (p_account_ids) ORDER BY a.id FOR UPDATE;
      GET DIAGNOSTICS locked = ROW_COUNT;
      IF locked <> cardinality(p_account_ids) THEN
        outcome := 'unknown_account';
      END IF;

      IF outcome IS NULL THEN
        SELECT a.book INTO detail
          FROM unnest(p_account_ids, p_amounts) AS l (account_id, amount) JOIN accounts a ON a.id = l.account_id
         GROUP BY a.book HAVING sum(l.amount) <> 0 LIMIT 1;
        IF FOUND THEN outcome := 'unbalanced'; END IF;
      END IF;

      IF outcome IS NULL THEN
        SELECT array_agg(a.balance + l.amount ORDER BY l.n),
               (array_agg(a.id ORDER BY l.n) FILTER (WHERE a.no_overdraft AND CASE a.normal_side
                  WHEN 'credit' THEN a.balance + l.amount > 0 ELSE a.balance + l.amount < 0 END))[1]
          INTO balances_after, detail
          FROM unnest(p_account_ids, p_amounts) WITH ORDINALITY AS l (account_id, amount, n) JOIN accounts a ON a.id = l.account_id;
        IF detail IS NOT NULL THEN outcome := 'insufficient_funds'; END IF;
      END IF;

      IF outcome IS NULL THEN
        INSERT INTO journal_entries AS e (code, kind, amount, reverses_id, memo, metadata, created_at)
        VALUES (p_code, p_kind, p_amount, p_reverses_id, p_memo, p_metadata, coalesce(p_created_at, now()))
        ON CONFLICT (code) DO NOTHING
        RETURNING e.id, e.code, e.created_at INTO entry_id, entry_code, entry_created_at;
        IF NOT FOUND THEN outcome := 'code_taken'; END IF;
      END IF;

      IF outcome IS NOT NULL THEN
        IF p_claim THEN DELETE FROM idempotency_keys WHERE key = p_key; END IF;
        balances_after := NULL;
        RETURN;
      END IF;

      INSERT INTO postings (journal_entry_id, account_id, amount, balance_after, created_at)
      SELECT entry_id, l.account_id, l.amount, l.after, entry_created_at
        FROM unnest(p_account_ids, p_amounts, balances_after) WITH ORDINALITY AS l (account_id, amount, after, n)
       ORDER BY l.n;
      UPDATE accounts a SET balance = a.balance + l.amount
        FROM unnest(p_account_ids, p_amounts) AS l (account_id, amount) WHERE a.id = l.account_id;
      UPDATE idempotency_keys SET journal_entry_id = entry_id WHERE key = p_key;
      outcome := 'posted';
    END
    $fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION ledger_post(text, text, boolean, int[], bigint[], text, text, bigint, bigint, text, jsonb, timestamptz)');
}
