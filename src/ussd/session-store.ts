/**
 * USSD sessions in Redis: one record per sessionId holding the menu's persisted snapshot,
 * how many inputs it has consumed and the last answer (so that a telco retry gets the
 * same screen). A short per-session lock serialises concurrent hops of one session.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { config } from '../config/index.js';

/** How long a session outlives its last hop, in seconds (telco sessions last ~180 s). */
export const SESSION_TTL_SECONDS = 240;

/** A session as stored. */
export interface SessionRecord {
  msisdn: string;
  /** Inputs of `text` the menu has consumed. */
  consumed: number;
  /**
   * A keyed MAC of the last hop's `text` (which may hold a PIN, so it is not kept) and
   * the answer given to it.
   */
  lastTextMac: string;
  lastResponse: string;
  /** The menu's persisted snapshot; null once the session has ended. */
  snapshot: unknown | null;
  /** 1-based positions in `text` that were PINs (redacted from logs). */
  pinIndexes: number[];
}

/** The MAC a session keeps of a hop's `text`: equal texts give equal MACs; no PIN is recoverable. */
export function textMac(sessionId: string, text: string): string {
  return createHmac('sha256', config.pinSecret).update(`ussd-text\0${sessionId}\0${text}`).digest('base64url');
}

const key = (sessionId: string) => `ussd:session:${sessionId}`;
const lockKey = (sessionId: string) => `ussd:lock:${sessionId}`;

/** Reads a session, or null (outside the hop's lock: for tests and tools). */
export async function loadSession(redis: Redis, sessionId: string): Promise<SessionRecord | null> {
  const raw = await redis.get(key(sessionId));
  return raw ? (JSON.parse(raw) as SessionRecord) : null;
}

// Saves the record (when given) and releases the lock if this hop still holds it.
const SAVE_AND_RELEASE = `
if ARGV[2] ~= '' then redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
if redis.call('get', KEYS[2]) == ARGV[1] then redis.call('del', KEYS[2]) end
return 1`;

/** What a hop hands back to `withSession`: its result, and the record to save (if any). */
export interface SessionOutcome<T> {
  value: T;
  save?: SessionRecord;
}

/**
 * Runs one hop of a session under the session's lock: a telco retry arriving while the
 * first hop still runs waits for it, then finds its answer. Two Redis round trips per hop:
 * lock and read together (MULTI), save and release together (a script).
 *
 * @throws Error('session busy') when the lock could not be had within `waitMs`
 */
export async function withSession<T>(
  redis: Redis,
  sessionId: string,
  fn: (record: SessionRecord | null) => Promise<SessionOutcome<T>>,
  waitMs = 10_000,
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  let raw: string | null;
  for (;;) {
    const replies = await redis.multi().set(lockKey(sessionId), token, 'PX', 15_000, 'NX').get(key(sessionId)).exec();
    if (replies?.[0]?.[1] === 'OK') {
      raw = (replies[1]?.[1] as string | null) ?? null;
      break;
    }
    if (Date.now() > deadline) throw new Error('session busy');
    await new Promise((r) => setTimeout(r, 20));
  }
  let save: SessionRecord | undefined;
  try {
    const outcome = await fn(raw ? (JSON.parse(raw) as SessionRecord) : null);
    save = outcome.save;
    return outcome.value;
  } finally {
    const body = save ? JSON.stringify(save) : '';
    await redis.eval(SAVE_AND_RELEASE, 2, key(sessionId), lockKey(sessionId), token, body, SESSION_TTL_SECONDS);
  }
}
