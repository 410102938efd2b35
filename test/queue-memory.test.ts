import { expect } from 'chai';
import { MemoryQueue } from '../src/queue/memory.js';
import type { Job } from '../src/queue/connections.js';

/** Polls `cond` every 5 ms until it holds; throws after `ms` milliseconds. */
async function eventually(cond: () => boolean | Promise<boolean>, what: string, ms = 1000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A promise and the function that settles it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('MemoryQueue (embedded mode)', () => {
  const queues: Array<MemoryQueue<unknown>> = [];
  function queue<T>(settings: ConstructorParameters<typeof MemoryQueue<T>>[1] = {}): MemoryQueue<T> {
    const q = new MemoryQueue<T>(`test-memory-${queues.length}`, settings);
    queues.push(q as MemoryQueue<unknown>);
    return q;
  }
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  it('dedupes on jobId while a job is kept, and adds again once it is removed', async () => {
    const q = queue<{ n: number }>();
    const first = await q.add({ n: 1 }, { jobId: 'sms:1' });
    const again = await q.add({ n: 2 }, { jobId: 'sms:1' });
    const [bulk] = await q.addBulk([{ data: { n: 3 }, opts: { jobId: 'sms:1' } }, { data: { n: 4 } }]);
    expect(again).to.equal(first);
    expect(bulk).to.equal(first);
    expect(first.data).to.deep.equal({ n: 1 });
    expect(await q.count()).to.equal(2);
    await first.remove();
    expect(await q.getJob('sms:1')).to.equal(null);
    const fresh = await q.add({ n: 5 }, { jobId: 'sms:1' });
    expect(fresh).to.not.equal(first);
    expect(fresh.data).to.deep.equal({ n: 5 });
  });

  it('removes a completed job, so that its jobId may be added again', async () => {
    const q = queue<string>();
    const done: string[] = [];
    void q.process(1, async (job) => { done.push(job.data); });
    const job = await q.add('a', { jobId: 'x' });
    await eventually(() => done.length === 1, 'job done');
    await eventually(async () => (await q.getJob('x')) === null, 'job removed');
    expect(await job.getState()).to.equal('completed');
    await q.add('b', { jobId: 'x' });
    await eventually(() => done.length === 2, 'second job done');
    expect(done).to.deep.equal(['a', 'b']);
  });

  it('retries a failing job after exponential backoff, counting attempts as bull, then keeps it failed', async () => {
    const q = queue<string>({ attempts: 3, backoffMs: 60_000 });
    const seen: number[] = [];
    void q.process(1, async (job) => {
      seen.push(job.attemptsMade);
      throw new Error(`try ${job.attemptsMade + 1} failed`);
    });
    const job = await q.add('x', { jobId: 'retry' });
    expect(job.opts).to.include({ attempts: 3 });
    expect(job.opts.backoff).to.deep.include({ type: 'exponential', delay: 60_000 });
    // The first try fails: the job waits out its backoff (a minute) as delayed.
    await eventually(async () => (await job.getState()) === 'delayed', 'delayed after the first failure');
    expect(job.attemptsMade).to.equal(1);
    expect(job.failedReason).to.equal('try 1 failed');
    await job.promote();
    await eventually(async () => (await job.getState()) === 'delayed' && job.attemptsMade === 2, 'delayed after the second failure');
    await job.promote();
    await eventually(async () => (await job.getState()) === 'failed', 'failed for good');
    expect(seen).to.deep.equal([0, 1, 2]);
    expect(job.attemptsMade).to.equal(3);
    expect(await q.getJob('retry')).to.equal(job);
    // A failed job is kept: adding its jobId again returns it and runs nothing.
    expect(await q.add('y', { jobId: 'retry' })).to.equal(job);
    expect((await q.getJobCounts()).failed).to.equal(1);
  });

  it('retries at once with no backoff, and survives a processor that throws synchronously', async () => {
    const q = queue<string>({ attempts: 2, backoffMs: 0 });
    let calls = 0;
    void q.process(1, ((() => {
      calls += 1;
      throw new Error('thrown, not rejected');
    }) as unknown) as (job: Job<string>) => Promise<void>);
    const job = await q.add('x');
    await eventually(async () => (await job.getState()) === 'failed', 'failed');
    expect(calls).to.equal(2);
    expect(job.failedReason).to.equal('thrown, not rejected');
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const q = queue<number>();
    const g = gate();
    let active = 0;
    let most = 0;
    let done = 0;
    void q.process(2, async () => {
      active += 1;
      most = Math.max(most, active);
      await g.wait;
      active -= 1;
      done += 1;
    });
    await q.addBulk([1, 2, 3, 4, 5, 6].map((n) => ({ data: n })));
    await eventually(() => active === 2, 'two active');
    const counts = await q.getJobCounts();
    expect(counts).to.deep.equal({ waiting: 4, active: 2, completed: 0, failed: 0, delayed: 0, paused: 0 });
    g.open();
    await eventually(() => done === 6, 'all done');
    expect(most).to.equal(2);
  });

  it('starts at most `max` jobs per limiter window', async () => {
    const q = queue<number>({ limiter: { max: 2, durationMs: 60_000 } });
    let done = 0;
    void q.process(5, async () => { done += 1; });
    await q.addBulk([1, 2, 3, 4, 5].map((n) => ({ data: n })));
    await eventually(() => done === 2, 'two done');
    await new Promise((r) => setTimeout(r, 30));
    expect(done).to.equal(2);
    expect((await q.getJobCounts()).waiting).to.equal(3);
  });

  it('answers getState, refuses to remove an active job, promotes a delayed one', async () => {
    const q = queue<string>();
    const delayed = await q.add('later', { jobId: 'd', delay: 60_000 });
    const waiting = await q.add('now', { jobId: 'w' });
    expect(await delayed.getState()).to.equal('delayed');
    expect(await waiting.getState()).to.equal('waiting');
    expect(await q.getJobCounts()).to.include({ waiting: 1, delayed: 1, active: 0 });
    // promote() refuses a job that is not delayed.
    expect(await waiting.promote().then(() => 'promoted', (e: Error) => e.message)).to.match(/not in a delayed state/);
    await delayed.promote();
    expect(await delayed.getState()).to.equal('waiting');

    const g = gate();
    const started: string[] = [];
    void q.process(1, async (job) => {
      started.push(String(job.id));
      await g.wait;
    });
    await eventually(() => started.length === 1, 'one started');
    const active = (await q.getJob(started[0])) as Job<string>;
    expect(await active.getState()).to.equal('active');
    expect(await active.remove().then(() => 'removed', () => 'refused')).to.equal('refused');
    const other = (await q.getJob(started[0] === 'w' ? 'd' : 'w')) as Job<string>;
    await other.remove();
    expect(await q.getJob(other.id)).to.equal(null);
    g.open();
    await eventually(async () => (await q.getJobCounts()).active === 0, 'active job done');
    expect(started).to.have.length(1);
  });

  it('holds a job delayed past Node\'s timer limit (2^31-1 ms) instead of running it at once', async () => {
    const q = queue<string>();
    let runs = 0;
    void q.process(1, async () => { runs += 1; });
    const job = await q.add('far', { delay: 2 ** 31 + 60_000 });
    await q.add('near');
    await eventually(() => runs === 1, 'the waiting job ran');
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).to.equal(1);
    expect(await job.getState()).to.equal('delayed');
  });

  it('close() stops taking jobs and waits for the active ones; process() then settles', async () => {
    const q = queue<number>();
    const g = gate();
    let started = 0;
    let finished = 0;
    let processEnded = false;
    void q.process(1, async () => {
      started += 1;
      await g.wait;
      finished += 1;
    }).then(() => (processEnded = true));
    await q.addBulk([{ data: 1 }, { data: 2 }]);
    await eventually(() => started === 1, 'one started');
    let closed = false;
    const closing = q.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).to.equal(false);
    g.open();
    await closing;
    expect(finished).to.equal(1);
    expect(started).to.equal(1);
    expect(processEnded).to.equal(true);
    expect(await q.add(3).then(() => 'added', () => 'refused')).to.equal('refused');
  });

  it('runs a repeatable job at its cron time, and adds its next run as a delayed job', async () => {
    // A clock 30 ms short of a whole second: the every-second cron is due 30 ms from now.
    const offset = 1000 - (Date.now() % 1000) - 30;
    const q = queue<Record<string, never>>({ now: () => Date.now() + offset });
    const first = await q.add({}, { jobId: 'daily', repeat: { cron: '* * * * * *', tz: 'Africa/Nairobi' } });
    await q.add({}, { jobId: 'daily', repeat: { cron: '* * * * * *', tz: 'Africa/Nairobi' } });
    expect(await first.getState()).to.equal('delayed');
    expect(await q.getJobCounts()).to.include({ delayed: 1, waiting: 0 });
    const repeats = await q.getRepeatableJobs();
    expect(repeats.map((r) => [r.cron, r.tz])).to.deep.equal([['* * * * * *', 'Africa/Nairobi']]);
    let runs = 0;
    void q.process(1, async () => { runs += 1; });
    await eventually(() => runs === 1, 'first run');
    const counts = await q.getJobCounts();
    expect(counts).to.include({ delayed: 1, waiting: 0, active: 0 });
    expect((await q.getRepeatableJobs())[0].next).to.be.greaterThan(repeats[0].next);
    await q.obliterate({ force: true });
    expect(await q.getRepeatableJobs()).to.deep.equal([]);
    expect(await q.count()).to.equal(0);
  });
});
