/**
 * `npm run phone` in script mode against a running Simu: it dials, answers each screen
 * with the script's next line, shows the END screen, and prints the SMS Simu wrote to that
 * number; a PIN is shown masked; a bad command line is refused with the usage.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { db } from '../src/db/index.js';
import { displayBalance, getAccount } from '../src/ledger/index.js';
import { nationalFormat } from '../src/phone/index.js';
import { appUrl } from './helpers/ussd.js';
import { makeCustomer } from './helpers/customers.js';
import { runChild, type ChildOutcome } from './helpers/child.js';

const root = new URL('..', import.meta.url).pathname;

/** Runs the phone as a child (asynchronously: the Simu it dials runs in this process). */
function phone(args: string[], simuUrl: string): Promise<ChildOutcome> {
  return runChild(process.execPath, ['--import', 'tsx', 'src/dev-phone/cli.ts', ...args], { cwd: root, env: { ...process.env, SIMU_URL: simuUrl } });
}

describe('npm run phone', () => {
  it('in script mode sends money hop by hop, shows the receipt screen and the SMS, and masks the PIN', async () => {
    const url = await appUrl();
    const payer = await makeCustomer(2_000, { pin: '4826' });
    const payee = await makeCustomer(0);
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phone-')), 'send.txt');
    fs.writeFileSync(script, ['1', nationalFormat(payee.msisdn), '500', '1', '4826', ''].join('\n'));

    const { status, out } = await phone([payer.msisdn, '--script', script], url);

    expect(status, out).to.equal(0);
    expect(out).to.match(/Confirmed\. KES 500 sent to/);
    expect(out).to.match(/✉ SMS: [A-Z0-9]{10} Confirmed/);
    expect(out).to.include('Reply: ****');
    expect(out).not.to.include('4826');
    expect(displayBalance(await getAccount(db, payee.walletAccountId))).to.equal(50_000n);
  });

  it('speaks Kiswahili in its own words with --lang sw, and stops when the script runs out', async () => {
    const url = await appUrl();
    const caller = await makeCustomer(100);
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phone-')), 'menu.txt');
    fs.writeFileSync(script, '1\n');
    const { status, out } = await phone([caller.msisdn, '--lang', 'sw', '--script', script], url);
    expect(status, out).to.equal(0);
    expect(out).to.include('Inapiga *384#');
    expect(out).to.include('Jibu: 1');
    expect(out).to.include('Hati haina mistari zaidi');
  });

  it('refuses a number it cannot read, or a dial code that is not 4 digits, with its usage', async () => {
    const url = await appUrl();
    for (const args of [['12'], ['+254700000001', '--code', '12a']]) {
      const { status, out } = await phone(args, url);
      expect(status).to.equal(2);
      expect(out).to.include('usage: npm run phone');
    }
  });
});
