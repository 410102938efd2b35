/**
 * Fault: a replay storm. 100 distinct payments into 25 wallets — 50 M-Pesa C2B
 * confirmations (Safaricom's body, Simu's paybill, BillRefNumber the payer's phone) and 50
 * bank webhooks (25 Equity, 25 KCB, signed, the account the payer's phone) — are each
 * delivered 10 times: 1,000 HTTP posts spread over two web processes, some sequential
 * redeliveries, some bursts of the same payment in parallel (up to all 10 at once, the
 * first delivery included), interleaved with other payments. Counted: every answer is the
 * one Simu documents for a replay (200, Daraja's `Success` / the bank's same `accepted`
 * ack); exactly 100 entries (`mpesa_c2b`, `bank_deposit`), one per ledger key, one receipt
 * row per payment (`mpesa_receipts`, `bank_payments`), each wallet equal to the sum of its
 * payments, one receipt SMS per payment (not ten) and each at AT once after the outbox
 * drains, both web processes alive, `npm run ledger:check` clean.
 */
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { displayBalance, getAccount } from '../../src/ledger/index.js';
import { outboxDrained, outboxLeft } from './harness/verify.js';
import { startWorld, type Party, type World } from './harness/world.js';

/** One payment and how to post one copy of it. */
interface Payment {
  n: number;
  rail: 'c2b' | 'equity' | 'kcb';
  /** Its ledger key (DESIGN.md, Money). */
  key: string;
  /** TransID or the bank's transaction id. */
  id: string;
  payer: Party;
  cents: bigint;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One delivery's answer (status 0: a transport error) and how long it took. */
interface Answer { n: number; status: number; body: string; port: number; ms: number }

/** How a payment's 10 copies go out: waves one after the other, the copies of a wave in parallel (alternating web processes). */
const PATTERNS = [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 5], [5, 5], [10], [2, 3, 5]];
const COPIES = 10;

// The bodies test/helpers/mpesa.ts and banks.ts post (Safaricom's C2B sample; the banks'
// reference payloads), written out here: those helpers import the app, whose Redis client
// would keep mocha from exiting. Secrets and token: test/helpers/env.ts, inherited by Simu.
const env = (name: string) => process.env[name] ?? '';
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const c2bBody = (transId: string, kes: number, billRef: string) => JSON.stringify({
  TransactionType: 'Pay Bill', TransID: transId, TransTime: '20191122063845', TransAmount: String(kes), BusinessShortCode: env('MPESA_SHORTCODE'),
  BillRefNumber: billRef, InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: '25470****149', FirstName: 'John', MiddleName: '', LastName: 'Doe',
});
const BANK = {
  equity: { header: 'X-Equity-Signature', secret: 'BANK_EQUITY_SECRET', prefix: 'EQ',
    body: (id: string, account: string, amount: string) => `{"transactionId": "${id}", "studentId": "${account}", "amount": ${amount}, "timestamp": "2024-01-15T10:30:00Z", "merchantCode": "12345"}` },
  kcb: { header: 'X-KCB-Signature', secret: 'BANK_KCB_SECRET', prefix: 'KCB',
    body: (id: string, account: string, amount: string) => `{"transactionRef": "${id}", "accountNumber": "${account}", "amount": ${amount}, "transactionDate": "2024-01-15T10:30:00Z"}` },
} as const;

