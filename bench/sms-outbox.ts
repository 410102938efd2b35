/**
 * The `sms_outbox` figure: SMS per second from the outbox to Africa's Talking through
 * Simu's real path: rows written by `enqueueSms` (src/sms), the worker process
 * (`src/worker.ts`, as the Procfile runs it) relaying them into bull, its processor
 * claiming each row, sending it with the `africastalking` SDK and recording it `sent`. AT is
 * the local stand-in (bench/at-standin.ts), reached through HTTPS_PROXY and real TLS.
 *
 * Ceiling, `at_sdk_direct`: the same SDK, username and key, with the transport Simu sets up
 * for it (src/sms/at-transport.ts), in a process of its own with the same proxy and CA,
 * sending as many SMS at the processor's concurrency (5, as src/worker.ts) with nothing else
 * around it. The SDK's stock transport is timed too, for the notes.
 *
 * Imports Simu's modules statically: import this file only after applyBenchEnv().
 */
import { Redis } from 'ioredis';
import { config } from '../src/config/index.js';
import { db } from '../src/db/index.js';
import { QUEUE_PREFIX } from '../src/queue/index.js';
import { enqueueSms, SMS_QUEUE, type OutboxSms } from '../src/sms/index.js';
import { benchMsisdn, benchSmsText, type DirectRequest, type DirectResult } from './at-sdk-direct.js';
import { startAtStandIn, type AtStandIn } from './at-standin.js';
import { runJsonChild, startChild, type Child } from './children.js';
import { figure, type Figure } from './figures.js';

/** SMS jobs the worker runs at once: `CONCURRENCY` in src/worker.ts. */
export const WORKER_CONCURRENCY = 5;

/** Options of `runSmsOutboxBench`. */
export interface SmsOutboxBenchOptions {
  /** The bench's environment (applyBenchEnv()), for the worker and the direct-SDK child. */
  env: Record<string, string>;
  /** Outbox rows measured (and SMS the ceiling sends). Default 4000. */
  count?: number;
  /** Longest the drain may take before the run gives up, ms. Default 180 000. */
  maxMs?: number;
  /** Progress lines (stderr in bench/index.ts). */
  progress?: (msg: string) => void;
  /** Extra node arguments for the worker child (e.g. `--cpu-prof`). */
  workerNodeArgs?: string[];
  /** Also time the SDK with its stock transport (a new tunnel per SMS), up to 1000 SMS, for the notes. Default true. */
  stockCeiling?: boolean;
}

/** What `runSmsOutboxBench` measured: the figure, and what was wrong (empty when all was right). */
export interface SmsOutboxBenchResult {
  figure: Figure;
  /** Rows not `sent`, SMS AT got twice or never, worker error lines, a worker that did not stop cleanly. */
  problems: string[];
}

/** The bench's SMS setting for the worker: far above what it can do, so that bull's limiter is not the figure. */
const SMS_PER_SECOND = '9999';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes the `sms` queue's keys in the bench's Redis database (jobs of earlier runs would clash on jobId `sms:<id>`). */
async function clearSmsQueue(): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:${SMS_QUEUE}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Rows still on their way (pending, queued or sending) in the whole outbox, but those held for quiet hours. */
async function inFlight(): Promise<number> {
  const { rows } = await db.raw(
    `SELECT count(*)::int AS n FROM sms_outbox
     WHERE status IN ('queued', 'sending') OR (status = 'pending' AND (not_before IS NULL OR not_before <= now()))`,
  );
  return rows[0].n;
}

/** Waits until nothing is on its way (the worker drained the outbox); throws after `ms`. */
async function drained(worker: Child, ms: number, what: string, pollMs = 20): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await inFlight()) > 0) {
    if (worker.exited()) throw new Error(`the worker exited ${JSON.stringify(worker.exited())}:\n${worker.tail().join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${what}: outbox not drained after ${ms} ms:\n${worker.tail().join('\n')}`);
    await sleep(pollMs);
  }
}

