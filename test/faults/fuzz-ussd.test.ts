/**
 * Fuzzing POST /ussd (fast-check): Africa's Talking's form fields `sessionId`,
 * `serviceCode`, `phoneNumber`, `networkCode` and `text` with arbitrary strings (`*`, `#`,
 * unicode, NUL, very long, empty, missing), raw form bodies, and real menu paths of a
 * funded customer cut short and followed by junk, typed hop by hop as AT relays them.
 *
 * Every answer is 200 with a `CON `/`END ` screen (never the "unavailable" screen, which
 * means a hop threw) or a 4xx for a malformed request, never a 5xx; the app keeps serving;
 * and the ledger moves only on a screen that says money moved: a 4xx, a `CON` screen or an
 * `END` refusal leaves every journal entry and posting as it was.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import type { Customer } from '../../src/customers/index.js';
import { appUrl, postUssd } from '../helpers/ussd.js';
import { makeCustomer, randomMsisdn, assertLedgerSound } from '../helpers/customers.js';
import { makeAgent } from '../helpers/admin-agents.js';
import Transport from 'winston-transport';
import { logger } from '../../src/logger/index.js';
import { RUNS, Tally, edited, assertAlive, fingerprint, hostileString, amountText, params } from './fuzz-helpers.js';

/** What the USSD router answers when a hop throws (an outage or a bug). */
const UNAVAILABLE = /^END Sorry, Simu is unavailable/;

/** Final screens after which the ledger may have moved (the hop's `screen` in its log line). */
const MONEY_SCREENS = new Set([
  'sent', 'withdrawn', 'mpesaWithdrawalRequested', 'airtimeRequested', 'lipaPaid', 'feesPaid', 'loanDisbursed', 'loanRepaid',
  'chamaContributed', 'chamaPayoutApproved', 'chamaRequestDecided', 'chamaLoanRequested', 'chamaGuaranteeDecided', 'deposited',
  'commissionMoved', 'floatSent', 'smsConfirmDone',
]);

/** Real paths through the customer menu (PIN 1234; PAYEE and AGENT are made here): Send Money, Withdraw at an agent, to M-PESA, Airtime, Lipa, Fees, Loans, Account. */
const PATHS: string[][] = [
  ['1', 'PAYEE', '10', '1', '1234'],
  ['2', '1', 'AGENT', '1', '50', '1', '1234'],
  ['2', '2', '50', '1', '1234'],
  ['3', '1', '10', '1', '1234'],
  ['3', '2', 'PAYEE', '10', '1', '1234'],
  ['4', '1', '888880', 'ACC1', '10', '1', '1234'],
  ['4', '2', '123456', '10', '1', '1234'],
  ['5', '1', 'ADM001', '10', '1', '1234'],
  ['6', '1', '1', '10', '1', '1234'],
  ['7', '1', '1', '10', '1', '1234'],
  ['7', '2', '10', '1', '1234'],
  ['8', '1', '1234'],
  ['8', '3', '2'],
  ['8', '7', '10', '1'],
];

/** One typed input: a near-valid menu answer, a PIN (right or wrong), an amount, a phone, or junk. */
const input: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('0', '00', '1', '2', '3', '9', '98', '99', '', ' ') },
  { weight: 2, arbitrary: fc.constantFrom('1234', '0000', '9999', '12345', '123') },
  { weight: 2, arbitrary: amountText },
  { weight: 1, arbitrary: fc.constantFrom('PAYEE', 'PAYEE+254', 'PAYEE254', '0799999999', '07', '+1 555 0100') },
  { weight: 2, arbitrary: hostileString },
);

