/**
 * A hop that outlives its budget ends with "you will receive an SMS"; when the effect then
 * fails, the user does receive one. Runs Simu as a child process with a short budget.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { db } from '../src/db/index.js';
import { systemAccount, transfer } from '../src/ledger/index.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { eventually } from './helpers/outbox.js';

describe('USSD hop past its budget', () => {
  let child: ChildProcess;
  let url = '';

  before(async function () {
    this.timeout(30_000);
    const port = 30000 + Math.floor(Math.random() * 20000);
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: String(port), USSD_HOP_BUDGET_MS: '500', LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await eventually(async () => out.includes('listening'), 'the child server to listen', 20_000);
  });
  after(() => {
    child.kill('SIGTERM');
  });

  async function hop(sessionId: string, msisdn: string, text: string): Promise<string> {
    const res = await fetch(`${url}/ussd`, { method: 'POST', body: new URLSearchParams({ sessionId, serviceCode: '*384#', phoneNumber: msisdn, text }) });
    return res.text();
  }

  it('a send held up past the budget ends "you will receive an SMS", and its failure then arrives by SMS', async () => {
    const payer = await makeCustomer(1000);
    const payee = await makeCustomer(0);
    const sink = await systemAccount(db, 'opening');
    const sessionId = `late-${Date.now()}`;
    expect(await hop(sessionId, payer.msisdn, `1*${payee.msisdn}*500*1`)).to.match(/^CON Enter PIN/);

    // Hold the payer's wallet so the send waits past the 500 ms budget; meanwhile empty it.
    await db.transaction(async (trx) => {
      await trx('accounts').where({ id: payer.walletAccountId }).forUpdate();
      const screen = await hop(sessionId, payer.msisdn, `1*${payee.msisdn}*500*1*1234`);
      expect(screen).to.equal('END We are still processing your request. You will receive an SMS shortly.');
      await transfer({
        idempotencyKey: `test:drain:${sessionId}`, kind: 'seed', amount: 100_000n,
        postings: [{ accountId: payer.walletAccountId, amount: 100_000n }, { accountId: sink.id, amount: -100_000n }],
      }, {}, trx);
    });

    await eventually(async () => Boolean(await db('sms_outbox').where({ msisdn: payer.msisdn, kind: 'notice' }).first()), 'the late SMS');
    const notice = await db('sms_outbox').where({ msisdn: payer.msisdn, kind: 'notice' }).first();
    expect(notice.message).to.match(/^Failed\. You do not have enough money to send KES 500 plus charge KES 5\./);
    expect(notice.session_id).to.equal(sessionId);
    expect(await db('journal_entries').where({ kind: 'p2p' }).whereRaw(`metadata->>'payer' = ?`, [payer.msisdn])).to.have.length(0);
    await assertLedgerSound();
  });

  it('a send held up past the budget that then succeeds sends its receipt and no extra notice', async () => {
    const payer = await makeCustomer(1000);
    const payee = await makeCustomer(0);
    const sessionId = `late-ok-${Date.now()}`;
    await hop(sessionId, payer.msisdn, `1*${payee.msisdn}*500*1`);
    await db.transaction(async (trx) => {
      await trx('accounts').where({ id: payer.walletAccountId }).forUpdate();
      expect(await hop(sessionId, payer.msisdn, `1*${payee.msisdn}*500*1*1234`)).to.match(/^END We are still processing/);
    });
    await eventually(async () => Boolean(await db('sms_outbox').where({ msisdn: payer.msisdn, kind: 'receipt' }).first()), 'the receipt');
    // The outcome is settled once the receipt exists; a notice would have been written with it.
    await new Promise((r) => setTimeout(r, 200));
    expect(await db('sms_outbox').where({ msisdn: payer.msisdn, kind: 'notice' })).to.have.length(0);
    expect(await hop(sessionId, payer.msisdn, `1*${payee.msisdn}*500*1*1234`)).to.match(/^END We are still processing/);
  });
});
