/** Small helpers for functions that take a knex instance or a transaction (`Db`). */
import type { Knex } from 'knex';

/** Runs `fn` in `db` when it is a transaction already, else in a new transaction of `db`. */
export async function inTransaction<T>(db: Knex | Knex.Transaction, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn);
}

/** Draws the next id of `table`'s serial `id`, so that rows named after it (ledger accounts) can be made before the row. */
export async function nextSerialId(db: Knex | Knex.Transaction, table: string): Promise<number> {
  const { rows } = await db.raw(`SELECT nextval(pg_get_serial_sequence(?, 'id'))::int AS id`, [table]);
  return rows[0].id as number;
}