describe('fuzz: POST /ussd', function () {
  this.timeout(120_000);
  let payer: Customer;
  let payee: Customer;
  let agentNumber: string;
  /** The payee's number in place of its placeholders (national, +254 and 254 forms). */
  const real = (v: string) => v.replaceAll('PAYEE+254', payee.msisdn).replaceAll('PAYEE254', payee.msisdn.slice(1)).replaceAll('PAYEE', `0${payee.msisdn.slice(4)}`).replaceAll('AGENT', agentNumber);
  /** The screen each session's last hop logged (the `ussd hop` line), kept by a transport of our own. */
  const screens = new Map<string, string>();
  const hops = new (class extends Transport {
    override log(info: Record<string, unknown>, next: () => void) {
      if (info.message === 'ussd hop') screens.set(String(info.sessionId), String(info.screen));
      next();
    }
  })({ level: 'info' });
  let wasSilent = false;

  before(async () => {
    payer = await makeCustomer(100_000);
    payee = await makeCustomer(0);
    agentNumber = (await makeAgent({ floatKes: 1_000 })).agentNumber;
    wasSilent = logger.silent ?? false;
    for (const t of logger.transports) t.silent = true;
    logger.add(hops);
    logger.silent = false;
  });

  beforeEach(async () => {
    await db('customers').where({ id: payer.id }).update({ pin_failed_attempts: 0, pin_locked_until: null, status: 'active', language: 'en' });
  });

  after(async () => {
    logger.remove(hops);
    for (const t of logger.transports) t.silent = false;
    logger.silent = wasSilent;
    await assertAlive();
    await assertLedgerSound();
  });

  /** Posts one hop (or a raw form body) and checks the property; says whether it was refused (a 4xx or an END that moved no money) and whether the ledger moved. */
  async function hop(fields: Record<string, string | undefined>, raw?: string): Promise<{ status: number; body: string; refused: boolean; moved: boolean }> {
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) form[k] = real(v);
    screens.delete(String(form.sessionId));
    const before = await fingerprint();
    const res = raw === undefined
      ? await postUssd(form)
      : await fetch(`${await appUrl()}/ussd`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: raw })
        .then(async (r) => ({ status: r.status, body: await r.text() }));
    const after = await fingerprint();
    const what = `${res.status} ${res.body.slice(0, 120)}`;
    expect(res.status, what).to.be.below(500);
    if (res.status >= 400) {
      expect(res.status, what).to.be.oneOf([400, 413]);
      expect(after, `a ${res.status} moved money: ${what}`).to.deep.equal(before);
      return { ...res, refused: true, moved: false };
    }
    expect(res.status, what).to.equal(200);
    expect(res.body, what).to.match(/^(CON|END) /);
    expect(res.body, 'a hop threw').not.to.match(UNAVAILABLE);
    const screen = screens.get(String(form.sessionId));
    const money = res.body.startsWith('END ') && screen !== undefined && MONEY_SCREENS.has(screen);
    if (!money) expect(after, `the ledger moved on screen ${screen}: ${what}`).to.deep.equal(before);
    return { ...res, refused: !money && res.body.startsWith('END '), moved: JSON.stringify(after) !== JSON.stringify(before) };
  }

  it('arbitrary AT form fields (missing, empty, hostile, long) answer 200 CON/END or 400/413, never 5xx', async () => {
    const tally = new Tally();
    const validText = fc.constantFrom(...PATHS).chain((p) => fc.nat({ max: p.length }).map((n) => p.slice(0, n).join('*')));
    const fields = edited(fc.record({
      sessionId: fc.constant('').map(() => `ATUid_${randomUUID().replace(/-/g, '')}`),
      serviceCode: fc.constantFrom('*384#', '*384#', '*384*1#', '*384*1*PAYEE#', '*384*8*1#', '*999#', '*384', '384#', '*384**#'),
      phoneNumber: fc.constantFrom('payer', 'national', 'no-plus', 'random', '+1 202 555 0100', '0700'),
      networkCode: fc.constantFrom('63902', '63903', '', '99999'),
      text: fc.oneof(validText, fc.array(input, { maxLength: 6 }).map((xs) => xs.join('*'))),
    }), hostileString) as fc.Arbitrary<Record<string, string | undefined>>;
    await fc.assert(fc.asyncProperty(fields, async (f) => {
      const own = payer.msisdn;
      const phoneNumber = ({ payer: own, national: `0${own.slice(4)}`, 'no-plus': own.slice(1), random: randomMsisdn() } as Record<string, string>)[String(f.phoneNumber)] ?? f.phoneNumber;
      const r = await hop({ ...f, phoneNumber });
      tally.add(r.status, r.refused);
    }), params());
    tally.report('hops');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
    expect(tally.byStatus.get(400) ?? 0, `answers: ${tally}`).to.be.greaterThan(0);
    expect(tally.byStatus.get(200) ?? 0, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('raw form bodies (repeated fields, bad percent-encoding, junk) never answer 5xx', async () => {
    const tally = new Tally();
    const good = () => `sessionId=ATUid_${randomUUID().replace(/-/g, '')}&serviceCode=*384%23&phoneNumber=${encodeURIComponent(payer.msisdn)}`;
    const raw = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('text=%ZZ', 'text=%', 'text=%E2%82', 'text=1&text=2', 'text[]=1', 'text[a]=1', 'phoneNumber=x&phoneNumber=y', '=', '&&&', 'text=%00'),
      hostileString.map((t) => `text=${t}`),
    );
    await fc.assert(fc.asyncProperty(raw, async (tail) => {
      const r = await hop({ sessionId: 'raw' }, `${good()}&${tail}`);
      tally.add(r.status, r.refused);
    }), params(Math.ceil(RUNS / 2)));
    tally.report('hops');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('real menu paths cut short and followed by junk, typed hop by hop, move money only on a money screen', async () => {
    const tally = new Tally();
    let moved = 0;
    const session = fc.record({
      path: fc.constantFrom(...PATHS),
      keep: fc.nat({ max: 7 }),
      junk: fc.array(input, { minLength: 1, maxLength: 4 }),
      retry: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(session, async ({ path, keep, junk, retry }) => {
      await db('customers').where({ id: payer.id }).update({ pin_failed_attempts: 0, pin_locked_until: null });
      const sessionId = `ATUid_${randomUUID().replace(/-/g, '')}`;
      const inputs = [...path.slice(0, keep), ...junk];
      let typed: string[] = [];
      for (const next of [undefined, ...inputs]) {
        if (next !== undefined) typed = [...typed, next];
        const fields = { sessionId, serviceCode: '*384#', phoneNumber: payer.msisdn, networkCode: '63902', text: typed.join('*') };
        const r = await hop(fields);
        tally.add(r.status, r.refused);
        if (r.moved) moved++;
        // A telco retry of the same text gets the same answer and moves nothing.
        if (retry && r.status === 200) {
          const again = await hop(fields);
          expect(again.body, 'a repeated hop').to.equal(r.body);
        }
        if (r.status !== 200 || r.body.startsWith('END ')) break;
      }
    }), params(Math.ceil((RUNS * 2) / 3)));
    tally.report('hops (refused: 4xx or an END that moved no money)');
    process.stdout.write(`      hops that moved money (on a money screen): ${moved}\n`);
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });
});
