/**
 * A queue held in this process's memory, for embedded mode (`config.embedded`: one process,
 * no Redis). It does what Simu asks of bull (src/queue/connections.ts, `Queue`), with bull's
 * semantics: `jobId` dedupes against every job still kept; a failed try is retried after
 * bull's exponential backoff until `attempts` tries, then the job is kept `failed` (the
 * last 1000); a completed job is removed; the limiter caps jobs started per window; a
 * repeatable job is one delayed job per cron time, the next added when one starts.
 * Jobs live as long as the queue: closing it, or the process ending, drops them (Simu's
 * outbox relays add again the jobs of rows left unsent). Timers are unref'd and cleared on
 * close, so a queue never keeps the process alive, and no timer callback ever throws.
 */
import { EventEmitter } from 'node:events';
import cronParser from 'cron-parser';
import type { AddOptions, Job, JobCounts, JobId, Processor, Queue, QueueSettings, RepeatableJobInfo } from './connections.js';
import { MemoryJob, type JobKeeper, type Repeat } from './memory-job.js';

export { MemoryJob } from './memory-job.js';

/** Tries per job when the settings give none (as `createQueue`). */
export const DEFAULT_ATTEMPTS = 8;
/** First retry delay in milliseconds when the settings give none (as `createQueue`). */
export const DEFAULT_BACKOFF_MS = 2000;
/** Failed jobs kept per queue (bull's `removeOnFail: 1000`); older ones are dropped. */
export const KEPT_FAILED = 1000;
/** Node's timers overflow past 2^31-1 ms (they would fire at once): longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 2;

/** Settings of a `MemoryQueue`: the queue's `QueueSettings`, and a clock tests may move. */
export interface MemoryQueueSettings extends QueueSettings {
  /** The time now, epoch milliseconds. Default `Date.now`. Delays and cron times are read on it. */
  now?: () => number;
}

/** A queue in memory with bull's semantics for what Simu uses (see the module's comment). */
export class MemoryQueue<T> extends EventEmitter implements Queue<T>, JobKeeper<T> {
  private readonly jobs = new Map<string, MemoryJob<T>>();
  private readonly waiting: Array<MemoryJob<T>> = [];
  private readonly failed: Array<MemoryJob<T>> = [];
  private readonly repeats = new Map<string, { spec: Repeat; data: T; jobId?: JobId; next: number }>();
  private readonly running = new Set<Promise<void>>();
  private readonly starts: number[] = [];
  private readonly now: () => number;
  private attempts = DEFAULT_ATTEMPTS;
  private backoffMs = DEFAULT_BACKOFF_MS;
  private limiter?: { max: number; durationMs: number };
  private seq = 0;
  private processor?: Processor<T>;
  private concurrency = 1;
  private limiterTimer?: NodeJS.Timeout;
  private stopped?: () => void;
  /** Set when `close()` starts (as bull sets it); the promise settles once closed. */
  closing?: Promise<void>;

  /** A queue named `name`; `settings` as `createQueue`'s (defaults 8 attempts, 2000 ms backoff). */
  constructor(readonly name: string, settings: MemoryQueueSettings = {}) {
    super();
    this.now = settings.now ?? Date.now;
    this.configure(settings);
  }

  /**
   * Applies the settings `settings` gives (those left undefined stay): `attempts` and
   * `backoffMs` to jobs added from now on, `limiter` at once. In embedded mode every
   * `createQueue` of a name shares one queue, so the worker's settings reach the queue
   * the web part may have made first.
   */
  configure(settings: QueueSettings): void {
    this.attempts = settings.attempts ?? this.attempts;
    this.backoffMs = settings.backoffMs ?? this.backoffMs;
    this.limiter = settings.limiter ?? this.limiter;
  }

  /** Adds a job (see `AddOptions`). Rejects once the queue is closing, or for a bad cron. */
  async add(data: T, opts: AddOptions = {}): Promise<Job<T>> {
    if (this.closing) throw new Error(`Queue ${this.name} is closed`);
    if (opts.repeat) return this.addRepeat(data, opts.repeat, opts.jobId);
    return this.put(data, opts);
  }

  /** Adds `jobs` in order, each as `add` would; resolves to them. */
  async addBulk(jobs: Array<{ data: T; opts?: Omit<AddOptions, 'repeat'> }>): Promise<Array<Job<T>>> {
    if (this.closing) throw new Error(`Queue ${this.name} is closed`);
    return jobs.map(({ data, opts }) => this.put(data, opts ?? {}));
  }

