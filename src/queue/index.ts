/**
 * Bull queues: the connections they share (src/queue/connections.ts) and the worker
 * runtime that runs their processors (src/queue/worker-runtime.ts).
 */
export { createQueue, closeQueue, closeQueues, QUEUE_PREFIX, type Queue, type Job, type QueueSettings } from './connections.js';
export { startWorker, type RunningWorker, type WorkerOptions } from './worker-runtime.js';