function payments(payers: Party[], tag: string): Payment[] {
  return Array.from({ length: 100 }, (_, n): Payment => {
    const payer = payers[n % payers.length];
    if (n < 50) {
      const id = `R${tag}C${String(n).padStart(3, '0')}`;
      const body = c2bBody(id, 100 + n, payer.national);
      return { n, rail: 'c2b', key: `mpesa:${id}`, id, payer, cents: BigInt(100 + n) * 100n, path: `/mpesa/${env('MPESA_CALLBACK_TOKEN')}/c2b/confirmation`, headers: {}, body };
    }
    const rail = n % 2 === 0 ? 'equity' : 'kcb';
    const id = `${BANK[rail].prefix}R${tag}${n}`;
    // Equity's account in the 07… form, KCB's in the 2547… form; shillings and cents, exact.
    const body = BANK[rail].body(id, rail === 'equity' ? payer.national : payer.msisdn.slice(1), `${200 + n}.${String(n).padStart(2, '0')}`);
    const cents = BigInt(200 + n) * 100n + BigInt(n);
    return { n, rail, key: `bank:${rail}:${id}`, id, payer, cents, path: `/webhooks/banks/${rail}`, headers: { [BANK[rail].header]: sign(env(BANK[rail].secret), body) }, body };
  });
}

/** Posts one copy of `p` to the web process on `port` (its own connection, 30 s budget). */
function deliver(port: number, p: Payment): Promise<Answer> {
  const t0 = performance.now();
  const done = (status: number, body: string): Answer => ({ n: p.n, status, body, port, ms: performance.now() - t0 });
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p.path, method: 'POST', agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(p.body), ...p.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', (err) => resolve(done(0, String(err))));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) => resolve(done(0, String(err))));
    req.end(p.body);
  });
}

/** Delivers every payment COPIES times by its pattern, `lanes` payments at a time in shuffled order. */
async function storm(all: Payment[], ports: number[], lanes: number): Promise<{ answers: Answer[]; bursts: number; largest: number }> {
  const queue = [...all].sort(() => Math.random() - 0.5);
  const answers: Answer[] = [];
  let bursts = 0;
  let largest = 0;
  const lane = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      let copy = 0;
      for (const wave of PATTERNS[(p.n >> 1) % PATTERNS.length]) { // n >> 1: Equity (even n) and KCB (odd) get every pattern
        if (wave > 1) bursts++;
        largest = Math.max(largest, wave);
        const sent = Array.from({ length: wave }, () => deliver(ports[(p!.n + copy++) % ports.length], p!));
        answers.push(...(await Promise.all(sent)));
        await sleep(Math.floor(Math.random() * 20));
      }
      expect(copy, `copies of payment ${p.n}`).to.equal(COPIES);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { answers, bursts, largest };
}

const count = (rows: Array<{ k: string; n: number }>) => Object.fromEntries(rows.map((r) => [r.k, r.n]));