/** Node's own warnings on stderr (`(node:123) MaxListenersExceededWarning: …` and its hint line): reported, not failed on. */
const isNodeWarning = (line: string) => /^\(node:\d+\) \w*Warning\b|^\(Use `node --trace-warnings/.test(line);

/** Mean times of a row's send, ms: claim (claimed_at) → AT got it (stand-in clock), and AT got it → sent_at. */
async function sendPhases(at: AtStandIn, from: number, ids: bigint[]): Promise<{ toAt: number; fromAt: number }> {
  const arrivals = new Map(at.received.slice(from).map((r) => [r.message, r.at]));
  const { rows } = await db.raw(
    `SELECT message, extract(epoch FROM claimed_at) * 1000 AS c, extract(epoch FROM sent_at) * 1000 AS s FROM sms_outbox WHERE id BETWEEN ? AND ?`,
    [String(ids[0]), String(ids[ids.length - 1])],
  );
  let toAt = 0;
  let fromAt = 0;
  for (const r of rows as Array<{ message: string; c: string; s: string }>) {
    const arrived = arrivals.get(r.message) ?? NaN;
    toAt += arrived - Number(r.c);
    fromAt += Number(r.s) - arrived;
  }
  return { toAt: toAt / rows.length, fromAt: fromAt / rows.length };
}

/** Writes `count` rows of run `tag` through enqueueSms, in one transaction; returns their ids. */
async function writeRows(tag: string, count: number): Promise<bigint[]> {
  const messages: OutboxSms[] = Array.from({ length: count }, (_, i) => ({ msisdn: benchMsisdn(i), message: benchSmsText(tag, i), kind: 'notice' }));
  return db.transaction(async (trx) => {
    const ids: bigint[] = [];
    for (let i = 0; i < messages.length; i += 1000) ids.push(...(await enqueueSms(trx, messages.slice(i, i + 1000))));
    return ids;
  });
}

/** Median and 99th percentile of `samples` (ms). */
function percentiles(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Checks that AT got each of run `tag`'s `count` SMS exactly once; returns [missing, duplicated, extra copies]. */
function deliveryCheck(at: AtStandIn, tag: string, count: number): { missing: number; duplicated: number; copies: number } {
  const counts = at.countsByKey();
  let missing = 0;
  let duplicated = 0;
  let copies = 0;
  for (let i = 0; i < count; i += 1) {
    const n = counts.get(`${benchMsisdn(i)}\n${benchSmsText(tag, i)}`) ?? 0;
    if (n === 0) missing += 1;
    if (n > 1) {
      duplicated += 1;
      copies += n - 1;
    }
  }
  return { missing, duplicated, copies };
}

/**
 * Runs the `sms_outbox` scenario in the bench database (migrated; other rows in the outbox
 * are drained first): starts the AT stand-in and the worker child, warms up, writes `count`
 * rows in one transaction and times from its commit to the last row's `sent_at` (both on
 * PostgreSQL's clock); then checks every row is `sent` with the messageId AT gave it and
 * that AT got each SMS once; then the ceiling. Also measures, in notes, the time one SMS
 * takes from commit to `sent` when the worker is idle (the relay's pause dominates it).
 */
export async function runSmsOutboxBench(opts: SmsOutboxBenchOptions): Promise<SmsOutboxBenchResult> {
  const count = opts.count ?? 4000;
  const maxMs = opts.maxMs ?? 180_000;
  const progress = opts.progress ?? (() => undefined);
  const tag = Date.now().toString(36);
  const problems: string[] = [];
  const at = await startAtStandIn({ username: opts.env.AT_USERNAME, apiKey: opts.env.AT_API_KEY });
  let worker: Child | undefined;
  try {
    await clearSmsQueue();
    const childEnv = { ...opts.env, ...at.env, SMS_PER_SECOND, WORKER_METRICS_PORT: '0' };
    progress(`starting the worker (src/worker.ts) with SMS_PER_SECOND=${SMS_PER_SECOND}; AT stand-in on 127.0.0.1:${at.port}`);
    worker = startChild('src/worker.ts', childEnv, opts.workerNodeArgs ?? []);
    // Warm-up: the worker is up once it has sent these (and drained whatever else was pending).
    await writeRows(`${tag}-warm`, 200);
    await drained(worker, 60_000, 'warm-up');

    progress('measuring: one SMS at a time, worker idle');
    const idle: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const [id] = await writeRows(`${tag}-idle${i}`, 1);
      const started = Date.now();
      for (;;) {
        const row = await db('sms_outbox').where({ id: String(id) }).first('status');
        if (row?.status !== 'pending' && row?.status !== 'queued' && row?.status !== 'sending') break;
        if (Date.now() - started > 30_000) throw new Error(`idle SMS ${id} not sent in 30 s`);
        await sleep(5);
      }
      idle.push(Date.now() - started);
    }
    const idleLatency = percentiles(idle);

    progress(`measuring: ${count} outbox rows → worker → AT stand-in`);
    const receivedBefore = at.received.length;
    const tunnelsBefore = at.tunnels();
    const ids = await writeRows(tag, count);
    const { rows: [{ t0 }] } = await db.raw(`SELECT clock_timestamp() AS t0`);
    await drained(worker, maxMs, 'measured run', 100);
    const { rows: [summary] } = await db.raw(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total,
              extract(epoch FROM max(sent_at) - ?::timestamptz) * 1000 AS ms
       FROM sms_outbox WHERE id BETWEEN ? AND ?`,
      [t0, String(ids[0]), String(ids[ids.length - 1])],
    );
    const valueMs = Number(summary.ms);
    const value = summary.sent / (valueMs / 1000);
    if (summary.total !== count || summary.sent !== count) problems.push(`${count - summary.sent} of ${count} rows not sent`);
    const check = deliveryCheck(at, tag, count);
    if (check.missing) problems.push(`${check.missing} SMS never reached AT`);
    if (check.duplicated) problems.push(`${check.duplicated} SMS reached AT more than once (${check.copies} extra copies)`);
    const messageIds = new Set(at.received.slice(receivedBefore).map((r) => r.messageId));
    const { rows: [ours] } = await db.raw(`SELECT array_agg(at_message_id) AS ids FROM sms_outbox WHERE id BETWEEN ? AND ?`, [String(ids[0]), String(ids[ids.length - 1])]);
    const mismatched = (ours.ids as Array<string | null>).filter((m) => m === null || !messageIds.has(m)).length;
    if (mismatched) problems.push(`${mismatched} rows do not hold the messageId AT gave them`);

    const phases = await sendPhases(at, receivedBefore, ids);
    const workerTunnels = at.tunnels() - tunnelsBefore;

    const stop = await worker.stop();
    const errors = worker.errorLines().filter((l) => !isNodeWarning(l));
    const warnings = worker.errorLines().filter((l) => isNodeWarning(l) && !l.startsWith('(Use'));
    if (stop.killed || stop.code !== 0) problems.push(`worker did not stop cleanly: ${JSON.stringify(stop)}`);
    if (errors.length) problems.push(`worker logged ${errors.length} error line(s), first: ${errors[0].slice(0, 300)}`);
    worker = undefined;

    const runDirect = async (n: number, transport: 'simu' | 'stock') => {
      progress(`measuring ceiling: ${n} SMS straight through the SDK (${transport} transport), ${WORKER_CONCURRENCY} at once`);
      const request: DirectRequest = { count: n, concurrency: WORKER_CONCURRENCY, tag: `${tag}-direct-${transport}`, transport };
      const tunnelsBefore = at.tunnels();
      const result = await runJsonChild<DirectResult>('bench/at-sdk-direct.ts', { ...childEnv, SDK_DIRECT: JSON.stringify(request) }, maxMs);
      if (result.failed) problems.push(`direct SDK (${transport}): ${result.failed} sends failed, first: ${result.firstError}`);
      const c = deliveryCheck(at, request.tag, n);
      if (c.missing || c.duplicated) problems.push(`direct SDK (${transport}): ${c.missing} missing, ${c.duplicated} duplicated at AT`);
      return { ...result, rate: result.sent / (result.elapsedMs / 1000), tunnels: at.tunnels() - tunnelsBefore };
    };
    const direct = await runDirect(count, 'simu');
    const ceiling = direct.rate;
    const stock = opts.stockCeiling === false ? undefined : await runDirect(Math.min(count, 1000), 'stock');

    return {
      figure: figure({
        name: 'sms_outbox',
        value,
        unit: 'messages/s',
        ceiling_name: 'at_sdk_direct',
        ceiling_value: ceiling,
        concurrency: WORKER_CONCURRENCY,
        notes:
          `${count} outbox rows written in one transaction (enqueueSms), timed from its commit to the last sent_at: ` +
          `${(valueMs / 1000).toFixed(2)} s; worker = src/worker.ts child, bull concurrency ${WORKER_CONCURRENCY}, ` +
          `SMS_PER_SECOND=${SMS_PER_SECOND} so bull's limiter is not the figure (production default 20/s is). ` +
          `AT = local stand-in reached through HTTPS_PROXY and TLS, answering at once; the worker opened ${workerTunnels} new CONNECT tunnel(s) during the measured ${count} SMS. ` +
          `Ceiling: the SDK alone in its own process with the transport Simu gives it, ${count} SMS at ${WORKER_CONCURRENCY} at once ` +
          `(${(direct.elapsedMs / 1000).toFixed(2)} s, ${direct.tunnels} tunnel(s))` +
          (stock ? `; the SDK's stock transport (axios + https-proxy-agent 5: a new tunnel and TLS handshake per SMS) did ${stock.rate.toFixed(1)} messages/s over ${Math.min(count, 1000)} SMS. ` : '. ') +
          `AT got each SMS ${check.missing || check.duplicated ? 'NOT exactly once' : 'exactly once'} (${check.copies} duplicates). ` +
          `Per row, mean: claim → AT got it ${phases.toAt.toFixed(1)} ms, AT got it → sent_at ${phases.fromAt.toFixed(1)} ms, ` +
          `one lane's cycle ${((WORKER_CONCURRENCY * valueMs) / count).toFixed(1)} ms. ` +
          `One SMS with the worker idle, commit to sent: p50 ${idleLatency.p50} ms, p99 ${idleLatency.p99} ms (the relay polls every 300 ms). ` +
          (warnings.length ? `Worker warnings: ${[...new Set(warnings.map((w) => w.replace(/^\(node:\d+\) /, '').slice(0, 120)))].join('; ')}. ` : '') +
          'Worker, stand-in, bench, PostgreSQL and Redis share the machine.',
      }),
      problems,
    };
  } finally {
    if (worker) await worker.stop(5_000).catch(() => undefined);
    await at.close();
  }
}
