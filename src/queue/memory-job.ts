/**
 * A job of src/queue/memory.ts's MemoryQueue: its data, options and tries, and where it
 * stands. The queue keeps and moves it; the job asks its queue to drop or wake it.
 */
import type { Job, JobOpts } from './connections.js';

/** What a job needs of the queue that keeps it. */
export interface JobKeeper<T> {
  /** Removes the job from the queue's lists. */
  drop(job: MemoryJob<T>): void;
  /** Moves a delayed job to waiting. */
  wake(job: MemoryJob<T>): void;
}

/** Where a memory job stands. */
export type State = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';
/** A repeat as `add` takes it: a cron expression, read in time zone `tz`. */
export type Repeat = { cron: string; tz?: string };

/** A job of a `MemoryQueue` (see `Job`). Made by the queue's `add`, never directly. */
export class MemoryJob<T> implements Job<T> {
  attemptsMade = 0;
  failedReason?: string;
  /** Where the job stands; `stuck` (as bull says of a job in no list) once removed. */
  state: State | 'stuck' = 'waiting';
  /** When a delayed job is due, epoch milliseconds. */
  dueAt = 0;
  timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: JobKeeper<T>,
    readonly id: string,
    readonly data: T,
    readonly opts: JobOpts & { readonly attempts: number; readonly backoff: { type: string; delay: number }; readonly repeat?: Repeat; readonly repeatKey?: string },
    readonly timestamp: number,
  ) {}

  /** Where the job stands: `completed` once done (it is then no longer kept), `stuck` once removed. */
  async getState(): Promise<State | 'stuck'> {
    return this.state;
  }

  /** Deletes the job. Rejects with an Error while it is active, as bull refuses a locked job. */
  async remove(): Promise<void> {
    if (this.state === 'active') throw new Error(`Could not remove job ${this.id}: it is active`);
    this.queue.drop(this);
  }

  /** Moves a delayed job to waiting. Rejects with an Error when it is not delayed. */
  async promote(): Promise<void> {
    if (this.state !== 'delayed') throw new Error(`Job ${this.id} is not in a delayed state`);
    this.queue.wake(this);
  }
}

