/**
 * When a hop outlives its budget, the session ends with "you will receive an SMS" while
 * the effect (a transfer waiting on a hot account, say) goes on. This keeps listening to
 * the menu actor and, when it settles, makes sure the user does hear: outcomes that write
 * their own SMS (a receipt, a welcome, a lock notice) are left to it; any other END
 * screen is sent as an SMS through the outbox; a menu that settled back on a question
 * gets a short "could not complete" notice.
 */
import type { AnyActorRef } from 'xstate';
import { renderScreen, type RenderableSnapshot } from '../../menus/index.js';
import { db } from '../db/index.js';
import { logger } from '../logger/index.js';
import { enqueueSms, sms } from '../sms/index.js';

const log = logger.child({ component: 'ussd' });

/** Final screens whose effect already wrote an SMS. */
const SELF_NOTIFYING = new Set([
  'sent', 'registered', 'pinChanged', 'pinLocked', 'withdrawn', 'deposited', 'floatSent', 'commissionMoved', 'agentPinLocked',
]);

/** How long to keep listening before giving up on the effect (it may still commit). */
export const LATE_OUTCOME_WAIT_MS = 120_000;

type Snapshot = RenderableSnapshot & { hasTag(tag: string): boolean };

/**
 * Listens to `actor` until it settles, then writes the user's SMS (idempotent per
 * session: dedupe key `late:<sessionId>`) and stops the actor.
 */
export function notifyLateOutcome(actor: AnyActorRef, msisdn: string, sessionId: string): void {
  let done = false;
  const finish = (snapshot: Snapshot | null) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    subscription.unsubscribe();
    actor.stop();
    if (!snapshot) {
      log.warn('effect still running after the late-outcome wait; the user may get no SMS', { waitedMs: LATE_OUTCOME_WAIT_MS });
      return;
    }
    const screen = renderScreen(snapshot);
    if (screen.end && SELF_NOTIFYING.has(screen.screen)) return;
    const message = screen.end ? screen.text : sms(snapshot.context.lang).requestIncomplete();
    enqueueSms(db, [{ msisdn, kind: 'notice', message, dedupeKey: `late:${sessionId}` }])
      .then(() => log.info('late outcome sent by SMS', { screen: screen.screen }))
      .catch((err: Error) => log.error('late outcome SMS not written', { error: err.message }));
  };
  const settled = (s: Snapshot) => s.status !== 'active' || s.hasTag('input');
  const timer = setTimeout(() => finish(null), LATE_OUTCOME_WAIT_MS);
  timer.unref();
  const subscription = actor.subscribe({
    next: (s: Snapshot) => settled(s) && finish(s),
    error: () => finish(actor.getSnapshot() as Snapshot),
  });
  const now = actor.getSnapshot() as Snapshot;
  if (settled(now)) finish(now);
}
