/**
 * Child servers for the bench: Simu's web process and the bare Express server, each run
 * as its own Node process (`node --import tsx <entry>`) on a free port, waited for on
 * `/healthz`, and stopped with SIGTERM at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json and node_modules are). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A running child server. */
export interface ChildServer {
  name: string;
  port: number;
  pid: number;
  /** Lines logged at level error, and stderr lines that are not JSON log lines. */
  errorLines(): string[];
  /** Sends SIGTERM and waits for the exit; SIGKILLs after `graceMs`. */
  stop(graceMs?: number): Promise<StopOutcome>;
}

/** How a child ended. */
export interface StopOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  /** True when it had to be killed with SIGKILL. */
  killed: boolean;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `entry` (a path relative to the repository root) with `env` added to this
 * process's environment and PORT set to a free port, and resolves once `GET /healthz`
 * answers 200. `nodeArgs` go before the entry (e.g. `--cpu-prof`). Rejects (and kills the
 * child) when it exits early or is not healthy in `readyMs`.
 */
export async function startServer(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = [], readyMs = 30_000): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { errors, tail } = watchOutput(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let early: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((e) => (early = e));
  const deadline = Date.now() + readyMs;
  while (!(await healthy(port))) {
    if (early) throw new Error(`${name} exited before it was ready (${JSON.stringify(early)}):\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not healthy after ${readyMs} ms:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    name,
    port,
    pid: child.pid!,
    errorLines: () => [...errors],
    stop: (graceMs = 25_000) => stopChild(child, exited, graceMs),
  };
}

/** What a child printed: the last lines, and the error lines (see watchOutput). */
export interface ChildOutput {
  /** Lines logged at level error, and any stderr line that is not a JSON log line (at most 2,000). */
  errors: string[];
  /** The last `tailLines` lines of either stream. */
  tail: string[];
}

/**
 * Reads a child's stdout and stderr line by line (both must be pipes): keeps the last
 * `tailLines` lines and the error lines, and hands every stdout chunk to `onStdout`.
 */
export function watchOutput(child: ChildProcess, tailLines = 30, onStdout?: (chunk: string) => void): ChildOutput {
  const out: ChildOutput = { errors: [], tail: [] };
  const collect = (stream: NodeJS.ReadableStream, isStderr: boolean) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (!isStderr) onStdout?.(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        out.tail.push(line);
        if (out.tail.length > tailLines) out.tail.shift();
        const isError = line.includes('"level":"error"') || (isStderr && !line.startsWith('{'));
        if (isError && out.errors.length < 2000) out.errors.push(line);
      }
    });
  };
  collect(child.stdout!, false);
  collect(child.stderr!, true);
  return out;
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  graceMs: number,
): Promise<StopOutcome> {
  const started = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode, ms: 0, killed: false };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), graceMs)));
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first) return { ...first, ms: Date.now() - started, killed: false };
  child.kill('SIGKILL');
  const last = await exited;
  return { ...last, ms: Date.now() - started, killed: true };
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * Runs a bench entry point's `main` and sets the process's exit code from it: its answer,
 * or 1 with the stack on stderr (as `<name> failed: …`) when it throws.
 */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