describe('Faults: a replay storm of M-Pesa confirmations and bank webhooks', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('posts 100 payments exactly once from 1,000 redeliveries, some in parallel, over two web processes', async () => {
    const payers = await world.makeCustomers(5, 25, 0);
    const [webA, webB] = [await world.startWeb(), await world.startWeb()];
    await world.startWorker();
    const all = payments(payers, Date.now().toString(36).toUpperCase().slice(-6));
    const keys = all.map((p) => p.key);
    const kinds = `('mpesa_c2b', 'bank_deposit', 'mpesa_suspense', 'bank_suspense')`;
    const kindsBefore = count((await world.db.raw(`SELECT kind AS k, count(*)::int AS n FROM journal_entries WHERE kind IN ${kinds} GROUP BY 1`)).rows);

    const started = Date.now();
    const { answers, bursts, largest } = await storm(all, [webA.port, webB.port], 20);
    const stormMs = Date.now() - started;

    // Answers: every copy of a payment is answered 200 with the same body (Daraja's Success, the bank's ack).
    const byStatus: Record<string, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    const perPort = Object.fromEntries([webA.port, webB.port].map((port) => [port, answers.filter((a) => a.port === port).length]));
    const bodiesPerPayment = all.map((p) => new Set(answers.filter((a) => a.n === p.n).map((a) => a.body)));
    const unequalAnswers = all.filter((p) => bodiesPerPayment[p.n].size !== 1).map((p) => `${p.id}: ${[...bodiesPerPayment[p.n]].join(' | ')}`);
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const pct = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
    const ackOf = (p: Payment) => JSON.parse([...bodiesPerPayment[p.n]][0] ?? 'null');

    // Ledger: one entry per key, of the right kind and amount; nothing else of these kinds appeared.
    const entries: Array<{ key: string; id: string; kind: string; amount: string; code: string }> = (await world.db.raw(
      `SELECT ik.key, je.id::text AS id, je.kind, je.amount::text AS amount, trim(je.code) AS code
         FROM idempotency_keys ik JOIN journal_entries je ON je.id = ik.journal_entry_id WHERE ik.key = ANY(?)`, [keys],
    )).rows;
    const keyRows = Number((await world.db('idempotency_keys').whereIn('key', keys).count<{ n: string }[]>('* as n'))[0].n);
    const kindsAfter = count((await world.db.raw(`SELECT kind AS k, count(*)::int AS n FROM journal_entries WHERE kind IN ${kinds} GROUP BY 1`)).rows);
    const newByKind = Object.fromEntries(Object.entries(kindsAfter).map(([k, n]) => [k, n - (kindsBefore[k] ?? 0)]).filter(([, n]) => n !== 0));
    const entryOf = new Map(entries.map((e) => [e.key, e]));
    const wrongEntries = all.filter((p) => {
      const e = entryOf.get(p.key);
      return !e || e.kind !== (p.rail === 'c2b' ? 'mpesa_c2b' : 'bank_deposit') || BigInt(e.amount) !== p.cents;
    }).map((p) => p.key);
    // The bank's ack names the entry that received the money.
    const wrongRefs = all.filter((p) => p.rail !== 'c2b' && ackOf(p)?.reference !== entryOf.get(p.key)?.code).map((p) => p.id);

    // Receipt tables: one row per payment, posted.
    const mpesaRows: Array<{ status: string }> = await world.db('mpesa_receipts').whereIn('trans_id', all.filter((p) => p.rail === 'c2b').map((p) => p.id)).select('status');
    const bankRows: Array<{ status: string }> = await world.db('bank_payments')
      .whereIn(['bank', 'transaction_id'], all.filter((p) => p.rail !== 'c2b').map((p) => [p.rail, p.id])).select('status');
    const receiptRowStatus: Record<string, number> = {};
    for (const r of [...mpesaRows, ...bankRows]) receiptRowStatus[r.status] = (receiptRowStatus[r.status] ?? 0) + 1;

    // Wallets: each payer holds exactly the sum of their payments.
    const wrongWallets: string[] = [];
    for (const payer of payers) {
      const expected = all.filter((p) => p.payer === payer).reduce((s, p) => s + p.cents, 0n);
      const held = displayBalance(await getAccount(world.db, payer.walletAccountId));
      if (held !== expected) wrongWallets.push(`${payer.msisdn}: ${held} ≠ ${expected}`);
    }

    // SMS: one receipt per entry (not one per delivery), each at AT once after the outbox drains.
    const drained = await outboxDrained(world.db, 120_000);
    const entryIds = entries.map((e) => e.id);
    const sms: Array<{ entry: string; msisdn: string; message: string; status: string }> = (await world.db.raw(
      `SELECT journal_entry_id::text AS entry, msisdn, message, status FROM sms_outbox WHERE journal_entry_id = ANY(?::bigint[])`, [entryIds],
    )).rows;
    const smsToPayers = Number((await world.db('sms_outbox').whereIn('msisdn', payers.map((p) => p.msisdn)).count<{ n: string }[]>('* as n'))[0].n);
    const smsPerEntry = new Map<string, number>();
    for (const s of sms) smsPerEntry.set(s.entry, (smsPerEntry.get(s.entry) ?? 0) + 1);
    const smsStatus: Record<string, number> = {};
    for (const s of sms) smsStatus[s.status] = (smsStatus[s.status] ?? 0) + 1;
    const atCounts = world.at.countsByKey();
    const atCopies = sms.map((s) => atCounts.get(`${s.msisdn}\n${s.message}`) ?? 0);
    const check = world.ledgerCheck();
    const webErrors = [...webA.errorLines(), ...webB.errorLines()];

    console.log([
      `    ⚑ replay storm: 100 payments (50 C2B confirmations, 25 Equity, 25 KCB webhooks) × ${COPIES} = ${answers.length} deliveries over 2 web processes ${JSON.stringify(perPort)}, ` +
        `${bursts} parallel bursts (largest ${largest}), 20 payments in flight, ${stormMs} ms`,
      `      answers: ${JSON.stringify(byStatus)} in p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms; payments whose copies got different answers ${unequalAnswers.length}; 5xx ${answers.filter((a) => a.status >= 500).length}`,
      `      ledger: ${entries.length} entries for ${keyRows} keys; new entries by kind ${JSON.stringify(newByKind)}; wrong or missing ${wrongEntries.length}; bank acks naming another entry ${wrongRefs.length}`,
      `      receipt rows: mpesa_receipts ${mpesaRows.length}, bank_payments ${bankRows.length} ${JSON.stringify(receiptRowStatus)}; wallets off ${wrongWallets.length} of ${payers.length}`,
      `      sms: ${sms.length} receipt rows for ${smsPerEntry.size} entries (${smsToPayers} to the payers in all) ${JSON.stringify(smsStatus)}; never at AT ${atCopies.filter((n) => n === 0).length}; ` +
        `extra copies at AT ${atCopies.reduce((s, n) => s + Math.max(0, n - 1), 0)}`,
      `      ${JSON.stringify({ drained, left: await outboxLeft(world.db), websAlive: [webA.alive(), webB.alive()], webErrorLines: webErrors.length, ledgerCheck: check.status })}`,
    ].join('\n'));

    expect(answers.length, 'deliveries').to.equal(1000);
    expect(byStatus, 'answers by status').to.deep.equal({ 200: 1000 });
    expect(unequalAnswers, 'copies of one payment answered differently').to.deep.equal([]);
    for (const p of all) {
      if (p.rail === 'c2b') expect(ackOf(p), p.id).to.deep.equal({ ResultCode: 0, ResultDesc: 'Success' });
      else expect(ackOf(p), p.id).to.include({ status: 'accepted', transactionId: p.id });
    }
    expect(keyRows, 'ledger keys').to.equal(100);
    expect(new Set(entryIds).size, 'distinct entries').to.equal(100);
    expect(newByKind, 'new entries by kind').to.deep.equal({ mpesa_c2b: 50, bank_deposit: 50 });
    expect(wrongEntries, 'keys without their entry, or of another kind or amount').to.deep.equal([]);
    expect(wrongRefs, 'bank acks naming another entry').to.deep.equal([]);
    expect(receiptRowStatus, 'mpesa_receipts and bank_payments rows').to.deep.equal({ posted: 100 });
    expect([mpesaRows.length, bankRows.length]).to.deep.equal([50, 50]);
    expect(wrongWallets, 'wallets that differ from the sum of their payments').to.deep.equal([]);
    expect(drained, 'outbox drained').to.equal(true);
    expect(sms.length, 'receipt SMS rows of the entries').to.equal(100);
    expect([...smsPerEntry.values()].every((n) => n === 1) && smsPerEntry.size === 100, 'one SMS per entry').to.equal(true);
    expect(smsToPayers, 'SMS rows to the payers in all').to.equal(100);
    expect(smsStatus, 'receipt SMS by status').to.deep.equal({ sent: 100 });
    expect(atCopies.filter((n) => n !== 1), 'receipts not at AT exactly once').to.deep.equal([]);
    expect([webA.alive(), webB.alive()], 'web processes alive').to.deep.equal([true, true]);
    expect(webErrors.slice(0, 5), 'web error lines').to.deep.equal([]);
    expect(check.status, check.output).to.equal(0);
  });
});
