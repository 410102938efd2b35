/**
 * Periodic passes of the worker process (outbox relays, reviews, dispatchers): each pass
 * runs, then waits its pause, until stopped. A failed pass is logged and the loop goes on:
 * nothing a pass meets may stop the worker. Each loop is its own, so a slow pass (a
 * provider in an outage, each call running to its timeout) never holds up another.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'winston';

/** One loop: `pass` every `everyMs` milliseconds (measured from the end of the last pass). */
export interface LoopSpec {
  /** For the log line of a failed pass: `<component> <name> pass failed`. */
  name: string;
  everyMs: number;
  pass: () => Promise<unknown>;
}

/** Running loops; `stop()` ends the pauses at once and waits for the passes in flight. Safe to call twice. */
export interface RunningLoops {
  stop(): Promise<void>;
}

/** Starts `loops`, each at once; failed passes go to `log` under `component`. */
export function startLoops(component: string, log: Logger, loops: LoopSpec[]): RunningLoops {
  const stopped = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopped.signal, ref: false }).catch(() => undefined);
  const running = loops.map(({ name, everyMs, pass }) =>
    (async () => {
      while (!stopped.signal.aborted) {
        try {
          await pass();
        } catch (err) {
          log.error(`${component} ${name} pass failed`, { error: (err as Error).message });
        }
        await pause(everyMs);
      }
    })(),
  );
  let stopping: Promise<void> | undefined;
  return {
    stop: () => (stopping ??= (async () => {
      stopped.abort();
      await Promise.all(running);
    })()),
  };
}
