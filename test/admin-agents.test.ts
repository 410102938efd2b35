/** The admin API's agent routes: register (PIN by SMS), list, one agent, stores, status, PIN unlock. */
import { expect } from 'chai';
import { db } from '../src/db/index.js';
import { findAgent, verifyAgentPin } from '../src/agents/index.js';
import { PinLockedError } from '../src/customers/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { randomMsisdn } from './helpers/customers.js';
import { auditOf, makeAgent, pair, pinSms, registration, strings, PIN } from './helpers/admin-agents.js';

describe('admin API: registering agents', () => {
  it('POST /admin/agents registers a super agent and an agent under it; each gets its initial PIN by SMS only, which works, and an audit row', async () => {
    const key = await adminKey('read', 'operate');
    const supBody = registration({ kind: 'super_agent', name: 'Mwangi Super', stores: [{ storeNumber: '1', name: 'HQ' }, { storeNumber: '2', name: 'Annex' }] });
    const sup = await admin('POST', '/agents', { key, body: supBody });
    const national = `0${randomMsisdn().slice(4)}`;
    const body = registration({ msisdn: national, superAgentNumber: supBody.agentNumber });
    const res = await admin('POST', '/agents', { key, body });

    expect([sup.status, res.status]).to.deep.equal([201, 201]);
    expect(sup.body).to.include({ agentNumber: supBody.agentNumber, kind: 'super_agent', superAgentNumber: null });
    expect(sup.body.stores.map((s: { storeNumber: string }) => s.storeNumber)).to.deep.equal(['1', '2']);
    const msisdn = `+254${national.slice(1)}`;
    expect(res.body).to.include({ agentNumber: body.agentNumber, name: 'Wanjiru Shop', msisdn, kind: 'agent', superAgentNumber: supBody.agentNumber, language: 'en', status: 'active', pinSentBySms: true });
    expect(res.body.stores).to.deep.equal([{ storeNumber: '1', name: 'Gikomba', status: 'active' }]);
    expect(res.body.float).to.include({ balance: 0, currency: 'KES' });
    expect(res.body.commission).to.include({ balance: 0, currency: 'KES' });
    expect(res.body.pin).to.deep.equal({ failedAttempts: 0, lockedUntil: null, locked: false });

    const [sms] = await pinSms(msisdn);
    expect(sms.message).to.contain('6 Change PIN').and.to.contain(body.agentNumber);
    const pin = /PIN is ([0-9]{4})\./.exec(sms.message)![1];
    expect(sms.stored).to.contain('PIN is {secret}.').and.not.to.contain(pin); // stored only sealed
    expect((await verifyAgentPin(msisdn, pin, db)).agentNumber).to.equal(body.agentNumber);
    const audit = await auditOf(key, body.agentNumber);
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ method: 'POST', route: '/agents' });
    expect(audit[0].after).to.include({ agentNumber: body.agentNumber, msisdn, superAgentNumber: supBody.agentNumber, pinSentBySms: true });
    for (const value of [...strings(res.body), ...strings(audit[0])]) expect(value).not.to.equal(pin);
    const outbox = await admin('GET', `/sms?to=${encodeURIComponent(msisdn)}`, { key });
    expect(outbox.body.data[0].message).to.contain('PIN is ****.').and.not.to.contain(pin);
  });

  it('POST /admin/agents with language sw sends the PIN SMS in Kiswahili', async () => {
    const key = await adminKey('operate');
    const body = registration({ language: 'sw' });
    const res = await admin('POST', '/agents', { key, body });
    const [sms] = await pinSms(body.msisdn);
    expect(res.status).to.equal(201);
    expect(res.body.language).to.equal('sw');
    expect(sms.message).to.match(/PIN yako ya wakala ni [0-9]{4}\./).and.to.contain('6 Badilisha PIN');
  });

  it('POST /admin/agents refuses bad input with 400 naming the field (a chosen PIN included) and registers nothing', async () => {
    const key = await adminKey('read', 'operate');
    const sup = await makeAgent({ kind: 'super_agent' });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ agentNumber: '12345' }, 'agentNumber'],
      [{ msisdn: '0202222222' }, 'msisdn'],
      [{ kind: 'boss' }, 'kind'],
      [{ stores: [] }, 'stores'],
      [{ stores: [{ storeNumber: 'A1', name: 'x' }] }, 'stores.0.storeNumber'],
      [{ stores: [{ storeNumber: '1', name: 'a' }, { storeNumber: '1', name: 'b' }] }, 'stores'],
      [{ kind: 'super_agent', superAgentNumber: sup.agentNumber }, 'superAgentNumber'],
      [{ pin: '1234' }, 'pin'],
      [{ name: '  ' }, 'name'],
      [{ language: 'fr' }, 'language'],
    ];
    for (const [overrides, field] of bad) {
      const body = registration(overrides);
      const res = await admin('POST', '/agents', { key, body });
      expect(res.status, field).to.equal(400);
      expect(res.body.field, field).to.equal(field);
      expect(await findAgent(String(body.agentNumber), db), field).to.equal(null);
    }
  });

  it('POST /admin/agents answers 409 for a taken agent number or MSISDN (in any form), 404 for an unknown super agent, 409 for a suspended one', async () => {
    const key = await adminKey('operate');
    const taken = await makeAgent();
    const sup = await makeAgent({ kind: 'super_agent' });
    await admin('PATCH', `/agents/${sup.agentNumber}`, { key, body: { status: 'suspended', reason: 'audit' } });
    const byNumber = await admin('POST', '/agents', { key, body: registration({ agentNumber: taken.agentNumber }) });
    const byMsisdn = await admin('POST', '/agents', { key, body: registration({ msisdn: taken.msisdn.slice(1) }) });
    const unknownSuper = await admin('POST', '/agents', { key, body: registration({ superAgentNumber: '000001' }) });
    const notSuper = await admin('POST', '/agents', { key, body: registration({ superAgentNumber: taken.agentNumber }) });
    const suspendedSuper = await admin('POST', '/agents', { key, body: registration({ superAgentNumber: sup.agentNumber }) });
    expect([byNumber.status, byMsisdn.status]).to.deep.equal([409, 409]);
    expect(byNumber.body.error).to.equal('agent_exists');
    expect([unknownSuper.status, notSuper.status, suspendedSuper.status]).to.deep.equal([404, 404, 409]);
    expect(await pinSms(taken.msisdn)).to.have.length(0);
  });

  it('POST /admin/agents without a key answers 401, with a read-only key 403', async () => {
    expect((await admin('POST', '/agents', { body: registration() })).status).to.equal(401);
    expect((await admin('POST', '/agents', { key: await adminKey('read', 'finance'), body: registration() })).status).to.equal(403);
  });
});

