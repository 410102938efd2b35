/**
 * Shared pieces of the fuzz suite (fuzz-*.test.ts): a fingerprint of the ledger and of the
 * tables a callback or command writes, the fast-check run settings, and arbitraries of
 * hostile strings and amounts that every file draws from.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { db } from '../../src/db/index.js';
import { appUrl } from '../helpers/ussd.js';

/** Runs per property: enough to find the edge cases, few enough for ~90 s for all four files. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** fast-check parameters: a fixed seed only when FUZZ_SEED is set (fast-check prints the seed of a failure). */
export function params(numRuns = RUNS): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED;
  return { numRuns, endOnFailure: true, ...(seed ? { seed: Number(seed) } : {}) };
}

/** Tables keyed by text, not by a serial id. */
const KEYED = new Set(['idempotency_keys', 'admin_idempotency']);

/** The ledger (journal entries and postings) and `tables`: each table's row count and highest id (or key). */
export async function fingerprint(tables: string[] = []): Promise<Record<string, string>> {
  // One round trip; the table names are the suite's own constants.
  const counts = ['journal_entries', 'postings', ...tables].map((t) => `(SELECT count(*)::text${KEYED.has(t) ? '' : " || '/' || coalesce(max(id)::text, '-')"} FROM ${t}) AS "${t}"`);
  const { rows: [row] } = await db.raw(`SELECT ${counts.join(', ')}`);
  return row as Record<string, string>;
}

/** The tables a money callback writes besides the ledger. */
export const MONEY_TABLES = ['idempotency_keys', 'mpesa_receipts', 'bank_payments', 'school_payments', 'stk_requests', 'b2c_requests'];

/** Fails unless the app still answers its health check (the process is alive and serving). */
export async function assertAlive(): Promise<void> {
  const res = await fetch(`${await appUrl()}/healthz`);
  expect(res.status, 'GET /healthz after the fuzzing').to.equal(200);
}

/** Counts answers by status class, to show that some inputs were refused. */
export class Tally {
  readonly byStatus = new Map<number, number>();
  accepted = 0;
  rejected = 0;

  add(status: number, rejected = status >= 400): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (rejected) this.rejected++;
    else this.accepted++;
  }

  /** Prints the answers under the test's title (the fault suite's reporter shows stdout). */
  report(what: string): void {
    process.stdout.write(`      ${what}: ${this.accepted + this.rejected} requests, ${this.rejected} refused; by status ${this}\n`);
  }

  toString(): string {
    return [...this.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  }
}

/** Strings people and attackers send: USSD separators, unicode, NUL and control characters, SQL, very long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('*', '#', '0', '1', '9', ' ', '+', '-', ',', '.') }),
  fc.constantFrom('', ' ', '*', '#', '**', '*#', '\u0000', 'a\u0000b', '\uD800', '💸', 'Ñandú', '١٢٣٤', "' OR 1=1 --", '${7*7}', '%00', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10'),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\uD800', '\uDC00', '\u001b', '\uFFFE', '\r\n'), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 700 }).map((n) => '1*'.repeat(n)),
);

/** Amounts as text: whole, decimal, negative, huge, exponent, with separators, not numbers. */
export const amountText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.constantFrom('0', '00', '1', '10', '50', '100', '1,000', '1,00', '10.50', '10.5', '.5', '-5', '+5', '1e3', '9007199254740993', '99999999999999999999', '1_000', ' 100', 'KES100', 'Infinity', 'NaN', ''),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map(String),
);

/** A JSON number as an amount: whole, fractional, negative, huge, and not-a-number stand-ins. */
export const amountValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1, 0.5, 1e21, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0),
  amountText,
  fc.constantFrom(null, true, false, [], {}),
);

/**
 * Records drawn from `valid`, most with up to three fields replaced by a `wrong` value or
 * dropped (one in five left whole): deep enough to get past the first check, wrong enough to
 * reach the others.
 */
export function edited<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return valid.chain((record) => {
    const names = Object.keys(record);
    const edit = fc.tuple(fc.constantFrom(...names), fc.option(wrong, { freq: 4 }));
    return fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }) }).map((edits) => {
      const copy: Record<string, unknown> = { ...record };
      for (const [k, v] of edits) {
        if (v === null) delete copy[k];
        else copy[k] = v;
      }
      return copy;
    });
  });
}
