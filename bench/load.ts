/**
 * The load generator: a keep-alive HTTP client over Node's own `http` module, a pool of
 * concurrent workers bounded in count and time, and latency statistics. It runs in the
 * bench process, so the load and the server under test never share an event loop.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One answered request. */
export interface Reply {
  status: number;
  body: string;
  /** Wall time from sending to the last byte of the answer, in ms. */
  ms: number;
}

/** A keep-alive client for one server on 127.0.0.1. */
export interface Client {
  /** POSTs `form` form-encoded to `path`; rejects only on a transport error. */
  postForm(path: string, form: Record<string, string>): Promise<Reply>;
  /** Closes every socket the client holds. */
  close(): void;
}

/** Where `postForm` goes and how long it waits. */
export interface FormTarget {
  port: number;
  path: string;
  /** The connection pool; `false` opens a fresh connection for the request. */
  agent: http.Agent | false;
  /** The request is destroyed (and the promise rejects) when no answer has ended by then, in ms. */
  timeoutMs: number;
}

/** POSTs `form` form-encoded to `127.0.0.1:<port><path>`; rejects on a transport error or the timeout. */
export function postForm(target: FormTarget, form: Record<string, string>): Promise<Reply> {
  const body = new URLSearchParams(form).toString();
  return new Promise<Reply>((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.setTimeout(target.timeoutMs, () => req.destroy(new Error(`no answer within ${target.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A client holding at most `sockets` keep-alive connections to `127.0.0.1:port`. */
export function createClient(port: number, sockets: number): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  return {
    postForm: (path, form) => postForm({ port, path, agent, timeoutMs: 30_000 }, form),
    close() {
      agent.destroy();
    },
  };
}

/** How a run is bounded: it stops starting tasks at `maxTasks` or after `maxMs`. */
export interface RunLimits {
  concurrency: number;
  maxTasks: number;
  maxMs: number;
}

/** What a run did. */
export interface RunOutcome {
  /** Tasks completed (including failed ones). */
  tasks: number;
  /** From the first task's start to the last one's end, in ms. */
  elapsedMs: number;
}

/**
 * Runs `task(0)`, `task(1)`, ... on `concurrency` workers, each worker running its tasks
 * one after another. No task starts after `maxTasks` have started or `maxMs` has passed;
 * tasks in flight finish. A task reports its own failures; a throw is a bug and aborts.
 */
export async function runWorkers(limits: RunLimits, task: (i: number) => Promise<void>): Promise<RunOutcome> {
  const started = performance.now();
  const deadline = started + limits.maxMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < limits.maxTasks && performance.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: limits.concurrency }, worker));
  return { tasks: next, elapsedMs: performance.now() - started };
}

/** Latency figures of a set of samples (ms). */
export interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile `p` (0-100) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99 and max of `samples` (ms). */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Collects failures by kind (a label and the first answer seen), for the report. */
export class Failures {
  private readonly byKind = new Map<string, { count: number; example: string }>();

  /** Records one failure of `kind` with an example answer. */
  add(kind: string, example: string): void {
    const seen = this.byKind.get(kind);
    if (seen) seen.count++;
    else this.byKind.set(kind, { count: 1, example: example.slice(0, 200) });
  }

  /** How many failures were recorded. */
  get total(): number {
    let n = 0;
    for (const { count } of this.byKind.values()) n += count;
    return n;
  }

  /** One line per kind: `count × kind: example`. */
  lines(): string[] {
    return [...this.byKind].map(([kind, { count, example }]) => `${count} × ${kind}: ${JSON.stringify(example)}`);
  }
}
