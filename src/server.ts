/**
 * The web process: listens on PORT. On SIGTERM it stops taking connections, lets in-flight
 * requests finish, closes bull's connections, Redis and PostgreSQL and exits.
 */
import type { Server } from 'node:http';
import { config } from './config/index.js';
import { db } from './db/index.js';
import { logger } from './logger/index.js';
import { redis } from './redis/index.js';
import { createApp } from './http/app.js';
import { closeQueues } from './queue/index.js';

const log = logger.child({ component: 'web' });

process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: (reason as Error)?.message ?? String(reason) }));

const app = createApp({ db, redis });
const server: Server = app.listen(config.port, () => {
  log.info('simu web listening', { port: config.port, serviceCode: config.ussdServiceCode });
});
server.keepAliveTimeout = 65_000; // longer than a load balancer's idle timeout

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  const force = setTimeout(() => {
    log.error('shutdown took too long, exiting');
    process.exit(1);
  }, 20_000).unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await closeQueues(); // the `sms` queue handle of the queue board, metrics and SMS retries
  await redis.quit().catch(() => undefined);
  await db.destroy();
  clearTimeout(force);
  log.info('stopped');
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
