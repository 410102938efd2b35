/**
 * The one module that opens Redis connections for bull. It follows bull's PATTERNS.md
 * ("Reusing Redis Connections"): every queue of the process shares one `client` and one
 * `subscriber`; each queue gets a `bclient` of its own, since a blocking connection
 * (BRPOPLPUSH) cannot be shared. bull requires `maxRetriesPerRequest: null` and
 * `enableReadyCheck: false` on bclient and subscriber, and throws at start without them.
 *
 * bull does not close connections handed to it through `createClient`, so this module
 * keeps every client it opens and quits them in `closeQueue` / `closeQueues`: a client
 * left open keeps mocha and the worker from exiting.
 */
import Bull from 'bull';
import { Redis, type RedisOptions } from 'ioredis';
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';

const log = logger.child({ component: 'queue' });

/** A bull queue whose jobs carry data `T`. */
export type Queue<T> = Bull.Queue<T>;
/** A bull job whose data is `T`. */
export type Job<T> = Bull.Job<T>;

/** Retry and rate settings of a queue; every job added to it gets them. */
export interface QueueSettings {
  /** Tries per job, the first included. Default 8. */
  attempts?: number;
  /** First retry delay in milliseconds; doubles on each retry (bull's `exponential`). Default 2000. */
  backoffMs?: number;
  /** At most `max` jobs start per `durationMs` milliseconds, across every worker of the queue. */
  limiter?: { max: number; durationMs: number };
}

/** Keys in Redis start with this, so that Simu's queues are easy to find and flush. */
export const QUEUE_PREFIX = 'simu';

const BLOCKING_OPTS: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: false };

let sharedClient: Redis | undefined;
let sharedSubscriber: Redis | undefined;
const openQueues = new Map<Bull.Queue, Redis[]>();

/** Logs an error once, then again only when it changes or a minute has passed: ioredis
 * reports every failed reconnection, which would flood the log while Redis is down. */
function throttledErrorLog(message: string, fields: Record<string, unknown>): (err: Error) => void {
  let last = '';
  let at = 0;
  return (err) => {
    if (err.message === last && Date.now() - at < 60_000) return;
    last = err.message;
    at = Date.now();
    log.error(message, { ...fields, error: err.message });
  };
}

function connect(role: string, opts: RedisOptions): Redis {
  const client = new Redis(config.redisUrl, opts);
  // Without a listener ioredis prints "Unhandled error event"; it reconnects by itself.
  client.on('error', throttledErrorLog('redis connection error', { role }));
  // The shared client and subscriber serve every queue, and bull adds its listeners per
  // queue: past 10 queues Node would warn of a leak that is not one.
  client.setMaxListeners(100);
  return client;
}

/**
 * Creates a bull queue named `name` on Simu's shared connections, with `attempts`,
 * exponential `backoff`, `removeOnComplete` and a bounded failed-job history on every job.
 * Close it with `closeQueue` (or all of them with `closeQueues`), not `queue.close()` alone,
 * which would leave its blocking connection open.
 */
export function createQueue<T>(name: string, settings: QueueSettings = {}): Queue<T> {
  const blocking: Redis[] = [];
  const createClient = (type: 'client' | 'subscriber' | 'bclient'): Redis => {
    if (type === 'client') return (sharedClient ??= connect('client', {}));
    if (type === 'subscriber') return (sharedSubscriber ??= connect('subscriber', BLOCKING_OPTS));
    const bclient = connect('bclient', BLOCKING_OPTS);
    blocking.push(bclient);
    return bclient;
  };
  const queue = new Bull<T>(name, {
    prefix: QUEUE_PREFIX,
    createClient,
    limiter: settings.limiter && { max: settings.limiter.max, duration: settings.limiter.durationMs },
    defaultJobOptions: {
      attempts: settings.attempts ?? 8,
      backoff: { type: 'exponential', delay: settings.backoffMs ?? 2000 },
      removeOnComplete: true,
      // Kept for the person on call; the outbox row holds the lasting record.
      removeOnFail: 1000,
    },
  });
  // An 'error' event with no listener would throw and take the process down.
  queue.on('error', throttledErrorLog('queue error', { queue: name }));
  openQueues.set(queue, blocking);
  return queue;
}

/** Quits a client, or drops its socket when it does not answer within a second. */
async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
  await Promise.race([client.quit().catch(() => undefined), late]);
  clearTimeout(timer);
  client.disconnect();
}

/**
 * Closes one queue: waits for its active jobs to finish (bull's `close()`), then drops its
 * blocking connection. The shared connections stay open for the other queues.
 */
export async function closeQueue(queue: Queue<unknown>): Promise<void> {
  const blocking = openQueues.get(queue as Bull.Queue) ?? [];
  openQueues.delete(queue as Bull.Queue);
  await queue.close();
  // A bclient may sit in BRPOPLPUSH; QUIT would wait behind it, so drop the socket.
  for (const client of blocking) client.disconnect();
}

/**
 * Closes every queue this module created (waiting for their active jobs), then quits the
 * shared client and subscriber. Call it last, before `db.destroy()`. A later `createQueue`
 * opens fresh connections.
 */
export async function closeQueues(): Promise<void> {
  await Promise.all([...openQueues.keys()].map((queue) => closeQueue(queue)));
  const shared = [sharedClient, sharedSubscriber].filter((c): c is Redis => c !== undefined);
  sharedClient = undefined;
  sharedSubscriber = undefined;
  await Promise.all(shared.map(quit));
}