describe('admin API: looking at agents', () => {
  it('GET /admin/agents filters by kind, status and super agent, and pages newest first', async () => {
    const key = await adminKey('read', 'operate');
    const { sup, agent: first } = await pair(0, 0);
    const second = await makeAgent({ superAgentNumber: sup.agentNumber });
    const third = await makeAgent({ superAgentNumber: sup.agentNumber });
    await admin('PATCH', `/agents/${second.agentNumber}`, { key, body: { status: 'suspended', reason: 'complaints' } });

    const under = await admin('GET', `/agents?superAgent=${sup.agentNumber}`, { key });
    const page1 = await admin('GET', `/agents?superAgent=${sup.agentNumber}&limit=2`, { key });
    const page2 = await admin('GET', `/agents?superAgent=${sup.agentNumber}&limit=2&cursor=${page1.body.nextCursor}`, { key });
    const suspended = await admin('GET', `/agents?superAgent=${sup.agentNumber}&status=suspended`, { key });
    const supers = await admin('GET', '/agents?kind=super_agent&limit=200', { key });
    const numbers = (r: { body: { data: Array<{ agentNumber: string }> } }) => r.body.data.map((a) => a.agentNumber);

    expect(numbers(under)).to.deep.equal([third.agentNumber, second.agentNumber, first.agentNumber]);
    expect(under.body.data[0]).to.include({ kind: 'agent', superAgentNumber: sup.agentNumber, status: 'active', msisdn: third.msisdn });
    expect([...numbers(page1), ...numbers(page2)]).to.deep.equal(numbers(under));
    expect(page2.body.nextCursor).to.equal(null);
    expect(numbers(suspended)).to.deep.equal([second.agentNumber]);
    expect(numbers(supers)).to.include(sup.agentNumber);
    expect(supers.body.data.every((a: { kind: string }) => a.kind === 'super_agent')).to.equal(true);
    expect((await admin('GET', '/agents?kind=boss', { key })).body.field).to.equal('kind');
  });

  it('GET /admin/agents/{agentNumber} shows stores, float and commission in cents, the super agent and the PIN lock; 404 unknown, 400 malformed', async () => {
    const key = await adminKey('read');
    const { sup, agent } = await pair(0, 1_234);
    const res = await admin('GET', `/agents/${agent.agentNumber}`, { key });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ agentNumber: agent.agentNumber, superAgentNumber: sup.agentNumber, statusReason: null });
    expect(res.body.float).to.deep.equal({ accountId: agent.floatAccountId, balance: 123_400, currency: 'KES' });
    expect(res.body.commission).to.deep.equal({ accountId: agent.commissionAccountId, balance: 0, currency: 'KES' });
    expect(res.body.stores).to.deep.equal([{ storeNumber: '1', name: 'Main', status: 'active' }]);
    expect(JSON.stringify(res.body)).not.to.contain('v1$');
    expect((await admin('GET', '/agents/000002', { key })).status).to.equal(404);
    expect((await admin('GET', '/agents/12ab56', { key })).body.field).to.equal('agentNumber');
  });
});

