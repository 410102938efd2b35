/** Connections tests open, closed once at the end so that mocha exits by itself. */
import { db } from '../../src/db/index.js';
import { redis } from '../../src/redis/index.js';
import { closeQueues } from '../../src/queue/index.js';

const closers: Array<() => Promise<unknown>> = [];

/** Registers something to close after the last test (a Redis client, a server, a queue). */
export function closeAtEnd(fn: () => Promise<unknown>): void {
  closers.push(fn);
}

/**
 * Closes everything registered, then bull's shared connections, the process's Redis client
 * (modules the seeds import open it, whether or not a test used it) and the database pool.
 */
export async function closeTestResources(): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await closeQueues().catch(() => undefined);
  if (redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
  await db.destroy();
}
