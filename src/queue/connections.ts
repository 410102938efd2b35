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
 *
 * Simu codes against `Queue` / `Job` below, the part of bull it uses, not bull's own types:
 * in embedded mode (`config.embedded`, no Redis) `createQueue` answers a `MemoryQueue`
 * (src/queue/memory.ts) and opens no connection at all.
 */
import Bull from 'bull';
import { Redis, type RedisOptions } from 'ioredis';
import { config } from '../config/index.js';
import { logger } from '../logger/index.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, KEPT_FAILED, MemoryQueue } from './memory.js';

const log = logger.child({ component: 'queue' });

/** A job's id: the `jobId` it was added with, else one the queue made up (a number as text). */
export type JobId = number | string;

/**
 * Where a job stands. A memory queue answers only the first five; bull may also answer
 * `paused` (its queue is paused) and `stuck` (the job is in no list).
 */
export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'paused' | 'stuck';

/** The options a job runs with: what `add` was given, filled in with the queue's settings. */
export interface JobOpts {
  /** Tries in all, the first included. */
  readonly attempts?: number;
  /** Retry delay: milliseconds, or bull's `{ type: 'fixed' | 'exponential', delay }` (ms). */
  readonly backoff?: number | { readonly type: string; readonly delay?: number };
}

/** Options of `Queue#add`: the part of bull's `JobOptions` Simu uses. */
export interface AddOptions {
  /** The job's id. While a job with this id is kept (waiting, delayed, active, failed), adding again returns it and adds nothing. */
  jobId?: JobId;
  /** Milliseconds to wait before the job may run. */
  delay?: number;
  /** Makes a repeatable job: one run at each time of `cron` (5 fields, or 6 with seconds), read in time zone `tz`. */
  repeat?: { cron: string; tz?: string };
}

/** A repeatable job, as `Queue#getRepeatableJobs` lists it. */
export interface RepeatableJobInfo {
  /** What identifies the repeat: name, jobId, time zone and cron. */
  readonly key: string;
  readonly cron: string;
  readonly tz?: string | null;
  /** When its next run is due, epoch milliseconds. */
  readonly next: number;
}

/** The jobs of a queue by state, as `Queue#getJobCounts` answers them. */
export interface JobCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
  /** bull answers it though its types leave it out; a memory queue answers 0. */
  paused?: number;
}

/**
 * A job whose data is `T`: the part of bull's `Job` Simu uses. A bull job or a memory job
 * (src/queue/memory.ts) fits it.
 */
export interface Job<T> {
  /** The job's id (see `JobId`). */
  readonly id: JobId;
  /** What the job was added with. */
  readonly data: T;
  /** Options it runs with; `attempts` and `backoff` come from the queue's settings. */
  readonly opts: JobOpts;
  /** Tries that failed so far: 0 during the first run. */
  readonly attemptsMade: number;
  /** When the job was added, epoch milliseconds. */
  readonly timestamp: number;
  /** The error message of the last failed try; undefined before one failed. */
  readonly failedReason?: string;
  /** Where the job stands now. */
  getState(): Promise<JobState>;
  /** Deletes the job. Rejects while it is active (a worker holds its lock). */
  remove(): Promise<void>;
  /** Moves a delayed job to waiting, to run now. Rejects when the job is not delayed. */
  promote(): Promise<void>;
}

/** A job processor: settles when the job is done; a rejection is a failed try. */
export type Processor<T> = (job: Job<T>) => Promise<unknown>;

/**
 * A queue whose jobs carry data `T`: the part of bull's `Queue` Simu (and its tests) use.
 * `createQueue` answers a bull queue, or in embedded mode a `MemoryQueue`.
 */
export interface Queue<T> {
  /** The queue's name. */
  readonly name: string;
  /** Adds a job (see `AddOptions`); resolves to it, or to the kept job of the same `jobId`. */
  add(data: T, opts?: AddOptions): Promise<Job<T>>;
  /** Adds several jobs at once (no `repeat`); resolves to them in order. */
  addBulk(jobs: Array<{ data: T; opts?: Omit<AddOptions, 'repeat'> }>): Promise<Array<Job<T>>>;
  /** The kept job of id `id`, or null (completed jobs are not kept). */
  getJob(id: JobId): Promise<Job<T> | null>;
  /** Runs `fn` on jobs, one at a time. Settles when the queue closes; rejects if it cannot run. */
  process(fn: Processor<T>): Promise<void>;
  /** Runs `fn` on jobs, up to `concurrency` at once. Settles when the queue closes; rejects if it cannot run. */
  process(concurrency: number, fn: Processor<T>): Promise<void>;
  /** Jobs by state. */
  getJobCounts(): Promise<JobCounts>;
  /** Jobs waiting or delayed (bull's `count()`). */
  count(): Promise<number>;
  /** The repeatable jobs registered on the queue. */
  getRepeatableJobs(): Promise<RepeatableJobInfo[]>;
  /** Deletes every job and repeat of the queue; rejects while jobs are active unless `force`. */
  obliterate(opts?: { force: boolean }): Promise<void>;
  /** Whether the queue is paused (Simu never pauses one; a memory queue answers false). */
  isPaused(): Promise<boolean>;
  /** Resolves to the queue once it can be used (bull: once connected). */
  isReady(): Promise<this>;
  /** Stops taking jobs and waits for the active ones. Use `closeQueue` rather than this. */
  close(): Promise<void>;
  /** Listens for the queue's errors (one with no listener would be thrown, in bull). */
  on(event: 'error', listener: (err: Error) => void): this;
}

// The compiler checks here that a bull queue still fits our interface.
const _bullFits: Queue<unknown> = null as unknown as Bull.Queue<unknown>;
void _bullFits;

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
/** Embedded mode's queues by name: every createQueue of a name meets the same one until it closes. */
const memoryQueues = new Map<string, MemoryQueue<unknown>>();

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
 *
 * In embedded mode (`config.embedded`, no Redis) it answers a `MemoryQueue` instead (same
 * semantics, src/queue/memory.ts), and every call with the same `name` answers the same
 * queue (the web part that adds jobs and the worker that runs them must meet) until that
 * queue starts closing; the settings a later call gives are applied to it (`configure`).
 */
export function createQueue<T>(name: string, settings: QueueSettings = {}): Queue<T> {
  if (config.embedded) {
    const open = memoryQueues.get(name);
    if (open && !open.closing) {
      open.configure(settings);
      return open as MemoryQueue<T>;
    }
    const queue = new MemoryQueue<T>(name, settings);
    queue.on('error', throttledErrorLog('queue error', { queue: name }));
    memoryQueues.set(name, queue as MemoryQueue<unknown>);
    return queue;
  }
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
      attempts: settings.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: settings.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: true,
      // Kept for the person on call; the outbox row holds the lasting record.
      removeOnFail: KEPT_FAILED,
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
 * blocking connection. The shared connections stay open for the other queues. A memory
 * queue is closed the same way (its jobs are dropped), and the next `createQueue` of its
 * name makes a fresh one.
 */
export async function closeQueue(queue: Queue<unknown>): Promise<void> {
  if (queue instanceof MemoryQueue) {
    if (memoryQueues.get(queue.name) === queue) memoryQueues.delete(queue.name);
    await queue.close();
    return;
  }
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
  await Promise.all([...openQueues.keys(), ...memoryQueues.values()].map((queue) => closeQueue(queue)));
  const shared = [sharedClient, sharedSubscriber].filter((c): c is Redis => c !== undefined);
  sharedClient = undefined;
  sharedSubscriber = undefined;
  await Promise.all(shared.map(quit));
}
