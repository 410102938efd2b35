/**
 * Simu's processes as the Procfile starts them (`web: npm start`, `worker: npm run
 * worker`), each in its own process group so that a scenario can `kill -9` the whole of it
 * (npm, tsx and node) as a crash would, or stop it with SIGTERM as a deploy does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ROOT, watchOutput } from '../../../bench/servers.js';

/** The Procfile's commands by process type. */
export function procfile(): Record<string, string> {
  const lines = fs.readFileSync(path.join(ROOT, 'Procfile'), 'utf8').split('\n');
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([a-z]+):\s*(.+)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Runs a one-off command (`npm run migrate`, `npm run seed`, `npm run ledger:check`) to its end. */
export function runOnce(command: string, env: Record<string, string>): { status: number; output: string } {
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** One running Simu process. */
export interface SimuProcess {
  kind: 'web' | 'worker';
  /** The web's HTTP port, or the worker's metrics port. */
  port: number;
  /** Lines logged at level error (and any stderr line that is not a JSON log line). */
  errorLines(): string[];
  /** True while the process group leader runs. */
  alive(): boolean;
  /** How it ended, once it has. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGKILL to the whole process group, as a crash; resolves when the leader is gone. */
  kill9(): Promise<void>;
  /** SIGTERM to the process group; resolves with the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts the Procfile's `kind` with `env` on top of this process's environment (PORT for
 * web, WORKER_METRICS_PORT for worker, set to `fixedPort` or a free port), and resolves once it answers:
 * web on `/healthz` 200, worker on `/metrics`.
 */
export async function startProcess(kind: 'web' | 'worker', env: Record<string, string>, fixedPort?: number, readyMs = 60_000): Promise<SimuProcess> {
  const port = fixedPort ?? (await freePort());
  const portVar = kind === 'web' ? { PORT: String(port) } : { WORKER_METRICS_PORT: String(port) };
  const child: ChildProcess = spawn('sh', ['-c', `exec ${procfile()[kind]}`], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...portVar },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { errors, tail } = watchOutput(child);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve();
    }),
  );
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone
    }
  };

  const deadline = Date.now() + readyMs;
  while (!(await answers(port, kind === 'web' ? '/healthz' : '/metrics'))) {
    if (ended) throw new Error(`${kind} exited before it was ready (${JSON.stringify(ended)}):\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      group('SIGKILL');
      throw new Error(`${kind} not ready after ${readyMs} ms:\n${tail.join('\n')}`);
    }
    await sleep(100);
  }
  return {
    kind,
    port,
    errorLines: () => [...errors],
    alive: () => ended === null,
    exit: () => ended,
    async kill9() {
      group('SIGKILL');
      await exited;
    },
    async stop(graceMs = 30_000) {
      if (ended) return (ended as { code: number | null }).code;
      group('SIGTERM');
      const timer = setTimeout(() => group('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      return (ended as unknown as { code: number | null }).code;
    },
  };
}

/** True when GET `path` on 127.0.0.1:`port` answers 200. */
export function answers(port: number, urlPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
