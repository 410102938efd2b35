/**
 * Fuzzing POST /sms/inbound (fast-check): AT's incoming-message fields `from`, `to`,
 * `text`, `date`, `id`, `linkId` and `networkCode` with arbitrary strings (unicode, NUL,
 * very long, empty, missing), and command-like texts (SEND/TUMA/PAY/LIPA/BAL/... in any
 * case, near-miss keywords, random arguments: phones, amounts negative, huge, decimal,
 * PIN-like tokens) from registered customers, unknown numbers and AT retries of one id.
 *
 * Every answer is 200 `{ ok, outcome }` (never the `error` outcome, which is a fault of ours)
 * or 400/413 for a malformed body, never a 5xx; the app keeps serving. An SMS never moves
 * money (money commands are only staged for a USSD confirmation), so the ledger never
 * changes; a refused body also writes no inbound row and no reply.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { redis } from '../../src/redis/index.js';
import type { Customer } from '../../src/customers/index.js';
import { appUrl } from '../helpers/ussd.js';
import { makeCustomer, randomMsisdn, assertLedgerSound } from '../helpers/customers.js';
import { Tally, edited, assertAlive, fingerprint, hostileString, amountText, params } from './fuzz-helpers.js';

/** Outcomes that refuse the command (the sender gets a usage line or a refusal). */
const REFUSALS = new Set(['usage', 'unregistered', 'inactive', 'pin_refused', 'refused', 'rate_warned', 'dropped']);

const KEYWORDS = [
  'HELP', 'MSAADA', 'BAL', 'SALIO', 'BALANCE', 'STMT', 'TAARIFA', 'FEES', 'KARO', 'LOAN', 'MKOPO', 'LANG', 'LUGHA', 'STOP', 'SIMAMA',
  'START', 'ANZA', 'SEND', 'TUMA', 'PAY', 'LIPA', 'TILL', 'TILI', 'CONTRIB', 'CHANGA', 'REPAY', 'REJESHA',
  'SNED', 'TUAM', 'BLA', 'PYA', 'SEND.', 'SEND!', 'S3ND', '',
];

/** A keyword in a random case. */
const keyword = fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.boolean(), { maxLength: 8 }))
  .map(([w, lower]) => [...w].map((c, i) => (lower[i] ? c.toLowerCase() : c)).join(''));

/** One argument: a phone, an amount, a PIN-like token, a code, or junk. */
const arg: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0700000002', '+254700000002', '254700000003', '0799999999', '0712', '+1 555'),
  amountText,
  fc.constantFrom('1234', '0000', '4321', '12345', '888880', '123456', 'ACC1', 'ADM001', 'UMOJA', 'EN', 'SW', 'sw', 'ENGLISH', 'fr'),
  hostileString,
);

/** A command-like text: keyword, arguments, whitespace of any kind between them. */
const commandText = fc.tuple(keyword, fc.array(arg, { maxLength: 5 }), fc.constantFrom(' ', '  ', '\t', '\n', ' \u00a0 '))
  .map(([k, args, sep]) => [k, ...args].join(sep));

