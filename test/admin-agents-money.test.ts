/** The admin API's agent money routes: float between an agent and its super agent, commission rates, the withdrawal tariff. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { agentCommission } from '../src/agents/index.js';
import { chargeFor } from '../src/payments/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { assertLedgerSound } from './helpers/customers.js';
import { auditOf, floats, makeAgent, pair } from './helpers/admin-agents.js';

describe('admin API: moving float', () => {
  it('POST /admin/agents/{agentNumber}/float from_super moves float once per Idempotency-Key, with SMS to both and an audit row', async () => {
    const key = await adminKey('read', 'finance');
    const { sup, agent } = await pair(10_000, 0);
    const headers = { 'idempotency-key': `float-${randomUUID()}` };
    const body = { direction: 'from_super', amount: 250_000, memo: 'float top-up' };
    const res = await admin('POST', `/agents/${agent.agentNumber}/float`, { key, body, headers });
    const replay = await admin('POST', `/agents/${agent.agentNumber}/float`, { key, body, headers });
    const reused = await admin('POST', `/agents/${agent.agentNumber}/float`, { key, body: { ...body, amount: 1 }, headers });

    expect(res.status).to.equal(201);
    expect(res.body).to.include({ direction: 'from_super', amount: 250_000, currency: 'KES', memo: 'float top-up', kind: 'float_sale' });
    expect(res.body.agent).to.deep.equal({ agentNumber: agent.agentNumber, float: 250_000 });
    expect(res.body.superAgent).to.deep.equal({ agentNumber: sup.agentNumber, float: 750_000 });
    expect(replay.status).to.equal(201);
    expect(replay.body).to.deep.equal(res.body);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(reused.status).to.equal(409);
    expect(await floats(sup, agent)).to.deep.equal([750_000n, 250_000n]);
    const sms = await db('sms_outbox').where({ journal_entry_id: String(res.body.entryId) });
    expect(sms.map((s) => s.msisdn).sort()).to.deep.equal([sup.msisdn, agent.msisdn].sort());
    const audit = await auditOf(key, agent.agentNumber);
    expect(audit).to.have.length(1);
    expect(audit[0].before.floats).to.deep.equal({ agent: { agentNumber: agent.agentNumber, float: 0 }, superAgent: { agentNumber: sup.agentNumber, float: 1_000_000 } });
    expect(audit[0].after).to.include({ code: res.body.code, amount: 250_000 });
    await assertLedgerSound();
  });

  it('POST /admin/agents/{agentNumber}/float to_super sends float back; more than the agent holds answers 409 with its float and moves nothing', async () => {
    const key = await adminKey('finance');
    const { sup, agent } = await pair(0, 500);
    const short = await admin('POST', `/agents/${agent.agentNumber}/float`, { key, body: { direction: 'to_super', amount: 50_001, memo: 'return' }, headers: { 'idempotency-key': randomUUID() } });
    const ok = await admin('POST', `/agents/${agent.agentNumber}/float`, { key, body: { direction: 'to_super', amount: 20_000, memo: 'return' }, headers: { 'idempotency-key': randomUUID() } });
    expect(short.status).to.equal(409);
    expect(short.body).to.include({ error: 'insufficient_float', float: 50_000, agentNumber: agent.agentNumber, currency: 'KES' });
    expect(ok.status).to.equal(201);
    expect(ok.body.agent.float).to.equal(30_000);
    expect(await floats(sup, agent)).to.deep.equal([20_000n, 30_000n]);
    expect(await auditOf(await adminKey('read'), agent.agentNumber)).to.have.length(1);
  });

  it('POST /admin/agents/{agentNumber}/float answers 400 without a super agent, a key header or a whole positive amount, 409 while suspended, 403 without finance', async () => {
    const key = await adminKey('finance', 'operate');
    const { sup, agent } = await pair(1_000, 1_000);
    const lone = await makeAgent({ floatKes: 100 });
    const post = (number: string, body: Record<string, unknown>, headers: Record<string, string> = { 'idempotency-key': randomUUID() }, k = key) =>
      admin('POST', `/agents/${number}/float`, { key: k, body: { direction: 'from_super', amount: 100, memo: 'test', ...body }, headers });
    const cases = await Promise.all([
      post(lone.agentNumber, {}),
      post(sup.agentNumber, { direction: 'to_super' }),
      post(agent.agentNumber, {}, {}),
      post(agent.agentNumber, { amount: '100' }),
      post(agent.agentNumber, { amount: 0 }),
      post(agent.agentNumber, { amount: 10.5 }),
      post(agent.agentNumber, { direction: 'sideways' }),
    ]);
    expect(cases.map((c) => c.status)).to.deep.equal([400, 400, 400, 400, 400, 400, 400]);
    expect(cases.map((c) => c.body.field)).to.deep.equal(['agentNumber', 'agentNumber', undefined, 'amount', 'amount', 'amount', 'direction']);
    await admin('PATCH', `/agents/${sup.agentNumber}`, { key, body: { status: 'suspended', reason: 'review' } });
    const suspended = await post(agent.agentNumber, {});
    const noScope = await post(agent.agentNumber, {}, { 'idempotency-key': randomUUID() }, await adminKey('read', 'operate'));
    const unknown = await post('000005', {});
    expect([suspended.status, noScope.status, unknown.status]).to.deep.equal([409, 403, 404]);
    expect(await floats(sup, agent, lone)).to.deep.equal([100_000n, 100_000n, 10_000n]);
  });
});

describe('admin API: commission rates and the withdrawal tariff', () => {
  it('GET /admin/commission-rates shows both kinds; PUT changes what the next deposit earns and is audited', async () => {
    const key = await adminKey('read', 'finance');
    const before = await admin('GET', '/commission-rates', { key });
    const deposit = before.body.rates.find((r: { kind: string }) => r.kind === 'deposit');
    try {
      expect(before.body.rates.map((r: { kind: string }) => r.kind)).to.deep.equal(['deposit', 'withdrawal']);
      const res = await admin('PUT', '/commission-rates/deposit', { key, body: { base: 'amount', rateBp: 100, minCommission: 500 } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ kind: 'deposit', base: 'amount', rateBp: 100, minCommission: 500, currency: 'KES' });
      expect(await agentCommission(db, 'deposit', 1_000_000n, 0n)).to.equal(10_000n);
      expect(await agentCommission(db, 'deposit', 10_000n, 0n)).to.equal(500n);
      const audit = (await admin('GET', '/audit?target=commission_rate:deposit&limit=1', { key })).body.data[0];
      expect(audit).to.include({ method: 'PUT', route: '/commission-rates/{kind}' });
      expect(audit.before).to.deep.equal({ base: deposit.base, rateBp: deposit.rateBp, minCommission: deposit.minCommission, currency: 'KES' });
      expect(audit.after).to.deep.equal({ base: 'amount', rateBp: 100, minCommission: 500, currency: 'KES' });
    } finally {
      await admin('PUT', '/commission-rates/deposit', { key, body: { base: deposit.base, rateBp: deposit.rateBp, minCommission: deposit.minCommission } });
    }
  });

  it('PUT /admin/commission-rates/{kind} refuses a rate above 10000 bp, a negative minimum, an unknown kind or base with 400, and a read key with 403', async () => {
    const key = await adminKey('read', 'finance');
    const good = { base: 'charge', rateBp: 5000, minCommission: 0 };
    const cases = await Promise.all([
      admin('PUT', '/commission-rates/withdrawal', { key, body: { ...good, rateBp: 10_001 } }),
      admin('PUT', '/commission-rates/withdrawal', { key, body: { ...good, minCommission: -1 } }),
      admin('PUT', '/commission-rates/airtime', { key, body: good }),
      admin('PUT', '/commission-rates/withdrawal', { key, body: { ...good, base: 'profit' } }),
    ]);
    const readOnly = await admin('PUT', '/commission-rates/withdrawal', { key: await adminKey('read'), body: good });
    expect(cases.map((c) => [c.status, c.body.field])).to.deep.equal([[400, 'rateBp'], [400, 'minCommission'], [400, 'kind'], [400, 'base']]);
    expect(readOnly.status).to.equal(403);
  });

  it('the withdrawal tariff is read and replaced through GET and PUT /admin/tariffs/withdrawal, and the next charge follows it', async () => {
    const key = await adminKey('read', 'finance');
    const seeded = await admin('GET', '/tariffs/withdrawal', { key });
    const bands = [{ minAmount: 5_000, maxAmount: 100_000, charge: 1_000 }, { minAmount: 100_001, maxAmount: 7_000_000, charge: 5_000 }];
    try {
      expect(seeded.status).to.equal(200);
      expect(seeded.body.type).to.equal('withdrawal');
      expect(seeded.body.bands.length).to.be.greaterThan(0);
      const res = await admin('PUT', '/tariffs/withdrawal', { key, body: { bands } });
      expect(res.status).to.equal(200);
      expect(res.body.bands).to.deep.equal(bands);
      expect(await chargeFor(db, 'withdrawal', 100_000n)).to.equal(1_000n);
      expect(await chargeFor(db, 'withdrawal', 100_001n)).to.equal(5_000n);
    } finally {
      await admin('PUT', '/tariffs/withdrawal', { key, body: { bands: seeded.body.bands } });
    }
    expect((await admin('GET', '/tariffs/withdrawal', { key })).body.bands).to.deep.equal(seeded.body.bands);
  });
});
