/**
 * The web process's Redis client (USSD sessions, locks, health). Bull's connections are
 * made in src/queue. ioredis reconnects by itself; commands fail fast while it is down so
 * that a hop answers instead of hanging.
 */
import { Redis } from 'ioredis';
import { config } from '../config/index.js';

/**
 * A new client for `url` (default REDIS_URL). Auto-pipelining sends the commands issued in
 * one event-loop turn (e.g. the session scripts of many concurrent hops) in one write.
 */
export function createRedis(url: string = config.redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000, lazyConnect: false, enableAutoPipelining: true });
}

/** The process-wide client. */
export const redis: Redis = createRedis();
