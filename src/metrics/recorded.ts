/**
 * The metrics Simu records as things happen (USSD hops, transfers, SMS sends), on a
 * prom-client registry of its own rather than the library's global one, together with the
 * default process metrics.
 *
 * No label ever holds personal data (an MSISDN, a sessionId, a name), and every label set
 * is bounded: screens, transfer kinds, error codes and SMS kinds come from our code, not
 * from input. As a guard against a future caller passing something else, a value that
 * does not look like a code, or one past the first MAX_LABEL_VALUES of its label, is
 * counted as `other`.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from '../errors/index.js';

/** The registry of recorded metrics (the scrape-time gauges live in ./scrape.ts). */
export const recordedMetrics = new Registry();
collectDefaultMetrics({ register: recordedMetrics });

/** Distinct values one label may take before further ones count as `other`. */
export const MAX_LABEL_VALUES = 100;

const CODE_LIKE = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

/** A function that passes a code-like value through, or answers `other`. */
function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!CODE_LIKE.test(value)) return 'other';
    if (!seen.has(value)) {
      if (seen.size >= MAX_LABEL_VALUES) return 'other';
      seen.add(value);
    }
    return value;
  };
}

const screenLabel = boundedLabel();
const transferKindLabel = boundedLabel();
const outcomeLabel = boundedLabel();
const smsKindLabel = boundedLabel();

const ussdHop = new Histogram({
  name: 'simu_ussd_hop_duration_seconds',
  help: 'Time to answer one USSD hop, by the menu screen answered (error: the hop failed)',
  labelNames: ['screen'],
  // AT waits 10-15 s; a hop should take well under a second.
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [recordedMetrics],
});

const transfers = new Counter({
  name: 'simu_transfers_total',
  help: 'ledger transfer() calls by kind and outcome: ok, replayed (same idempotency key), the refusal code, or error',
  labelNames: ['kind', 'outcome'],
  registers: [recordedMetrics],
});

const smsSent = new Counter({
  name: 'simu_sms_sent_total',
  help: 'SMS accepted by Africa\'s Talking, by kind (counted in the process that sends: the worker)',
  labelNames: ['kind'],
  registers: [recordedMetrics],
});

const smsFailed = new Counter({
  name: 'simu_sms_failed_total',
  help: 'SMS that failed for good: refused by Africa\'s Talking or out of retries, by kind (counted in the worker)',
  labelNames: ['kind'],
  registers: [recordedMetrics],
});

/** Records one USSD hop answered with `screen` (e.g. `sendMoney.amount`) after `seconds`. */
export function observeUssdHop(screen: string, seconds: number): void {
  ussdHop.observe({ screen: screenLabel(screen) }, seconds);
}

/**
 * Runs one transfer and counts it under `kind` with its outcome: `ok`, `replayed`, the
 * code of a refusal the caller caused (`insufficient_funds`, a limit's code, ...), or
 * `error` for anything else. Returns what `run` returns and rethrows what it throws.
 */
export async function countTransfer<T extends { replayed: boolean }>(kind: string, run: () => Promise<T>): Promise<T> {
  const kindLabel = transferKindLabel(kind);
  try {
    const result = await run();
    transfers.inc({ kind: kindLabel, outcome: result.replayed ? 'replayed' : 'ok' });
    return result;
  } catch (err) {
    const outcome = err instanceof AppError && err.userFault ? outcomeLabel(err.code) : 'error';
    transfers.inc({ kind: kindLabel, outcome });
    throw err;
  }
}

/**
 * Counts the end of one SMS send of `kind`: `sent` and `failed` (for good) are counted;
 * other outcomes (`retry`: bull will try again) are not.
 */
export function countSmsOutcome(outcome: string, kind: string): void {
  if (outcome === 'sent') smsSent.inc({ kind: smsKindLabel(kind) });
  else if (outcome === 'failed') smsFailed.inc({ kind: smsKindLabel(kind) });
}
