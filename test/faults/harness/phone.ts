/**
 * Phones for the fault suite: Send Money sessions of six hops posted as Africa's Talking
 * posts them (`POST /ussd`, form fields sessionId, serviceCode, phoneNumber, networkCode,
 * text; AT's USSD docs), each hop given the telco's budget, and each session's outcome
 * sorted into what the user saw: a confirmation with its transaction code, an `END`
 * refusal, or no answer at all (the web process died, or the hop ran past the budget).
 */
import { postForm, type Reply } from '../../../bench/load.js';

/** What AT allows a hop before it drops the session (DESIGN.md: about 10–15 s). */
export const HOP_BUDGET_MS = 10_000;

/** Where a hop goes: the web processes' ports, picked per hop (a load balancer). */
export interface Gateway {
  /** The port for hop `hop` of session `session`. */
  portFor(session: number, hop: number): number;
}

/** One web port for every hop. */
export function onePort(port: () => number): Gateway {
  return { portFor: () => port() };
}

/** Hops alternate between the web ports (hop n of a session goes to ports[n % length]). */
export function alternating(ports: () => number[]): Gateway {
  return { portFor: (session, hop) => ports()[(session + hop) % ports().length] };
}

/** One answered hop. */
export type HopAnswer = Reply;

/** Posts one hop on a fresh connection (a web process may have died since the last); rejects on a transport error or after `budgetMs`. */
export function postHop(port: number, form: Record<string, string>, budgetMs = HOP_BUDGET_MS): Promise<HopAnswer> {
  return postForm({ port, path: '/ussd', agent: false, timeoutMs: budgetMs }, form);
}

/** How a Send Money session ended, as the user saw it. */
export type SessionOutcome =
  | { kind: 'confirmed'; code: string; hops: HopAnswer[] }
  | { kind: 'ended'; atHop: number; text: string; hops: HopAnswer[] }
  | { kind: 'http'; atHop: number; status: number; text: string; hops: HopAnswer[] }
  | { kind: 'lost'; atHop: number; error: string; hops: HopAnswer[] };

/** A Send Money session's parties and amount. */
export interface SendMoney {
  sessionId: string;
  /** E.164 of the payer (AT's phoneNumber). */
  payer: string;
  /** The recipient as typed, `07…`. */
  to: string;
  kes: number;
  pin: string;
}

/** The six texts AT posts for a Send Money session (each repeats every earlier input). */
export function sendMoneyTexts(s: SendMoney): string[] {
  return ['', '1', `1*${s.to}`, `1*${s.to}*${s.kes}`, `1*${s.to}*${s.kes}*1`, `1*${s.to}*${s.kes}*1*${s.pin}`];
}

const CONFIRMED = /^END ([A-Z0-9]{10}) Confirmed/;

/**
 * Runs one Send Money session through `gateway` (session number `n` picks the ports), hop
 * after hop, stopping at the first `END`, non-200 answer or transport error.
 */
export async function sendMoneySession(gateway: Gateway, n: number, s: SendMoney, budgetMs = HOP_BUDGET_MS): Promise<SessionOutcome> {
  const texts = sendMoneyTexts(s);
  const hops: HopAnswer[] = [];
  for (let hop = 0; hop < texts.length; hop++) {
    const form = { sessionId: s.sessionId, serviceCode: '*384#', phoneNumber: s.payer, networkCode: '63902', text: texts[hop] };
    let answer: HopAnswer;
    try {
      answer = await postHop(gateway.portFor(n, hop), form, budgetMs);
    } catch (err) {
      return { kind: 'lost', atHop: hop, error: (err as Error).message, hops };
    }
    hops.push(answer);
    if (answer.status !== 200) return { kind: 'http', atHop: hop, status: answer.status, text: answer.body, hops };
    const code = CONFIRMED.exec(answer.body);
    if (code) return { kind: 'confirmed', code: code[1], hops };
    if (!answer.body.startsWith('CON ')) return { kind: 'ended', atHop: hop, text: answer.body, hops };
  }
  return { kind: 'ended', atHop: texts.length - 1, text: hops[hops.length - 1]?.body ?? '', hops };
}

/** Counts of outcomes, and each kind's first examples, for the report. */
export function tally(outcomes: SessionOutcome[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.kind === 'confirmed' ? 'confirmed' : o.kind === 'ended' ? `END at hop ${o.atHop + 1}` : o.kind === 'http' ? `HTTP ${o.status} at hop ${o.atHop + 1}` : `no answer at hop ${o.atHop + 1}`;
    t[key] = (t[key] ?? 0) + 1;
  }
  return t;
}
