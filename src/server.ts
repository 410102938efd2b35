/**
 * The web process: listens on PORT. On SIGTERM it stops taking connections, lets in-flight
 * requests finish, closes bull's connections, Redis and PostgreSQL and exits. In embedded
 * mode (neither DATABASE_URL nor REDIS_URL set) it first prepares the embedded database
 * and runs the worker's jobs itself (src/embedded).
 */
import type { Server } from 'node:http';
import { config } from './config/index.js';
import { db } from './db/index.js';
import { logger } from './logger/index.js';
import { keyStore } from './redis/index.js';
import { createApp } from './http/app.js';
import { closeQueues, type RunningWorker } from './queue/index.js';
import { prepareEmbedded, startEmbeddedWorker } from './embedded/index.js';

const log = logger.child({ component: 'web' });

process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: (reason as Error)?.message ?? String(reason) }));

let worker: RunningWorker | undefined;
if (config.embedded) {
  try {
    await prepareEmbedded(db, config.embedded.dataDir);
  } catch (err) {
    log.error('embedded database could not be prepared', { error: (err as Error).message });
    await db.destroy().catch(() => undefined);
    process.exit(1);
  }
  worker = startEmbeddedWorker();
}

const app = createApp({ db, redis: keyStore });
// Embedded mode serves /dev/sms (the kept SMS, one-time codes opened) without a key: it
// listens on the loopback interface only.
const listening = () => log.info('simu web listening', { port: config.port, host: config.embedded ? '127.0.0.1' : 'every interface', serviceCode: config.ussdServiceCode, mode: config.embedded ? 'embedded' : 'server' });
const server: Server = config.embedded ? app.listen(config.port, '127.0.0.1', listening) : app.listen(config.port, listening);
server.on('error', (err) => {
  log.error('simu web cannot listen', { port: config.port, error: err.message });
  void shutdown('listen failed', 1);
});
server.keepAliveTimeout = 65_000; // longer than a load balancer's idle timeout

let stopping = false;
async function shutdown(reason: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { reason });
  const force = setTimeout(() => {
    log.error('shutdown took too long, exiting');
    process.exit(1);
  }, 20_000).unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await worker?.stop(); // embedded mode's in-process worker
  await closeQueues(); // the `sms` queue handle of the queue board, metrics and SMS retries
  await keyStore.quit().catch(() => undefined);
  await db.destroy();
  clearTimeout(force);
  log.info('stopped');
  process.exitCode = exitCode;
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
