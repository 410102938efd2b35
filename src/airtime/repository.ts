/** Airtime request rows (table `airtime_requests`, see its migration for the life cycle). */
import type { Db } from '../db/index.js';

/** Where a request stands. `pending`, `sent` and `failed` are not final. */
export type AirtimeStatus = 'pending' | 'sent' | 'success' | 'failed' | 'reversed';
export const AIRTIME_STATUSES: readonly AirtimeStatus[] = ['pending', 'sent', 'success', 'failed', 'reversed'];
/** Statuses that still wait for an outcome (or, for `failed`, for their reversal). */
export const OPEN_STATUSES: readonly AirtimeStatus[] = ['pending', 'sent', 'failed'];

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
}

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
  };
}

/** Request `id`, or undefined. Pass `lock` inside a transaction to hold its row. */
export async function findAirtimeRequest(db: Db, id: bigint | string, lock = false): Promise<AirtimeRequest | undefined> {
  const q = db('airtime_requests').where({ id: String(id) });
  const row = await (lock ? q.forUpdate() : q).first();
  return row ? toAirtimeRequest(row) : undefined;
}
