/**
 * Job queues: bull on Redis, or in embedded mode queues in memory (src/queue/memory.ts),
 * behind one interface and the connections they share (src/queue/connections.ts), and the
 * worker runtime that runs their processors (src/queue/worker-runtime.ts).
 */
export {
  createQueue, closeQueue, closeQueues, QUEUE_PREFIX,
  type Queue, type Job, type JobId, type JobState, type JobOpts, type JobCounts, type AddOptions,
  type Processor, type RepeatableJobInfo, type QueueSettings,
} from './connections.js';
export { MemoryQueue, type MemoryQueueSettings } from './memory.js';
export { startWorker, type RunningWorker, type WorkerOptions } from './worker-runtime.js';
