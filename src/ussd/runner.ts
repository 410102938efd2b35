/**
 * The USSD runner: one hop of one session. It restores the menu's snapshot from Redis,
 * applies the inputs the hop brings (all of them, from the top, when the session is new or
 * was lost), lets the machine settle (effects run inside the hop), renders the screen and
 * persists the snapshot only at a state that waits for input. Nothing of a request lives
 * on a shared object: each hop makes its own actor.
 */
import { createActor, waitFor, type SnapshotFrom } from 'xstate';
import type { KeyStore } from '../keystore/index.js';
import { mainMenu, renderScreen, type MenuInput } from '../../menus/index.js';
import { db } from '../db/index.js';
import { findDialledCode } from '../sms/confirm/index.js';
import { logger } from '../logger/index.js';
import { config } from '../config/index.js';
import { menuEffects } from './effects.js';
import { findDialler } from './caller.js';
import { notifyLateOutcome } from './late-outcome.js';
import { textMac, withSession, type SessionRecord } from './session-store.js';
import type { UssdHop } from './at-request.js';

const log = logger.child({ component: 'ussd' });

/** The main menu with the domain's effects. Built once: it holds no request state. */
const menu = mainMenu.provide({ actors: menuEffects });
type MenuActor = ReturnType<typeof createActor<typeof menu>>;
type MenuSnapshot = SnapshotFrom<typeof menu>;


/** What a hop answered, and what the hop log line records. */
export interface HopResult {
  /** `CON ...` or `END ...`. */
  response: string;
  screen: string;
  /** True when this was a telco retry answered from the session record. */
  repeated: boolean;
  /** The hop's `text` with every PIN replaced by `[pin]`. */
  redactedText: string;
  inputsApplied: number;
}

const STILL_WORKING = 'END We are still processing your request. You will receive an SMS shortly.';
const MISMATCH = 'END This session belongs to another number. Please dial again.';

/** Handles one AT hop; never throws for a user's input (throws only on infrastructure faults). */
export async function runHop(redis: KeyStore, hop: UssdHop): Promise<HopResult> {
  const mac = textMac(hop.sessionId, hop.text); // once per hop: an HMAC is not free
  return withSession(redis, hop.sessionId, async (record) => {
    if (record && record.msisdn !== hop.msisdn) return { value: answered(hop, MISMATCH, 'mismatch', [], 0, true) };
    if (record && (record.lastTextMac === mac || record.snapshot === null || hop.inputs.length <= record.consumed)) {
      // A telco retry, a hop after the end, or a text that did not grow: same answer, nothing moves.
      return { value: answered(hop, record.lastResponse, 'repeat', record.pinIndexes, 0, true) };
    }
    const { actor, consumed } = record ? restore(record, hop) : await start(hop);
    const pinIndexes = [...(record?.pinIndexes ?? [])];
    let handedOver = false;
    try {
      let applied = 0;
      let snapshot = await settle(actor);
      for (let i = consumed; i < hop.inputs.length && snapshot.status === 'active'; i++) {
        if (snapshot.hasTag('pin')) pinIndexes.push(i + 1);
        actor.send({ type: 'INPUT', value: hop.inputs[i], index: i + 1 });
        snapshot = await settle(actor);
        applied++;
      }
      const screen = renderScreen(snapshot);
      if (screen.overflow) log.warn('screen over 182 characters, cut', { screen: screen.screen });
      const response = `${screen.end ? 'END' : 'CON'} ${screen.text}`;
      const next: SessionRecord = {
        msisdn: hop.msisdn,
        consumed: consumed + applied,
        lastTextMac: mac,
        lastResponse: response,
        snapshot: screen.end ? null : actor.getPersistedSnapshot(),
        pinIndexes,
      };
      return { value: answered(hop, response, screen.screen, pinIndexes, applied, false), save: next };
    } catch (err) {
      if ((err as Error).message?.startsWith('Timeout')) {
        // The effect goes on in the background; its outcome reaches the user by SMS.
        notifyLateOutcome(actor, hop.msisdn, hop.sessionId);
        handedOver = true;
        const ended: SessionRecord = {
          msisdn: hop.msisdn, consumed: hop.inputs.length, lastTextMac: mac, lastResponse: STILL_WORKING, snapshot: null, pinIndexes,
        };
        return { value: answered(hop, STILL_WORKING, 'stillWorking', pinIndexes, 0, false), save: ended };
      }
      throw err;
    } finally {
      if (!handedOver) actor.stop();
    }
  });
}

async function start(hop: UssdHop): Promise<{ actor: MenuActor; consumed: number }> {
  const { customer, agent } = await findDialler(db, hop.msisdn);
  const input: MenuInput = {
    sessionId: hop.sessionId,
    msisdn: hop.msisdn,
    customer: customer && { firstName: customer.firstName, language: customer.language, suspended: customer.status !== 'active' },
    // An agent's phone starts at the agent menu (menus/agent.ts).
    agent: agent && { agentNumber: agent.agentNumber, name: agent.name, kind: agent.kind, language: agent.language, suspended: agent.status !== 'active' },
  };
  // A first input that is one of this caller's SMS confirmation codes opens that confirmation (src/sms/confirm).
  const dialled = customer?.status === 'active' && hop.inputs.length > 0 ? await findDialledCode(db, hop.msisdn, hop.inputs[0]) : null;
  if (dialled && 'live' in dialled) input.smsConfirmation = dialled.live;
  if (dialled && 'stale' in dialled) input.smsConfirmationStale = true;
  return { actor: watch(createActor(menu, { input })), consumed: dialled ? 1 : 0 };
}

function restore(record: SessionRecord, hop: UssdHop): { actor: MenuActor; consumed: number } {
  const input: MenuInput = { sessionId: hop.sessionId, msisdn: hop.msisdn, customer: null, agent: null }; // the restored context wins
  // Persisted by this runner at a state waiting for input (no invoked effect to restart).
  const snapshot = record.snapshot as ReturnType<MenuActor['getPersistedSnapshot']>;
  return { actor: watch(createActor(menu, { snapshot, input })), consumed: record.consumed };
}

/** Starts the actor with an error listener: an actor error must never become an uncaught throw. */
function watch(actor: MenuActor): MenuActor {
  actor.subscribe({ error: (err) => log.error('menu actor failed', { error: (err as Error)?.message }) });
  actor.start();
  return actor;
}

const settled = (s: MenuSnapshot) => s.status !== 'active' || s.hasTag('input');

async function settle(actor: MenuActor): Promise<MenuSnapshot> {
  // Most inputs settle at once (no effect to await): skip waitFor's timer and subscription.
  const now = actor.getSnapshot();
  if (settled(now)) return now;
  return waitFor(actor, settled, { timeout: config.ussdHopBudgetMs });
}

function answered(hop: UssdHop, response: string, screen: string, pinIndexes: number[], applied: number, repeated: boolean): HopResult {
  const redactedText = hop.inputs.map((v, i) => (pinIndexes.includes(i + 1) ? '[pin]' : v)).join('*');
  return { response, screen, repeated, redactedText, inputsApplied: applied };
}
