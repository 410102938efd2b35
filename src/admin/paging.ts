/**
 * Cursor paging for admin lists: newest first by id; `cursor` is opaque (base64url of the
 * last id served); `nextCursor` is null on the last page.
 */
import type { Knex } from '../db/index.js';
import { ValidationError } from '../errors/index.js';

/** A page of rows. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** The id a cursor points after; throws ValidationError for a cursor we did not issue. */
export function decodeCursor(cursor: string | undefined): bigint | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9]{1,19}$/.test(text)) throw new ValidationError('cursor: not a cursor this API issued', 'cursor');
  return BigInt(text);
}

/**
 * Runs `query` (not yet ordered or limited) for one page ordered by `idColumn` descending,
 * mapping each row with `map`.
 */
export async function pageBy<T>(
  query: Knex.QueryBuilder,
  opts: { limit: number; cursor?: string; idColumn?: string },
  map: (row: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const idColumn = opts.idColumn ?? 'id';
  const after = decodeCursor(opts.cursor);
  if (after !== null) query.where(idColumn, '<', after.toString());
  const rows: Array<Record<string, unknown>> = await query.orderBy(idColumn, 'desc').limit(opts.limit + 1);
  const more = rows.length > opts.limit;
  const pageRows = more ? rows.slice(0, opts.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const lastId = last ? String(last[idColumn.split('.').pop()!]) : null;
  return { data: pageRows.map(map), nextCursor: more && lastId ? Buffer.from(lastId).toString('base64url') : null };
}
