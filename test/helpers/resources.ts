/** Connections tests open, closed once at the end so that mocha exits by itself. */
import { db } from '../../src/db/index.js';

const closers: Array<() => Promise<unknown>> = [];

/** Registers something to close after the last test (a Redis client, a server, a queue). */
export function closeAtEnd(fn: () => Promise<unknown>): void {
  closers.push(fn);
}

/** Closes everything registered, then the database pool. */
export async function closeTestResources(): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await db.destroy();
}
