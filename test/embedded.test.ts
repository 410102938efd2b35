/**
 * Embedded mode end to end, as a newcomer meets it: `npm start`'s server in a folder with
 * nothing configured (no .env, no DATABASE_URL, REDIS_URL, PIN_SECRET or AT credentials),
 * and `npm run phone` in script mode against it. It registers a number, sends it money from
 * a demo customer, sees the SMS the embedded server kept, restarts the server and finds the
 * same balances. Also: the commands that would open the database the server holds say so.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runChild, type ChildOutcome } from './helpers/child.js';

const root = new URL('..', import.meta.url).pathname;
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** Nothing configured: only what any shell has, and the port to listen on. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  log: () => string;
}

/** Starts `src/server.ts` in `cwd` and resolves once it listens (rejects if it exits first). */
function startServer(cwd: string, port: number): Promise<Started> {
  const child = spawn(tsx, [path.join(root, 'src/server.ts')], { cwd, env: bareEnv({ PORT: String(port) }) });
  let log = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('simu web listening')) resolve({ child, log: () => log });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
}

function stopServer(server: Started): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    server.child.once('exit', (code) => resolve(code));
    server.child.kill('SIGTERM');
  });
}

/** Runs a command of the repository in `cwd` with nothing configured. */
function run(cwd: string, script: string, args: string[], env: Record<string, string> = {}): Promise<ChildOutcome> {
  return runChild(tsx, [path.join(root, script), ...args], { cwd, env: bareEnv(env) });
}

describe('embedded mode (nothing configured)', function () {
  this.timeout(180_000);
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'simu-embedded-'));
  let port: number;
  let server: Started | undefined;

  /** Dials with the phone in script mode: one reply a line. */
  const phone = (msisdn: string, replies: string[]) => {
    const script = path.join(cwd, `script-${Math.random().toString(36).slice(2)}.txt`);
    fs.writeFileSync(script, `${replies.join('\n')}\n`);
    return run(cwd, 'src/dev-phone/cli.ts', [msisdn, '--script', script], { SIMU_URL: `http://127.0.0.1:${port}` });
  };
  const balanceOf = async (msisdn: string, pin: string) => {
    const { status, out } = await phone(msisdn, ['8', '1', pin]);
    expect(status, out).to.equal(0);
    const match = /balance is KES ([\d,]+(?:\.\d+)?)/i.exec(out);
    expect(match, out).not.to.equal(null);
    return match![1];
  };

  before(async () => {
    port = await freePort();
    server = await startServer(cwd, port);
  });

  after(async () => {
    if (server) await stopServer(server);
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('starts on PGlite in the data folder, says so, and names its stores on /healthz', async () => {
    expect(server!.log()).to.include('embedded mode: DATABASE_URL and REDIS_URL are not set');
    expect(server!.log()).to.include('demo data seeded');
    expect(fs.existsSync(path.join(cwd, 'data', 'pglite'))).to.equal(true);
    expect(fs.statSync(path.join(cwd, 'data', 'pin-secret')).mode & 0o077).to.equal(0);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.include({ status: 'ok', mode: 'embedded', sessions: 'memory', queues: 'memory' });
  });

  it('makes an admin key on first start, kept in the data folder, that the admin API takes', async () => {
    const file = path.join(cwd, 'data', 'admin-key');
    expect(fs.statSync(file).mode & 0o077).to.equal(0);
    const key = fs.readFileSync(file, 'utf8').trim();
    const url = `http://127.0.0.1:${port}/admin/customers/${encodeURIComponent('+254700000001')}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.include({ msisdn: '+254700000001' });
    expect((await fetch(url)).status).to.equal(401);
  });

  it('registers a number, sends it money from a demo customer and shows the SMS, with the PIN masked', async () => {
    const reg = await phone('0700000042', ['1', '1', 'Daudi', 'Mwangi', '30000042', '4826', '4826']);
    expect(reg.status, reg.out).to.equal(0);
    expect(reg.out).to.include('Welcome to Simu, Daudi!');
    expect(reg.out).not.to.include('4826');

    const send = await phone('+254700000001', ['1', '0700000042', '500', '1', '1234']);
    expect(send.status, send.out).to.equal(0);
    expect(send.out).to.match(/Confirmed\. KES 500 sent to/);
    expect(send.out).to.match(/✉ SMS: [A-Z0-9]{10} Confirmed/);
    expect(send.out).not.to.include('1234');
    expect(server!.log()).to.include('sms kept, not sent (embedded mode)');

    expect(await balanceOf('0700000042', '4826')).to.equal('500');
  });

  it('buys airtime without AT: the purchase completes and its receipt SMS is kept', async () => {
    const buy = await phone('+254700000002', ['3', '1', '50', '1', '1234']);
    expect(buy.status, buy.out).to.equal(0);
    expect(buy.out).to.match(/Confirmed\. KES 50 airtime for 0700000002/);
    // The receipt comes after the worker's passes: read what the server kept, as the phone does.
    let texts: string[] = [];
    for (let i = 0; i < 100 && !texts.some((t) => /You bought KES 50 airtime/.test(t)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`http://127.0.0.1:${port}/dev/sms?to=%2B254700000002`);
      texts = ((await res.json()) as { messages: Array<{ message: string }> }).messages.map((m) => m.message);
    }
    expect(texts.join('\n')).to.match(/You bought KES 50 airtime for 0700000002/);
    expect(texts.join('\n')).not.to.match(/could not be delivered/);
    expect(server!.log()).to.include('airtime kept, not bought (embedded mode)');
  });

  it('tells a second process that the server holds the database, and a worker that it has no place, changing nothing', async () => {
    const check = await run(cwd, 'src/ledger/cli.ts', []);
    expect(check.status).to.equal(75);
    expect(check.out).to.include('is open in another Simu process');
    const key = await run(cwd, 'src/admin/cli.ts', ['--name', 'ops', '--scopes', 'read']);
    expect(key.status).to.equal(75);
    expect(key.out).to.include('Stop that process');
    const worker = await run(cwd, 'src/worker.ts', []);
    expect(worker.status).to.equal(78);
    expect(worker.out).to.include('there is no worker process to start');
  });

  it('after a restart finds the same balances, and the ledger check passes once the server is stopped', async () => {
    const amina = await balanceOf('+254700000001', '1234');
    expect(await stopServer(server!)).to.equal(0);
    const check = await run(cwd, 'src/ledger/cli.ts', []);
    expect(check.status, check.out).to.equal(0);
    expect(check.out).to.include('every invariant holds');

    server = await startServer(cwd, port);
    expect(server.log()).not.to.include('demo data seeded');
    expect(await balanceOf('+254700000001', '1234')).to.equal(amina);
    expect(await balanceOf('0700000042', '4826')).to.equal('500');
  });
});
