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

/** Reads a session, or null. */
export async function loadSession(redis: Redis, sessionId: string): Promise<SessionRecord | null> {
  const raw = await redis.get(key(sessionId));
  return raw ? (JSON.parse(raw) as SessionRecord) : null;
}

/** Writes a session with its TTL. */
export async function saveSession(redis: Redis, sessionId: string, record: SessionRecord): Promise<void> {
  await redis.set(key(sessionId), JSON.stringify(record), 'EX', SESSION_TTL_SECONDS);
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Runs `fn` holding the session's lock (a telco retry arriving while the first hop is
 * still running waits for it, then finds its answer). Gives up after `waitMs`.
 *
 * @throws Error('session busy') when the lock could not be had in time
 */
export async function withSessionLock<T>(redis: Redis, sessionId: string, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis.set(lockKey(sessionId), token, 'PX', 15_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error('session busy');
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, lockKey(sessionId), token).catch(() => undefined);
  }
}
