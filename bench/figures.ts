/**
 * The bench's results: one row per figure, each beside the ceiling it is measured against
 * in the same run, written to `bench/results/<YYYY-MM-DD>.json` (issue 11's format).
 */

/** One measured figure beside its ceiling. */
export interface Figure {
  /** `ussd_hops`, `send_money_sessions`, `ledger_uniform`, `ledger_hot` or `sms_outbox`. */
  name: string;
  /** What was measured, in `unit` (a rate: higher is better). */
  value: number;
  /** e.g. `hops/s`, `sessions/s`, `transfers/s`, `messages/s`. */
  unit: string;
  /** What the figure is held against, e.g. `bare_express`, `pgbench_tpcb_like`. */
  ceiling_name: string;
  /** The ceiling's own rate in its own unit (requests/s, transactions/s, ...). */
  ceiling_value: number;
  /** value / ceiling_value, rounded to 3 decimals. */
  ratio: number;
  /** Clients (connections, sessions in flight) both were measured at. */
  concurrency?: number;
  /** Latency of the figure's unit of work, ms, where it has one. */
  p50_ms?: number;
  p99_ms?: number;
  /** Anything a reader needs to read the figure right. */
  notes?: string;
}

/** A Figure with its ratio computed. */
export function figure(f: Omit<Figure, 'ratio'>): Figure {
  const ratio = f.ceiling_value > 0 ? Math.round((f.value / f.ceiling_value) * 1000) / 1000 : 0;
  return { ...f, value: round(f.value), ceiling_value: round(f.ceiling_value), ratio };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
