/**
 * Child processes of the `sms_outbox` bench that do not serve `/healthz` (so
 * bench/servers.ts's `startServer` does not fit them): Simu's worker (`src/worker.ts`, as
 * the Procfile runs it) and one-shot scripts that print a JSON line. Each runs as
 * `node --import tsx <entry>` from the repository root with `env` added to this process's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT, watchOutput } from './servers.js';

/** A running child that is not a server. */
export interface Child {
  pid: number;
  /** Lines logged at level error and stderr lines that are not JSON log lines (at most 2000). */
  errorLines(): string[];
  /** The last 20 lines of output. */
  tail(): string[];
  /** Null while running; the exit once it has ended. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit and whether it had to be killed. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean; ms: number }>;
}

/** Starts `entry` (relative to the repository root) as a child; returns at once. */
export function startChild(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child & { stdout(): string } {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = { code, signal }))),
  );
  const { errors, tail } = watchOutput(child, 20, (chunk) => {
    if (out.length < 1_000_000) out += chunk;
  });
  return {
    pid: child.pid!,
    errorLines: () => [...errors],
    tail: () => [...tail],
    exited: () => exit,
    stdout: () => out,
    async stop(graceMs = 25_000) {
      const started = Date.now();
      if (exit) return { ...exit, killed: false, ms: 0 };
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), graceMs)));
      const first = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (first) return { ...first, killed: false, ms: Date.now() - started };
      child.kill('SIGKILL');
      return { ...(await exited), killed: true, ms: Date.now() - started };
    },
  };
}

/**
 * Runs `entry` to its end and parses the last line it printed on stdout as JSON. Rejects
 * when it exits non-zero, prints no JSON, or runs past `maxMs` (then it is killed).
 */
export async function runJsonChild<T>(entry: string, env: Record<string, string>, maxMs: number): Promise<T> {
  const child = startChild(entry, env);
  const deadline = Date.now() + maxMs;
  while (!child.exited()) {
    if (Date.now() > deadline) {
      await child.stop(1000);
      throw new Error(`${entry} ran past ${maxMs} ms:\n${child.tail().join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const lines = child.stdout().trim().split('\n');
  const exit = child.exited()!;
  if (exit.code !== 0) throw new Error(`${entry} exited ${exit.code ?? exit.signal}:\n${child.tail().join('\n')}`);
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(`${entry} printed no JSON:\n${child.tail().join('\n')}`);
  }
}
