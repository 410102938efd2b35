/**
 * The web process's handle on the `sms` bull queue: for the queue board (/admin/queues),
 * queue-depth metrics and admin retries. It never calls `process()`, so it takes no jobs
 * and opens no blocking connection. It is made on first use, so that a process (or a test
 * file) that never needs it opens no bull connection; `closeQueues()` closes it with the
 * others, and the next use after that makes a fresh one.
 */
import { createQueue, type Queue } from '../queue/connections.js';
import { SMS_QUEUE, type SmsJob } from './sender.js';

let handle: Queue<SmsJob> | undefined;

/** The process's `sms` queue handle that does not process jobs (made on first use). */
export function smsQueueHandle(): Queue<SmsJob> {
  // bull sets `closing` when close() starts (closeQueue / closeQueues); it is not in its types.
  if (!handle || (handle as unknown as { closing?: unknown }).closing) handle = createQueue<SmsJob>(SMS_QUEUE);
  return handle;
}
