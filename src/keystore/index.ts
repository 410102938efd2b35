/**
 * Where the web process keeps short-lived shared state (USSD sessions and their locks,
 * rate-limit counts): Redis, or in embedded mode this process's memory. This folder opens
 * no connection: the process's clients are made in src/redis.
 */
export { MemoryKeyStore, rateLimiter, type KeyStore, type RateLimiterSettings } from './memory.js';
