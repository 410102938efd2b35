/** Airtime request rows (table `airtime_requests`, see its migration for the life cycle). */
import type { Db } from '../db/index.js';

/** Where a request stands. `pending`, `sent` and `failed` are not final. */
export type AirtimeStatus = 'pending' | 'sent' | 'success' | 'failed' | 'reversed';
export const AIRTIME_STATUSES: readonly AirtimeStatus[] = ['pending', 'sent', 'success', 'failed', 'reversed'];
/** Statuses that still wait for an outcome (or, for `failed`, for their reversal). */
export const OPEN_STATUSES: readonly AirtimeStatus[] = ['pending', 'sent', 'failed'];

/** A request without a final status this long after it was made is unresolved. */
export const UNRESOLVED_AFTER_MINUTES = 60;

/** One airtime request (amounts in cents). */
export interface AirtimeRequest {
  id: bigint;
  customerId: number;
  payerMsisdn: string;
  recipientMsisdn: string;
  amount: bigint;
  journalEntryId: bigint;
  status: AirtimeStatus;
  attempts: number;
  atRequestId: string | null;
  atStatus: string | null;
  lastError: string | null;
  reversalEntryId: bigint | null;
  sessionId: string | null;
  createdAt: Date;
  queuedAt: Date | null;
  claimedAt: Date | null;
  sentAt: Date | null;
  completedAt: Date | null;
  reviewedAt: Date | null;
  /** When AT was last asked about it (./check.ts), how often, and what AT said. */
  checkedAt: Date | null;
  checks: number;
  checkOutcome: AirtimeCheckOutcome | null;
  checkDetail: string | null;
}

/** What AT's answer to a status query meant: see ./at-status.ts. */
export type AirtimeCheckOutcome = 'delivered' | 'failed' | 'pending' | 'error';

const big = (v: unknown) => (v == null ? null : BigInt(v as string | bigint));

/** Maps a database row to an AirtimeRequest. */
export function toAirtimeRequest(r: Record<string, unknown>): AirtimeRequest {
  return {
    id: big(r.id)!,
    customerId: r.customer_id as number,
    payerMsisdn: r.payer_msisdn as string,
    recipientMsisdn: r.recipient_msisdn as string,
    amount: big(r.amount)!,
    journalEntryId: big(r.journal_entry_id)!,
    status: r.status as AirtimeStatus,
    attempts: r.attempts as number,
    atRequestId: (r.at_request_id as string | null) ?? null,
    atStatus: (r.at_status as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    reversalEntryId: big(r.reversal_entry_id),
    sessionId: (r.session_id as string | null) ?? null,
    createdAt: r.created_at as Date,
    queuedAt: (r.queued_at as Date | null) ?? null,
    claimedAt: (r.claimed_at as Date | null) ?? null,
    sentAt: (r.sent_at as Date | null) ?? null,
    completedAt: (r.completed_at as Date | null) ?? null,
    reviewedAt: (r.reviewed_at as Date | null) ?? null,
    checkedAt: (r.checked_at as Date | null) ?? null,
    checks: (r.checks as number | undefined) ?? 0,
    checkOutcome: (r.check_outcome as AirtimeCheckOutcome | null) ?? null,
    checkDetail: (r.check_detail as string | null) ?? null,
  };
}

/** Request `id`, or undefined. Pass `lock` inside a transaction to hold its row. */
export async function findAirtimeRequest(db: Db, id: bigint | string, lock = false): Promise<AirtimeRequest | undefined> {
  const q = db('airtime_requests').where({ id: String(id) });
  const row = await (lock ? q.forUpdate() : q).first();
  return row ? toAirtimeRequest(row) : undefined;
}
