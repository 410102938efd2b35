/**
 * With the M-Pesa rail off (no Daraja credentials, as on a development machine), Top up
 * from M-PESA and Withdraw to M-PESA say so and record or move nothing. Config is read
 * once per process, so the dial runs in a child process with the rail's settings emptied.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('M-Pesa rail off', () => {
  it('Top up and To M-PESA end with "not available", nothing recorded, nothing debited, in a process without Daraja credentials', async function () {
    this.timeout(60_000);
    const env = { ...process.env, MPESA_CONSUMER_KEY: '', MPESA_CONSUMER_SECRET: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/helpers/rail-off-dial.ts'], { env });
    const seen = JSON.parse(stdout.trim().split('\n').pop()!);
    const unavailable = 'END Sorry, M-PESA top-up and withdrawal are not available on Simu right now. Nothing was charged. Please try again later.';
    expect(seen.topUpScreen).to.equal(unavailable);
    expect(seen.withdrawScreen).to.equal(unavailable);
    expect(seen).to.include({ stk: 0, b2c: 0 });
    expect(seen.after).to.equal(seen.before);
  });
});