describe('fuzz: POST /sms/inbound', function () {
  this.timeout(120_000);
  let senders: Customer[];

  before(async () => {
    senders = [await makeCustomer(5_000), await makeCustomer(0)];
  });

  after(async () => {
    await assertAlive();
    await assertLedgerSound();
  });

  /** Forgets the hourly command count of `msisdn`, so that the fuzzing reaches the commands. */
  async function resetRate(msisdn: string): Promise<void> {
    await redis.del(`simu:sms-inbound:${msisdn}`);
  }

  /** Posts one inbound SMS and checks the property; answers the status and outcome. */
  async function inbound(fields: Record<string, string | undefined>): Promise<{ status: number; outcome?: string }> {
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) form[k] = v;
    const before = await fingerprint(['sms_inbound', 'sms_outbox']);
    const res = await fetch(`${await appUrl()}/sms/inbound`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    const after = await fingerprint(['sms_inbound', 'sms_outbox']);
    const what = `${res.status} ${text.slice(0, 200)} for ${JSON.stringify(form).slice(0, 300)}`;
    expect(res.status, what).to.be.below(500);
    expect({ je: after.journal_entries, p: after.postings }, `an SMS moved money: ${what}`).to.deep.equal({ je: before.journal_entries, p: before.postings });
    if (res.status >= 400) {
      expect(res.status, what).to.be.oneOf([400, 413]);
      expect(after, `a refused SMS wrote something: ${what}`).to.deep.equal(before);
      return { status: res.status };
    }
    expect(res.status, what).to.equal(200);
    const body = JSON.parse(text) as { ok: boolean; outcome: string };
    expect(body.ok, what).to.equal(true);
    expect(body.outcome, `a command failed inside: ${what}`).not.to.equal('error');
    return { status: res.status, outcome: body.outcome };
  }

  it('arbitrary AT fields (missing, empty, hostile, long) answer 200 or 400, never 5xx, and move no money', async () => {
    const tally = new Tally();
    const fields = edited(fc.record({
      from: fc.constantFrom('sender', 'national', 'no-plus', 'random', '+1 202 555 0100', '123'),
      to: fc.constantFrom('22384', 'SIMU', ''),
      text: commandText,
      date: fc.constantFrom('2026-12-06 10:00:00', '2026-13-45 99:99:99', 'yesterday', ''),
      id: fc.constant('').map(() => `ATXid_${randomUUID()}`),
      linkId: fc.constantFrom('', 'SampleLinkId123'),
      networkCode: fc.constantFrom('63902', '99999', ''),
    }), hostileString) as fc.Arbitrary<Record<string, string | undefined>>;
    await fc.assert(fc.asyncProperty(fields, async (f) => {
      const own = senders[0].msisdn;
      const from = ({ sender: own, national: `0${own.slice(4)}`, 'no-plus': own.slice(1), random: randomMsisdn() } as Record<string, string>)[String(f.from)] ?? f.from;
      if (from) await resetRate(from);
      const r = await inbound({ ...f, from });
      tally.add(r.status, r.status >= 400 || REFUSALS.has(r.outcome ?? ''));
    }), params());
    tally.report('messages (refused: 4xx or a refusing outcome)');
    expect(tally.byStatus.get(400) ?? 0, `answers: ${tally}`).to.be.greaterThan(0);
    expect(tally.byStatus.get(200) ?? 0, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('command-like texts from customers and strangers (with AT retries) never fail inside and move no money', async () => {
    const tally = new Tally();
    const outcomes = new Map<string, number>();
    const sms = fc.record({
      who: fc.constantFrom('funded', 'empty', 'stranger'),
      text: fc.oneof({ weight: 4, arbitrary: commandText }, { weight: 1, arbitrary: hostileString }),
      date: fc.oneof(fc.constant('2026-12-06 10:00:00'), hostileString.map((s) => s.slice(0, 40))),
      id: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 100 })).map((s) => s || `ATXid_${randomUUID()}`),
      retry: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(sms, async ({ who, text, date, id, retry }) => {
      const from = who === 'funded' ? senders[0].msisdn : who === 'empty' ? senders[1].msisdn : randomMsisdn();
      await resetRate(from);
      const fields = { from, to: '22384', text, date, id, linkId: '', networkCode: '63902' };
      const r = await inbound(fields);
      tally.add(r.status, r.status >= 400 || REFUSALS.has(r.outcome ?? ''));
      outcomes.set(r.outcome ?? String(r.status), (outcomes.get(r.outcome ?? String(r.status)) ?? 0) + 1);
      if (retry && r.status === 200) {
        // AT's retry of the same message id is recognised and does nothing more.
        expect((await inbound(fields)).outcome).to.equal('duplicate');
      }
    }), params());
    const seen = JSON.stringify(Object.fromEntries(outcomes));
    tally.report('messages');
    process.stdout.write(`      outcomes: ${seen}\n`);
    expect(tally.rejected, `outcomes: ${seen}`).to.be.greaterThan(0);
    expect(outcomes.get('usage') ?? 0, `outcomes: ${seen}`).to.be.greaterThan(0);
  });
});
