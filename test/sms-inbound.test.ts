/**
 * SMS commands through the real app (POST /sms/inbound as AT posts it): every non-money
 * command in English and Kiswahili, with the reply read back from the outbox; opt-outs
 * and what they do to scheduled SMS; unregistered senders; near misses.
 */
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { createRedis } from '../src/redis/index.js';
import { createApp } from '../src/http/app.js';
import { setLanguage, type Customer } from '../src/customers/index.js';
import { enqueueSms } from '../src/sms/index.js';
import { disburseLoan, loanStatement } from '../src/loans/index.js';
import { invoiceTerm } from '../src/fees/index.js';
import { formatKes } from '../src/money/index.js';
import { closeAtEnd } from './helpers/resources.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { makeSchool, makeStudent, makeTerm } from './helpers/fees.js';
import { loanKey, pastFlow } from './helpers/loans.js';

describe('POST /sms/inbound: SMS commands', () => {
  let base: string;
  let server: Server;
  const redis = createRedis();

  const stop = () => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });

  before(async () => {
    server = createApp({ db, redis }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeAtEnd(async () => { await stop(); await redis.quit(); });
  });
  after(stop);

  /** Posts `text` from `from` as AT's incoming-message callback; returns the status and body. */
  async function text(from: string, message: string) {
    const res = await fetch(`${base}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ from, to: '22384', text: message, date: '2026-12-06 10:00:00', id: `ATXid_${randomUUID()}`, linkId: '', networkCode: '63902' }).toString(),
    });
    return { status: res.status, body: (await res.json()) as { ok?: boolean; outcome?: string } };
  }

  /** Texts `message` and returns the reply written to the outbox for the sender (kind `reply`). */
  async function reply(from: string, message: string): Promise<string> {
    const before = await db('sms_outbox').where({ msisdn: from, kind: 'reply' }).count<{ n: string }[]>({ n: '*' });
    const res = await text(from, message);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const rows = await db('sms_outbox').where({ msisdn: from, kind: 'reply' }).orderBy('id');
    expect(rows, 'one new reply').to.have.length(Number(before[0].n) + 1);
    return rows[rows.length - 1].message;
  }

  async function swahili(kes = 0): Promise<Customer> {
    const c = await makeCustomer(kes);
    await setLanguage(c.msisdn, 'sw', db);
    return c;
  }

  it('HELP and MSAADA list the commands in the sender\'s language', async () => {
    expect(await reply((await makeCustomer()).msisdn, 'help')).to.match(/^Simu SMS: BAL balance, STMT statement, LOAN loan limit, FEES <paybill> <adm no>, SEND <phone> <amount>.*STOP, START$/);
    expect(await reply((await swahili()).msisdn, '  MSAADA ')).to.match(/^Simu SMS: SALIO salio, TAARIFA taarifa, MKOPO .*TUMA <simu> <kiasi>.*SIMAMA, ANZA$/);
  });

  it('BAL and SALIO answer the wallet balance without a PIN', async () => {
    expect(await reply((await makeCustomer(1500)).msisdn, 'BAL')).to.match(/^Your Simu balance is KES 1,500 on \d\d\/\d\d\/\d\d at \d{1,2}:\d\d [AP]M\.$/);
    expect(await reply((await swahili(2750)).msisdn, 'salio')).to.match(/^Salio lako la Simu ni KES 2,750 tarehe \d\d\/\d\d\/\d\d saa \d{1,2}:\d\d [AP]M\.$/);
  });

  it('STMT and TAARIFA list the last transactions, newest first', async () => {
    const c = await makeCustomer(1500);
    const [{ code }] = await db('postings as p').join('journal_entries as e', 'e.id', 'p.journal_entry_id').where('p.account_id', c.walletAccountId).select('e.code');
    expect(await reply(c.msisdn, 'STMT')).to.match(new RegExp(`^Last 1: ${code} \\d\\d/\\d\\d KES 1,500 Deposit$`));
    const s = await swahili(300);
    expect(await reply(s.msisdn, 'Taarifa')).to.match(/^Miamala 1 ya mwisho: \S+ \d\d\/\d\d KES 300 Deposit$/);
    expect(await reply((await makeCustomer()).msisdn, 'STMT')).to.equal('You have no Simu transactions yet.');
  });

  it('FEES and KARO answer a student\'s balance to a guardian only', async () => {
    const guardian = await makeCustomer();
    const sw = await swahili();
    const school = await makeSchool();
    const student = await makeStudent(school, { guardians: [guardian.msisdn, sw.msisdn], name: 'Wanjiku Kamau' });
    const term = await makeTerm(school, { 'Form 1': 15_000 }, 'Term 1 2027');
    await invoiceTerm(db, term.id);
    expect(await reply(guardian.msisdn, `FEES ${school.paybill} ${student.admissionNo.toLowerCase()}`))
      .to.equal(`Wanjiku Kamau (${student.admissionNo}), ${school.name}: fee balance KES 15,000. Term 1 2027 due 31/01/2027.`);
    expect(await reply(sw.msisdn, `KARO ${school.paybill} ${student.admissionNo}`))
      .to.equal(`Wanjiku Kamau (${student.admissionNo}), ${school.name}: salio la karo KES 15,000. Term 1 2027 mwisho 31/01/2027.`);
    const stranger = await makeCustomer();
    expect(await reply(stranger.msisdn, `FEES ${school.paybill} ${student.admissionNo}`)).to.match(/^No student found/);
    expect(await reply(sw.msisdn, `KARO ${school.paybill} NOSUCH1`)).to.match(/^Hakuna mwanafunzi aliyepatikana/);
  });

  it('LOAN and MKOPO answer the Simu Advance limit and open loans', async () => {
    const c = await makeCustomer();
    await pastFlow(c.walletAccountId, 30, 15_000);
    // 20 % of the average month (15,000 / 3) = KES 1,000.
    expect(await reply(c.msisdn, 'LOAN')).to.equal('Your Simu Advance limit is KES 1,000. No open loans.');
    const s = await swahili();
    expect(await reply(s.msisdn, 'mkopo')).to.equal('Kiwango chako cha Simu Advance ni KES 0 (tumia Simu zaidi upate kiwango). Huna mkopo unaoendelea.');
    const d = await disburseLoan(db, { customerId: c.id, productCode: 'advance', principal: 500_00n, idempotencyKey: loanKey('sms') });
    const owed = (await loanStatement(db, d.loan.id)).outstanding.total;
    expect(await reply(c.msisdn, 'LOAN')).to.match(new RegExp(`^Your Simu Advance limit is KES [0-9,]+\\. Loan: ${formatKes(owed)} owed, next ${formatKes(owed)} due \\d\\d/\\d\\d/\\d{4}\\.$`));
  });

  it('LANG SW and LUGHA EN change the language, and the reply speaks the new one', async () => {
    const c = await makeCustomer();
    expect(await reply(c.msisdn, 'LANG SW')).to.equal('Simu sasa itakuandikia kwa Kiswahili.');
    expect((await db('customers').where({ msisdn: c.msisdn }).first()).language.trim()).to.equal('sw');
    expect(await reply(c.msisdn, 'BAL')).to.match(/^Salio lako/);
    expect(await reply(c.msisdn, 'lugha en')).to.equal('Simu will now speak English to you.');
    expect((await db('customers').where({ msisdn: c.msisdn }).first()).language.trim()).to.equal('en');
  });

  it('STOP keeps scheduled reminders from being written, not receipts; START undoes it', async () => {
    const c = await makeCustomer();
    expect(await reply(c.msisdn, 'STOP')).to.equal('You will no longer get Simu reminders. Receipts for your transactions will still come. Send START to get reminders again.');
    expect(await db('sms_opt_outs').where({ msisdn: c.msisdn }).first()).to.include({ source: 'sms' });
    expect(await enqueueSms(db, [{ msisdn: c.msisdn, kind: 'reminder', message: 'Fees due' }])).to.deep.equal([]);
    expect(await enqueueSms(db, [{ msisdn: c.msisdn, kind: 'receipt', message: 'ABC Confirmed' }])).to.have.length(1);
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'reminder' })).to.have.length(0);
    expect(await reply(c.msisdn, 'start')).to.equal('You will get Simu reminders again. Send STOP to stop them.');
    expect(await db('sms_opt_outs').where({ msisdn: c.msisdn }).first()).to.equal(undefined);
    expect(await enqueueSms(db, [{ msisdn: c.msisdn, kind: 'reminder', message: 'Fees due' }])).to.have.length(1);
  });

  it('SIMAMA and ANZA do the same in Kiswahili', async () => {
    const s = await swahili();
    expect(await reply(s.msisdn, 'SIMAMA')).to.equal('Hutapokea tena vikumbusho vya Simu. Risiti za miamala yako zitaendelea kuja. Tuma ANZA kupata vikumbusho tena.');
    expect(await db('sms_opt_outs').where({ msisdn: s.msisdn }).first()).to.not.equal(undefined);
    expect(await reply(s.msisdn, 'anza')).to.equal('Utapokea vikumbusho vya Simu tena. Tuma SIMAMA kuvisimamisha.');
    expect(await db('sms_opt_outs').where({ msisdn: s.msisdn }).first()).to.equal(undefined);
  });

  it('an unregistered number is told how to register, except for HELP, STOP and START', async () => {
    const stranger = randomMsisdn();
    expect(await reply(stranger, 'BAL')).to.equal('You are not registered with Simu. Dial *384# to register, then send HELP for SMS commands.');
    expect(await reply(stranger, 'SEND 0712345678 500')).to.match(/^You are not registered with Simu/);
    expect(await reply(stranger, 'HELP')).to.match(/^Simu SMS: BAL balance/);
    expect(await reply(stranger, 'STOP')).to.match(/^You will no longer get Simu reminders/);
    expect(await db('sms_opt_outs').where({ msisdn: stranger }).first()).to.not.equal(undefined);
    expect(await db('sms_inbound').where({ msisdn: stranger }).orderBy('id').pluck('outcome')).to.deep.equal(['unregistered', 'unregistered', 'replied', 'replied']);
  });

  it('a misspelt or malformed command gets the usage of the nearest command', async () => {
    const c = await makeCustomer();
    expect(await reply(c.msisdn, 'SNED 0712 50')).to.equal('To send money, send SEND <phone> <amount>, e.g. SEND 0712345678 500');
    expect(await reply((await swahili()).msisdn, 'lipa 888880 100')).to.equal('Kulipa bili, tuma LIPA <paybill> <akaunti> <kiasi>, mfano LIPA 888880 ACC123 1,000');
    expect(await reply(c.msisdn, 'what is this')).to.match(/^Simu SMS: BAL balance/);
    const rows = await db('sms_inbound').where({ msisdn: c.msisdn }).orderBy('id').select('command', 'outcome');
    expect(rows).to.deep.equal([{ command: 'send', outcome: 'usage' }, { command: null, outcome: 'usage' }]);
  });

  it('a suspended customer is told the account is not active', async () => {
    const c = await makeCustomer(100);
    await db('customers').where({ msisdn: c.msisdn }).update({ status: 'suspended' });
    expect(await reply(c.msisdn, 'BAL')).to.equal('Your Simu account is not active. Call Simu care on 100.');
  });
});
