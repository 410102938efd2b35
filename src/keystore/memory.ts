/**
 * Embedded mode's stand-in for Redis in the web process: string values with a time to
 * live, in this process's memory. It offers what Simu keeps in Redis besides bull's
 * queues (src/queue/memory.ts has those): USSD sessions and their locks, and the counts
 * of rate-limiter-flexible (through `rateLimiter`, which picks its memory limiter).
 * Nothing survives a restart, as with a Redis that keeps no snapshot; a USSD session lasts
 * minutes, so a restart costs a user one redial.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Values with an expiry time, in memory. Keys and values are strings; times are milliseconds. */
export class MemoryKeyStore {
  private readonly values = new Map<string, { value: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    // Expired keys are dropped when read, and once a minute otherwise, so memory stays bounded.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, entry] of this.values) if (entry.expiresAt <= now) this.values.delete(key);
    }, 60_000).unref();
  }

  /** Answers like Redis's PING: the store is always up while the process is. */
  async ping(): Promise<'PONG'> {
    return 'PONG';
  }

  /** The value of `key`, or null when absent or expired. */
  async get(key: string): Promise<string | null> {
    return this.read(key);
  }

  /** Sets `key` for `ttlMs` only when it is absent (Redis `SET key value PX ttl NX`); true when set. */
  setIfAbsent(key: string, value: string, ttlMs: number): boolean {
    if (this.read(key) !== null) return false;
    this.values.set(key, { value, expiresAt: Date.now() + ttlMs });
    return true;
  }

  /** Sets `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): void {
    this.values.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  /** Deletes `key` when it holds `value` (the release of a lock only its holder may release). */
  deleteIfEquals(key: string, value: string): void {
    if (this.read(key) === value) this.values.delete(key);
  }

  /** Forgets everything and stops the sweeper (a process shutting down). */
  async quit(): Promise<'OK'> {
    clearInterval(this.sweeper);
    this.values.clear();
    return 'OK';
  }

  private read(key: string): string | null {
    const entry = this.values.get(key);
    if (!entry) return null;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.values.delete(key);
    return null;
  }
}

/** What the web process keeps its sessions, locks and rate limits in: Redis, or memory in embedded mode. */
export type KeyStore = Redis | MemoryKeyStore;

/** Settings of a limiter, as rate-limiter-flexible takes them (`duration` in seconds). */
export interface RateLimiterSettings {
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * A rate-limiter-flexible limiter counting in `store`: RateLimiterRedis, shared by every
 * web process, or RateLimiterMemory in embedded mode's one process. Same API either way.
 */
export function rateLimiter(store: KeyStore, settings: RateLimiterSettings): RateLimiterAbstract {
  return store instanceof MemoryKeyStore ? new RateLimiterMemory(settings) : new RateLimiterRedis({ storeClient: store, ...settings });
}
