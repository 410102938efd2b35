/**
 * Private PostgreSQL and Redis servers for the fault suite, so that a scenario may stop,
 * kill and restart them without touching the machine's own (which the normal suite, the
 * bench and a developer's `simu` database use). PostgreSQL is a throwaway cluster made
 * with `initdb` in a temp folder, run as the `postgres` OS user when we are root (the
 * server refuses to run as root); Redis is `redis-server` with nothing kept on disk.
 * Both listen on 127.0.0.1 only, on free ports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../../bench/servers.js';

/** A private PostgreSQL cluster. */
export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database: string): string;
  /** Stops the server: `fast` (clean) or `immediate` (as a crash: WAL replay at start). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port and data; resolves when it takes connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): void;
}

function pgBin(name: string): string {
  const versions = fs.readdirSync('/usr/lib/postgresql').sort();
  return `/usr/lib/postgresql/${versions[versions.length - 1]}/bin/${name}`;
}

/** Runs a PostgreSQL server program as the `postgres` user (when we are root). */
function asPostgres(bin: string, args: string[]): void {
  const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', pgBin(bin), ...args]] : [pgBin(bin), args];
  execFileSync(cmd as string, argv as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Waits until `url` answers `SELECT 1`. */
async function waitForPostgres(url: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${url} is not up: ${(err as Error).message}`);
      await sleep(100);
    }
  }
}

let shared: Promise<PrivatePostgres> | undefined;

/**
 * The suite's one private cluster, started on first use and destroyed when this process
 * exits. Scenarios run one after another, so one may stop and start it (each restarts it
 * before it ends) while each scenario has a database of its own.
 */
export function sharedPostgres(): Promise<PrivatePostgres> {
  if (!shared) {
    shared = startPrivatePostgres();
    void shared.then((pg) => process.once('exit', () => pg.destroy()), () => undefined);
  }
  return shared;
}

/** Creates and starts a throwaway cluster; resolves when it takes connections. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simu-faults-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
    await waitForPostgres(url('postgres'));
  };
  await start();
  let destroyed = false;
  return {
    port,
    url,
    stop: (mode = 'fast') => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']),
    start,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private Redis server. */
export interface PrivateRedis {
  port: number;
  /** `redis://127.0.0.1:<port>/0`. */
  url: string;
  /** Kills the server (SIGKILL: its data is gone, as on a restart with nothing persisted). */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves when it answers PING. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts a Redis server that keeps nothing on disk. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!redisPing(port)) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      await sleep(50);
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}/0`, kill, start, destroy: kill };
}

function redisPing(port: number): boolean {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
  } catch {
    return false;
  }
}