describe('admin API: changing agents', () => {
  it('POST /admin/agents/{agentNumber}/stores adds a store, audited; a taken store number answers 409, an unknown agent 404', async () => {
    const key = await adminKey('read', 'operate');
    const agent = await makeAgent();
    const res = await admin('POST', `/agents/${agent.agentNumber}/stores`, { key, body: { storeNumber: '12', name: 'Kariakor' } });
    const again = await admin('POST', `/agents/${agent.agentNumber}/stores`, { key, body: { storeNumber: '12', name: 'Other' } });
    const bad = await admin('POST', `/agents/${agent.agentNumber}/stores`, { key, body: { storeNumber: '1234567', name: 'x' } });
    const nobody = await admin('POST', '/agents/000003/stores', { key, body: { storeNumber: '2', name: 'x' } });
    expect(res.status).to.equal(201);
    expect(res.body.stores.map((s: { storeNumber: string }) => s.storeNumber)).to.deep.equal(['1', '12']);
    expect([again.status, bad.status, nobody.status]).to.deep.equal([409, 400, 404]);
    expect(bad.body.field).to.equal('storeNumber');
    const [audit] = await auditOf(key, agent.agentNumber);
    expect(audit).to.include({ method: 'POST', route: '/agents/{agentNumber}/stores' });
    expect(audit.before.stores).to.have.length(1);
    expect(audit.after.stores).to.have.length(2);
  });

  it('PATCH /admin/agents/{agentNumber} suspends with a reason (audited before and after) and reactivates; bad input answers 400', async () => {
    const key = await adminKey('read', 'operate');
    const agent = await makeAgent();
    const res = await admin('PATCH', `/agents/${agent.agentNumber}`, { key, body: { status: 'suspended', reason: 'cash shortfall' } });
    const refused = await verifyAgentPin(agent.msisdn, PIN, db).catch((e: unknown) => e);
    const closed = await admin('PATCH', `/agents/${agent.agentNumber}`, { key, body: { status: 'closed', reason: 'x' } });
    const noReason = await admin('PATCH', `/agents/${agent.agentNumber}`, { key, body: { status: 'active' } });
    const back = await admin('PATCH', `/agents/${agent.agentNumber}`, { key, body: { status: 'active', reason: 'settled' } });
    const nobody = await admin('PATCH', '/agents/000004', { key, body: { status: 'active', reason: 'x' } });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ status: 'suspended', statusReason: 'cash shortfall' });
    expect((refused as Error).name).to.equal('AgentInactiveError');
    expect([closed.body.field, noReason.body.field]).to.deep.equal(['status', 'reason']);
    expect(back.body).to.include({ status: 'active', statusReason: 'settled' });
    expect(nobody.status).to.equal(404);
    const audit = await auditOf(key, agent.agentNumber);
    expect(audit).to.have.length(2);
    expect(audit[1]).to.include({ method: 'PATCH', route: '/agents/{agentNumber}' });
    expect(audit[1].before).to.deep.equal({ status: 'active', reason: null });
    expect(audit[1].after).to.deep.equal({ status: 'suspended', reason: 'cash shortfall' });
  });

  it('POST /admin/agents/{agentNumber}/unlock, after three wrong PINs locked it, lets the right PIN work and is audited', async () => {
    const key = await adminKey('read', 'operate');
    const agent = await makeAgent();
    for (let i = 0; i < 3; i++) await verifyAgentPin(agent.msisdn, '0000', db).catch(() => undefined);
    const locked = await admin('GET', `/agents/${agent.agentNumber}`, { key });
    const whileLocked = await verifyAgentPin(agent.msisdn, PIN, db).catch((e: unknown) => e);
    const res = await admin('POST', `/agents/${agent.agentNumber}/unlock`, { key, body: { reason: 'agent called, ID checked' } });
    expect(locked.body.pin.locked).to.equal(true);
    expect(whileLocked).to.be.instanceOf(PinLockedError);
    expect(res.status).to.equal(200);
    expect(res.body.pin).to.deep.equal({ failedAttempts: 0, lockedUntil: null, locked: false });
    expect((await verifyAgentPin(agent.msisdn, PIN, db)).agentNumber).to.equal(agent.agentNumber);
    const [audit] = await auditOf(key, agent.agentNumber);
    expect(audit.before.pin.locked).to.equal(true);
    expect(audit.after).to.deep.equal({ pin: { failedAttempts: 0, lockedUntil: null, locked: false }, reason: 'agent called, ID checked' });
  });
});
