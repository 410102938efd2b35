/**
 * The worker process (`npm run worker`): sends the SMS outbox through Africa's Talking
 * (src/queue/worker-runtime.ts). On SIGTERM or SIGINT it stops the relay, lets active jobs
 * finish, closes Redis and the database, and exits 0. An unhandled rejection or exception
 * is logged and shuts it down with exit code 1: a half-alive worker would hold jobs' locks
 * without working them, where a dead one is restarted by its supervisor.
 */
import './embedded/worker-guard.js'; // first: in embedded mode there is no worker process
import type Bull from 'bull';
import { config } from './config/index.js';
import { db } from './db/index.js';
import { logger } from './logger/index.js';
import { closeQueues } from './queue/connections.js';
import { startWorker } from './queue/worker-runtime.js';
import { serveMetrics } from './metrics/index.js';

const log = logger.child({ component: 'worker' });
const CONCURRENCY = 5;
/** Longer than a send's timeout (30 s) would be kinder, but supervisors kill at ~30 s. */
const STOP_DEADLINE_MS = 25_000;
const START_DEADLINE_MS = 15_000;

function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err) };
}

const worker = startWorker({ concurrency: CONCURRENCY });
const metricsServer = config.workerMetricsPort ? serveMetrics(config.workerMetricsPort) : undefined;
metricsServer?.on('error', (err) => log.error('worker metrics endpoint failed', { error: err.message }));
let stopping = false;

async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('worker stopping', { reason });
  const deadline = setTimeout(() => {
    log.error('worker did not stop in time; exiting', { reason });
    process.exit(exitCode || 1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  try {
    metricsServer?.close();
    await worker.stop();
    await closeQueues();
    await db.destroy();
  } catch (err) {
    log.error('worker did not stop cleanly', errorFields(err));
    exitCode ||= 1;
  }
  log.info('worker stopped', { reason, exitCode });
  process.exit(exitCode);
}

process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('unhandledRejection', (reason) => {
  log.error('unhandled rejection', errorFields(reason));
  void shutdown('unhandledRejection', 1);
});
process.on('uncaughtException', (err) => {
  log.error('uncaught exception', errorFields(err));
  void shutdown('uncaughtException', 1);
});

/** Resolves when PostgreSQL and Redis answer; rejects after `ms` milliseconds otherwise. */
async function reachable(ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`PostgreSQL or Redis did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    // isReady() alone resolves even while Redis refuses connections; a PING does not.
    // The worker process runs only with Redis (embedded mode runs its worker in the server),
    // so its queue is a bull queue with a client to ping.
    const redisUp = worker.queue.isReady().then((queue) => (queue as unknown as Bull.Queue).client.ping());
    await Promise.race([Promise.all([db.raw('select 1'), redisUp]), late]);
  } finally {
    clearTimeout(timer);
  }
}

try {
  // Fail at start, with a clear line, when PostgreSQL or Redis cannot be reached (ioredis
  // would otherwise retry quietly for ever); the supervisor restarts the process.
  await reachable(START_DEADLINE_MS);
  log.info('worker started', { metricsPort: config.workerMetricsPort || 'off', queue: worker.queue.name, concurrency: CONCURRENCY, smsPerSecond: config.smsPerSecond, atUsername: config.at.username });
} catch (err) {
  log.error('worker could not start', errorFields(err));
  await shutdown('start-up failed', 1);
}
