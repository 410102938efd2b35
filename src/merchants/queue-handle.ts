/**
 * The web process's handle on the confirmation bull queue, for admin retries: it never
 * calls `process()`, so it takes no jobs and opens no blocking connection. Made on first
 * use (a process that never retries opens no bull connection); `closeQueues()` closes it
 * with the others, and the next use after that makes a fresh one.
 */
import { createQueue, type Queue } from '../queue/connections.js';
import { CONFIRMATION_QUEUE, type ConfirmationJob } from './confirmations.js';

let handle: Queue<ConfirmationJob> | undefined;

/** The process's confirmation queue handle that does not process jobs (made on first use). */
export function confirmationQueueHandle(): Queue<ConfirmationJob> {
  // bull sets `closing` when close() starts (closeQueue / closeQueues); it is not in its types.
  if (!handle || (handle as unknown as { closing?: unknown }).closing) handle = createQueue<ConfirmationJob>(CONFIRMATION_QUEUE);
  return handle;
}
