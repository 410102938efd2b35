/**
 * USSD sessions in Redis: one record per sessionId holding the menu's persisted snapshot,
 * how many inputs it has consumed and the last answer (so that a telco retry gets the
 * same screen). A short per-session lock serialises concurrent hops of one session.
 */
import { createHmac, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { MemoryKeyStore, type KeyStore } from '../keystore/index.js';
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';

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

const log = logger.child({ component: 'ussd' });
let textKey: KeyObject | undefined; // imported once, not per hop

/** The MAC a session keeps of a hop's `text`: equal texts give equal MACs; no PIN is recoverable. */
export function textMac(sessionId: string, text: string): string {
  textKey ??= createSecretKey(Buffer.from(config.pinSecret, 'utf8'));
  return createHmac('sha256', textKey).update(`ussd-text\0${sessionId}\0${text}`).digest('base64url');
}

const key = (sessionId: string) => `ussd:session:${sessionId}`;
const lockKey = (sessionId: string) => `ussd:lock:${sessionId}`;

/** Reads a session, or null (outside the hop's lock: for tests and tools). */
export async function loadSession(redis: KeyStore, sessionId: string): Promise<SessionRecord | null> {
  const raw = await redis.get(key(sessionId));
  return raw ? (JSON.parse(raw) as SessionRecord) : null;
}

// Takes the lock (if free) and reads the record in the same step: {1, record or nil} or {0}.
const LOCK_AND_READ = `
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, redis.call('get', KEYS[2])} end
return {0}`;

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
 * lock and read together, save and release together (each a script); the client's
 * auto-pipelining (src/redis) sends the scripts of all hops of one event-loop turn in one
 * write. When the save fails after the hop has run (Redis went away meanwhile), the hop's
 * answer still goes back: what it did (a transfer, under its idempotency key) is done,
 * and a later hop of a session whose record is lost replays its inputs from the top.
 *
 * @throws Error('session busy') when the lock could not be had within `waitMs`
 */
export async function withSession<T>(
  redis: KeyStore,
  sessionId: string,
  fn: (record: SessionRecord | null) => Promise<SessionOutcome<T>>,
  waitMs = 10_000,
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  let raw: string | null;
  for (;;) {
    const reply = await lockAndRead(redis, sessionId, token, 15_000);
    if (reply[0] === 1) {
      raw = reply[1] ?? null;
      break;
    }
    if (Date.now() > deadline) throw new Error('session busy');
    await new Promise((r) => setTimeout(r, 20));
  }
  let outcome: SessionOutcome<T>;
  try {
    outcome = await fn(raw ? (JSON.parse(raw) as SessionRecord) : null);
  } catch (err) {
    await saveAndRelease(redis, sessionId, token, '').catch(() => undefined); // the lock expires anyway
    throw err;
  }
  try {
    await saveAndRelease(redis, sessionId, token, outcome.save ? JSON.stringify(outcome.save) : '');
  } catch (err) {
    log.error('ussd session not saved; answering the hop anyway', { error: (err as Error).message });
  }
  return outcome.value;
}

async function lockAndRead(store: KeyStore, sessionId: string, token: string, lockMs: number): Promise<[number, string | null]> {
  if (!(store instanceof MemoryKeyStore)) return (await store.eval(LOCK_AND_READ, 2, lockKey(sessionId), key(sessionId), token, lockMs)) as [number, string | null];
  // Embedded mode: one process, one thread; these steps are as atomic as the script.
  return store.setIfAbsent(lockKey(sessionId), token, lockMs) ? [1, await store.get(key(sessionId))] : [0, null];
}

async function saveAndRelease(store: KeyStore, sessionId: string, token: string, body: string): Promise<unknown> {
  if (!(store instanceof MemoryKeyStore)) return store.eval(SAVE_AND_RELEASE, 2, key(sessionId), lockKey(sessionId), token, body, SESSION_TTL_SECONDS);
  if (body !== '') store.set(key(sessionId), body, SESSION_TTL_SECONDS * 1000);
  store.deleteIfEquals(lockKey(sessionId), token);
  return 1;
}
