/**
 * The web process's Redis client (USSD sessions, locks, rate limits, health), or in
 * embedded mode the in-memory store that takes its place (src/keystore). Importing this
 * module opens the process's client: only entry points (src/server.ts) and tests do. Bull's connections
 * are made in src/queue. ioredis reconnects by itself; commands fail fast while it is down
 * so that a hop answers instead of hanging.
 */
import { Redis } from 'ioredis';
import { config } from '../config/index.js';
import { MemoryKeyStore, type KeyStore } from '../keystore/index.js';

/**
 * A new client for `url` (default REDIS_URL). Auto-pipelining sends the commands issued in
 * one event-loop turn (e.g. the session scripts of many concurrent hops) in one write.
 */
export function createRedis(url: string = config.redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000, lazyConnect: false, enableAutoPipelining: true });
}

/**
 * The process-wide client. In embedded mode there is no Redis: it is made without
 * connecting (`lazyConnect`) and nothing uses it; `keyStore` is what the web process uses.
 */
export const redis: Redis = config.embedded ? new Redis({ lazyConnect: true }) : createRedis();

/** The web process's store: `redis`, or in embedded mode one MemoryKeyStore. */
export const keyStore: KeyStore = config.embedded ? new MemoryKeyStore() : redis;