  /** The kept job of id `id` (waiting, delayed, active or failed), or null. */
  async getJob(id: JobId): Promise<Job<T> | null> {
    return this.jobs.get(String(id)) ?? null;
  }

  /** Runs `fn` on jobs, one at a time (see the other overload). */
  process(fn: Processor<T>): Promise<void>;
  /**
   * Runs `fn` on jobs, up to `concurrency` at once. Settles when the queue is closed and its
   * active jobs are done; rejects when a processor is already set or the queue is closing.
   */
  process(concurrency: number, fn: Processor<T>): Promise<void>;
  process(a: number | Processor<T>, b?: Processor<T>): Promise<void> {
    const fn = typeof a === 'function' ? a : b;
    if (this.closing) return Promise.reject(new Error(`Queue ${this.name} is closed`));
    if (this.processor || !fn) return Promise.reject(new Error(`Queue ${this.name} already has a processor`));
    this.processor = fn;
    this.concurrency = typeof a === 'number' ? Math.max(1, a) : 1;
    const done = new Promise<void>((resolve) => (this.stopped = resolve));
    this.pump();
    return done;
  }

  /** Jobs by state (completed ones are not kept, so `completed` is 0; `paused` is always 0). */
  async getJobCounts(): Promise<Required<JobCounts>> {
    const counts = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, paused: 0 };
    for (const job of this.jobs.values()) if (job.state !== 'stuck') counts[job.state] += 1;
    return counts;
  }

  /** Jobs waiting or delayed. */
  async count(): Promise<number> {
    const counts = await this.getJobCounts();
    return counts.waiting + counts.delayed;
  }

  /** The repeatable jobs added to the queue, with their next due time. */
  async getRepeatableJobs(): Promise<RepeatableJobInfo[]> {
    return [...this.repeats].map(([key, r]) => ({ key, cron: r.spec.cron, tz: r.spec.tz ?? null, next: r.next }));
  }

  /** Drops every job and repeat. Rejects with an Error while jobs are active, unless `force`. */
  async obliterate(opts: { force: boolean } = { force: false }): Promise<void> {
    if (!opts.force && this.running.size > 0) throw new Error(`Cannot obliterate queue ${this.name} with active jobs`);
    for (const job of [...this.jobs.values()]) this.drop(job);
    this.repeats.clear();
  }

  /** Never paused: false. */
  async isPaused(): Promise<boolean> {
    return false;
  }

  /** Resolves to the queue at once (nothing to connect to). */
  async isReady(): Promise<this> {
    return this;
  }

  /** Stops taking jobs, clears every timer, waits for the active jobs. Safe to call twice. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      clearTimeout(this.limiterTimer);
      for (const job of this.jobs.values()) clearTimeout(job.timer);
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      this.stopped?.();
    })());
  }

  /** Removes `job` from the queue's lists and clears its timer (used by `MemoryJob#remove`). */
  drop(job: MemoryJob<T>): void {
    clearTimeout(job.timer);
    if (this.jobs.get(job.id) === job) this.jobs.delete(job.id);
    remove(this.waiting, job);
    remove(this.failed, job);
    if (job.state !== 'active') job.state = 'stuck';
  }

  /** Moves a delayed `job` to waiting and starts jobs (used by `MemoryJob#promote` and timers). */
  wake(job: MemoryJob<T>): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    if (job.state === 'delayed') this.enqueue(job);
  }

  private enqueue(job: MemoryJob<T>): void {
    job.state = 'waiting';
    this.waiting.push(job);
    this.pump();
  }

  private put(data: T, opts: AddOptions & { repeat?: Repeat; repeatKey?: string }): MemoryJob<T> {
    const id = opts.jobId === undefined ? String(++this.seq) : String(opts.jobId);
    const kept = this.jobs.get(id);
    if (kept) return kept;
    const jobOpts = { ...opts, attempts: this.attempts, backoff: { type: 'exponential', delay: this.backoffMs } };
    const job = new MemoryJob(this, id, data, jobOpts, this.now());
    this.jobs.set(id, job);
    if ((opts.delay ?? 0) > 0) this.delay(job, job.timestamp + (opts.delay ?? 0));
    else this.enqueue(job);
    return job;
  }

  /** Registers the repeat (once per name, jobId, tz and cron) and adds its next run. */
  private addRepeat(data: T, spec: Repeat, jobId?: JobId): Job<T> {
    const key = `${this.name}:${jobId ?? ''}:${spec.tz ?? ''}:${spec.cron}`;
    const known = this.repeats.get(key);
    if (known) return this.jobs.get(`repeat:${key}:${known.next}`) ?? this.nextRun(key, this.now());
    this.repeats.set(key, { spec, data, jobId, next: 0 });
    try {
      return this.nextRun(key, this.now());
    } catch (err) {
      this.repeats.delete(key);
      throw err;
    }
  }

  /** Adds the delayed run of repeat `key` at its first cron time after `after` (ms). */
  private nextRun(key: string, after: number): MemoryJob<T> {
    const r = this.repeats.get(key);
    if (!r) throw new Error(`No repeat ${key}`);
    const from = new Date(Math.max(after, this.now()));
    r.next = cronParser.parseExpression(r.spec.cron, { currentDate: from, tz: r.spec.tz }).next().getTime();
    return this.put(r.data, { jobId: `repeat:${key}:${r.next}`, delay: Math.max(1, r.next - this.now()), repeat: r.spec, repeatKey: key });
  }

  /** Makes `job` delayed until `at` (ms), with a timer re-armed while the wait exceeds Node's limit. */
  private delay(job: MemoryJob<T>, at: number): void {
    job.state = 'delayed';
    job.dueAt = at;
    if (this.closing) return;
    const arm = () => {
      const wait = Math.min(Math.max(0, job.dueAt - this.now()), MAX_TIMER_MS);
      job.timer = setTimeout(() => this.safely(() => (this.now() >= job.dueAt ? this.wake(job) : arm())), wait).unref();
    };
    arm();
  }

  /** Starts waiting jobs while a slot is free and the limiter allows. */
  private pump(): void {
    if (this.closing || !this.processor) return;
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const limiter = this.limiter;
      if (limiter) {
        const now = this.now();
        while (this.starts.length > 0 && this.starts[0] <= now - limiter.durationMs) this.starts.shift();
        if (this.starts.length >= limiter.max) {
          this.limiterTimer ??= setTimeout(() => this.safely(() => {
            this.limiterTimer = undefined;
            this.pump();
          }), Math.max(1, this.starts[0] + limiter.durationMs - now)).unref();
          return;
        }
        this.starts.push(now);
      }
      this.start(this.waiting.shift() as MemoryJob<T>);
    }
  }

  private start(job: MemoryJob<T>): void {
    const fn = this.processor as Processor<T>;
    job.state = 'active';
    // As bull, the next run of a repeatable job is added when this one starts.
    if (job.opts.repeatKey && this.repeats.has(job.opts.repeatKey)) this.safely(() => this.nextRun(job.opts.repeatKey as string, job.dueAt));
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(fn(job));
    } catch (err) {
      result = Promise.reject(err);
    }
    const run: Promise<void> = result.then(
      () => this.completed(job),
      (err: unknown) => this.failedTry(job, err),
    ).catch((err: unknown) => this.emitError(err)).finally(() => {
      this.running.delete(run);
      this.pump();
    });
    this.running.add(run);
  }

  private completed(job: MemoryJob<T>): void {
    if (this.jobs.get(job.id) === job) this.jobs.delete(job.id); // removeOnComplete
    job.state = 'completed';
  }

  private failedTry(job: MemoryJob<T>, err: unknown): void {
    job.attemptsMade += 1;
    job.failedReason = err instanceof Error ? err.message : String(err);
    if (this.jobs.get(job.id) !== job) {
      job.state = 'stuck'; // removed (obliterate with force) while it ran
    } else if (job.attemptsMade < job.opts.attempts) {
      // bull's exponential backoff: (2^attemptsMade - 1) × delay.
      const wait = Math.round((2 ** job.attemptsMade - 1) * job.opts.backoff.delay);
      if (wait > 0) this.delay(job, this.now() + wait);
      else this.enqueue(job);
    } else {
      job.state = 'failed';
      this.failed.push(job);
      while (this.failed.length > KEPT_FAILED) this.drop(this.failed[0]);
    }
  }

  /** Runs `fn`, turning a throw into an 'error' event (dropped when nobody listens). */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.emitError(err);
    }
  }

  private emitError(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)));
  }
}

function remove<X>(list: X[], item: X): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
