/**
 * Load for the fault suite: `concurrency` phones, each making Send Money sessions one after
 * another until a deadline, every session with a new sessionId. A phone whose session got
 * no answer waits a moment before dialling again, as a person would.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sendMoneySession, type Gateway, type SessionOutcome } from './phone.js';
import { PIN, type Party } from './world.js';

/** What `runSessions` is told. */
export interface SessionLoad {
  gateway: Gateway;
  /** Phone `i` is payers[i] sending to recipients[i] (both lists at least `concurrency` long). */
  payers: Party[];
  recipients: Party[];
  concurrency: number;
  /** No session starts after this many ms. */
  durationMs: number;
  /** Shillings per send. */
  kes: number;
  /** Tells sessionIds of different runs apart. */
  tag: string;
  /** Budget of each hop, ms. */
  budgetMs?: number;
  /** Pause after a session that got no answer, ms. */
  redialMs?: number;
}

/** One finished session, with when it started (ms after the run began). */
export interface TimedOutcome {
  startedAt: number;
  outcome: SessionOutcome;
}

/** A load in progress. */
export interface SessionRun {
  /** Sessions ended so far. */
  outcomes: TimedOutcome[];
  /** Confirmed sessions so far. */
  confirmed(): number;
  /** No session starts after this; those in flight finish. */
  stop(): void;
  /** Resolves when every phone's last session has ended. */
  done: Promise<TimedOutcome[]>;
}

/** Runs the load for `durationMs` (or until `stop()`); resolves when every phone's last session has ended. */
export function runSessions(load: SessionLoad): Promise<TimedOutcome[]> {
  return startSessions(load).done;
}

/** Starts the load and hands back a handle to watch and stop it. */
export function startSessions(load: SessionLoad): SessionRun {
  const started = Date.now();
  const out: TimedOutcome[] = [];
  let n = 0;
  let confirmed = 0;
  let stopped = false;
  const phone = async (i: number) => {
    while (!stopped && Date.now() - started < load.durationMs) {
      const session = n++;
      const startedAt = Date.now() - started;
      const outcome = await sendMoneySession(
        load.gateway,
        session,
        { sessionId: `faults-${load.tag}-${session}`, payer: load.payers[i].msisdn, to: load.recipients[i].national, kes: load.kes, pin: PIN },
        load.budgetMs,
      );
      out.push({ startedAt, outcome });
      if (outcome.kind === 'confirmed') confirmed++;
      else await sleep(load.redialMs ?? 250);
    }
  };
  const done = Promise.all(Array.from({ length: load.concurrency }, (_, i) => phone(i))).then(() => out);
  return { outcomes: out, confirmed: () => confirmed, stop: () => (stopped = true), done };
}

/** Waits until `cond()` holds (checked every 100 ms); throws after `ms` naming `what`. */
export async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await sleep(100);
  }
}
