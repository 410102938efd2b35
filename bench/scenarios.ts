/**
 * The bench's scenarios, each a bounded run of concurrent workers against one server:
 * bare Express requests, USSD navigation hops, and complete Send Money sessions (the six
 * hops a phone makes). Each checks every answer and counts what was wrong.
 */
import { performance } from 'node:perf_hooks';
import { Failures, runWorkers, type Client, type RunLimits, type RunOutcome } from './load.js';
import type { BenchCustomer } from './fixtures.js';

/** What a scenario measured. */
export interface ScenarioResult {
  outcome: RunOutcome;
  /** Requests (hops) answered, successful or not. */
  requests: number;
  /** Per-request latencies, ms. */
  latencies: number[];
  failures: Failures;
}

/** What a Send Money run measured, on top of the per-hop figures. */
export interface MoneyResult extends ScenarioResult {
  /** Whole-session times (first hop sent to final answer), ms; completed sessions only. */
  sessions: number[];
  /** The final (PIN, money-moving) hop's latencies, ms. */
  finals: number[];
  /** Latencies by hop position (0 = `""`, 5 = the PIN). */
  byHop: number[][];
  confirmed: number;
}

const SERVICE_CODE = '*384#';

function hopForm(sessionId: string, msisdn: string, text: string): Record<string, string> {
  return { sessionId, serviceCode: SERVICE_CODE, phoneNumber: msisdn, networkCode: '63902', text };
}

/** Bare Express: `POST /ussd` answered `CON hello` with nothing behind it. */
export async function bareRun(client: Client, limits: RunLimits): Promise<ScenarioResult> {
  const latencies: number[] = [];
  const failures = new Failures();
  const form = hopForm('bare-0', '+254711000000', '');
  const outcome = await runWorkers(limits, async () => {
    try {
      const r = await client.postForm('/ussd', form);
      latencies.push(r.ms);
      if (r.status !== 200 || r.body !== 'CON hello') failures.add(`bare HTTP ${r.status}`, r.body);
    } catch (err) {
      failures.add('bare transport error', (err as Error).message);
    }
  });
  return { outcome, requests: latencies.length, latencies, failures };
}

/**
 * Navigation only: each task is a new session of a registered customer making three hops,
 * `""` (main menu), `"1"` (Send Money: enter phone number) and `"1*0"` (Back: main menu).
 * No money moves. Every answer must be a `CON` screen.
 */
export async function navigationRun(client: Client, limits: RunLimits, customers: BenchCustomer[], tag: string): Promise<ScenarioResult> {
  const latencies: number[] = [];
  const failures = new Failures();
  const outcome = await runWorkers(limits, async (i) => {
    const customer = customers[i % customers.length];
    const sessionId = `bench-${tag}-${i}`;
    for (const text of ['', '1', '1*0']) {
      try {
        const r = await client.postForm('/ussd', hopForm(sessionId, customer.msisdn, text));
        latencies.push(r.ms);
        if (r.status !== 200 || !r.body.startsWith('CON ')) {
          failures.add(`navigation hop "${text}" HTTP ${r.status}`, r.body);
          return;
        }
      } catch (err) {
        failures.add(`navigation hop "${text}" transport error`, (err as Error).message);
        return;
      }
    }
  });
  return { outcome, requests: latencies.length, latencies, failures };
}

/** Who pays whom in task `i`. */
export type Pairing = (i: number) => { payer: BenchCustomer; recipient: BenchCustomer };

/**
 * Complete Send Money sessions of KES `kes`: the hops `""`, `"1"`, `"1*<to>"`,
 * `"1*<to>*<kes>"`, `"1*<to>*<kes>*1"`, `"1*<to>*<kes>*1*<pin>"`, one after another
 * within a session. Hops before the last must be `CON` screens; the last must be an `END`
 * screen saying `Confirmed`. A session stops at its first wrong answer.
 */
export async function sendMoneyRun(
  client: Client,
  limits: RunLimits,
  pairing: Pairing,
  opts: { tag: string; kes: number; pin: string },
): Promise<MoneyResult> {
  const latencies: number[] = [];
  const sessions: number[] = [];
  const finals: number[] = [];
  const byHop: number[][] = Array.from({ length: 6 }, () => []);
  const failures = new Failures();
  let confirmed = 0;
  const outcome = await runWorkers(limits, async (i) => {
    const { payer, recipient } = pairing(i);
    const sessionId = `bench-${opts.tag}-${i}`;
    const to = recipient.national;
    const texts = ['', '1', `1*${to}`, `1*${to}*${opts.kes}`, `1*${to}*${opts.kes}*1`, `1*${to}*${opts.kes}*1*${opts.pin}`];
    const started = performance.now();
    for (let hop = 0; hop < texts.length; hop++) {
      const last = hop === texts.length - 1;
      const label = last ? 'final hop (PIN)' : `hop ${hop + 1} "${texts[hop].replace(/\d{7,}/, '<to>')}"`;
      try {
        const r = await client.postForm('/ussd', hopForm(sessionId, payer.msisdn, texts[hop]));
        latencies.push(r.ms);
        byHop[hop].push(r.ms);
        const ok = r.status === 200 && (last ? r.body.startsWith('END ') && r.body.includes('Confirmed') : r.body.startsWith('CON '));
        if (!ok) {
          failures.add(`${label} HTTP ${r.status}`, r.body);
          return;
        }
        if (last) finals.push(r.ms);
      } catch (err) {
        failures.add(`${label} transport error`, (err as Error).message);
        return;
      }
    }
    confirmed++;
    sessions.push(performance.now() - started);
  });
  return { outcome, requests: latencies.length, latencies, failures, sessions, finals, byHop, confirmed };
}
