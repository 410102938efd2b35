/**
 * What the fault suite counts after a scenario: the Send Money entries in the ledger
 * against the confirmations users saw, each entry's receipts in the outbox and at the AT
 * stand-in (copies beyond one are counted, not hidden), and waiting for the worker to
 * drain the outbox.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from '../../../src/db/index.js';
import type { AtStandIn } from '../../../bench/at-standin.js';
import type { SessionOutcome } from './phone.js';

/** The ledger's Send Money entries against what the users saw. */
export interface MoneyAudit {
  /** p2p journal entries in the ledger. */
  entries: number;
  /** Sessions that ended on a confirmation screen. */
  confirmed: number;
  /** Confirmed codes with no entry (must be none). */
  confirmedMissing: string[];
  /** Confirmed codes seen in more than one session (must be none). */
  confirmedTwice: string[];
  /** Sessions (by sessionId) with more than one p2p entry (must be none). */
  sessionsPaidTwice: string[];
  /** Entries no user saw confirmed: committed, but the answer was lost. */
  unseenEntries: number;
}

/** Compares the p2p entries with the sessions' outcomes. */
export async function auditMoney(db: Knex, outcomes: SessionOutcome[]): Promise<MoneyAudit> {
  const rows: Array<{ code: string; key: string | null }> = (
    await db.raw(`SELECT je.code, ik.key FROM journal_entries je LEFT JOIN idempotency_keys ik ON ik.journal_entry_id = je.id WHERE je.kind = 'p2p'`)
  ).rows;
  const codes = new Set(rows.map((r) => r.code.trim()));
  const perSession = new Map<string, number>();
  for (const r of rows) {
    const session = r.key?.match(/^ussd:(.+):\d+$/)?.[1] ?? r.key ?? r.code;
    perSession.set(session, (perSession.get(session) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  for (const o of outcomes) if (o.kind === 'confirmed') seen.set(o.code, (seen.get(o.code) ?? 0) + 1);
  return {
    entries: rows.length,
    confirmed: [...seen.values()].reduce((a, b) => a + b, 0),
    confirmedMissing: [...seen.keys()].filter((c) => !codes.has(c)),
    confirmedTwice: [...seen].filter(([, n]) => n > 1).map(([c]) => c),
    sessionsPaidTwice: [...perSession].filter(([, n]) => n > 1).map(([s]) => s),
    unseenEntries: [...codes].filter((c) => !seen.has(c)).length,
  };
}

/** The receipts of the p2p entries, in the outbox and at AT. */
export interface ReceiptAudit {
  /** Receipt rows of p2p entries (two per entry: payer and payee). */
  rows: number;
  /** Rows by status. */
  byStatus: Record<string, number>;
  /** p2p entries with fewer than two receipt rows (must be none). */
  entriesWithoutReceipts: number;
  /** Receipt rows AT never received (must be none once drained). */
  neverReceived: number;
  /** Copies AT received beyond one, summed over all receipt rows. */
  extraCopies: number;
}

/** Counts the receipts of every p2p entry in the outbox and at the AT stand-in. */
export async function auditReceipts(db: Knex, at: AtStandIn): Promise<ReceiptAudit> {
  const rows: Array<{ msisdn: string; message: string; status: string }> = (
    await db.raw(`SELECT o.msisdn, o.message, o.status FROM sms_outbox o JOIN journal_entries je ON je.id = o.journal_entry_id WHERE je.kind = 'p2p' AND o.kind = 'receipt'`)
  ).rows;
  const entries: Array<{ n: number }> = (
    await db.raw(`SELECT count(o.id)::int AS n FROM journal_entries je LEFT JOIN sms_outbox o ON o.journal_entry_id = je.id AND o.kind = 'receipt' WHERE je.kind = 'p2p' GROUP BY je.id`)
  ).rows;
  const received = at.countsByKey();
  const byStatus: Record<string, number> = {};
  let neverReceived = 0;
  let extraCopies = 0;
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const n = received.get(`${r.msisdn}\n${r.message}`) ?? 0;
    if (n === 0) neverReceived++;
    else extraCopies += n - 1;
  }
  return { rows: rows.length, byStatus, entriesWithoutReceipts: entries.filter((e) => e.n < 2).length, neverReceived, extraCopies };
}

/**
 * Waits until no outbox row that may be sent now is pending, queued or sending (rows held
 * for quiet hours, `not_before` in the future, wait by design); false after `ms`.
 */
export async function outboxDrained(db: Knex, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM sms_outbox WHERE status IN ('pending', 'queued', 'sending') AND (not_before IS NULL OR not_before <= now())`,
    );
    if (rows[0].n === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(500);
  }
}

/** Outbox rows not yet sent, by kind and status (for the report). */
export async function outboxLeft(db: Knex): Promise<Record<string, number>> {
  const { rows } = await db.raw(
    `SELECT kind || ' ' || status || CASE WHEN not_before > now() THEN ' (quiet hours)' ELSE '' END AS k, count(*)::int AS n
       FROM sms_outbox WHERE status IN ('pending', 'queued', 'sending') GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r: { k: string; n: number }) => [r.k, r.n]));
}
