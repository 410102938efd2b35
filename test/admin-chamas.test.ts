/** The admin API's chamas: registering one, its policy, its balances, members, roles, the rotation and each member's standing. */
import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import { db } from '../src/db/index.js';
import { nairobiDay } from '../src/calendar/index.js';
import { contribute, cycleOn, getChama, postFines } from '../src/chama/index.js';
import { admin, adminKey } from './helpers/admin.js';
import { chamaKey, kes, makeChama, makeGroup, makeMember } from './helpers/chama.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { BIASHARA, makeProduct } from './helpers/loans.js';

const code = () => `AC${randomInt(1e8, 1e9)}`;
const umoja = (body: Record<string, unknown> = {}) => ({
  code: code(), name: 'Umoja Women', contribution: 100_000, merryGoRound: 80_000, frequency: 'monthly', firstDueOn: '2027-01-05', ...body,
});
const ids = (list: { id: number }[]) => list.map((m) => m.id);
const chamasWithCode = async (c: string) => (await db('chamas').where({ code: c.toUpperCase() })).length;

describe('admin API: chamas', () => {
  it('POST /admin/chamas registers a chama (201, code upper case, cents with the currency, empty accounts, no members), audited; a repeat with the same Idempotency-Key replays it', async () => {
    const key = await adminKey('read', 'operate');
    const product = await makeProduct(BIASHARA);
    const body = umoja({ code: code().toLowerCase(), fine: 10_000, fineGraceDays: 3, loanProductCode: product.code, loanMultiple: 4, loanGuarantors: 1 });
    const headers = { 'idempotency-key': randomUUID() };
    const res = await admin('POST', '/chamas', { key, body, headers });
    const replay = await admin('POST', '/chamas', { key, body, headers });
    const audit = await admin('GET', `/audit?target=chama:${res.body.id}`, { key });

    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({
      code: body.code.toUpperCase(), name: 'Umoja Women', status: 'active', contribution: 100_000, merryGoRound: 80_000, savings: 20_000,
      frequency: 'monthly', firstDueOn: '2027-01-05', fine: 10_000, fineGraceDays: 3, loanProductCode: product.code, loanMultiple: 4, loanGuarantors: 1,
      book: `chama:${res.body.id}`, currency: 'KES',
    });
    expect(res.body.accounts.pot).to.include({ balance: 0, currency: 'KES' });
    expect(res.body.accounts.savings.balance).to.equal(0);
    expect(res.body.accounts.loans.balance).to.equal(0);
    expect(res.body.members).to.deep.equal([]);
    expect(replay.status).to.equal(201);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body.id).to.equal(res.body.id);
    expect(await chamasWithCode(body.code)).to.equal(1);
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/chamas', target: `chama:${res.body.id}` });
    expect(audit.body.data[0].after).to.include({ code: body.code.toUpperCase(), contribution: 100_000 });
  });

  it('POST /admin/chamas answers 409 for a taken code (any case) and 400 with a field and reason for bad input, and registers nothing then', async () => {
    const key = await adminKey('operate');
    const first = await admin('POST', '/chamas', { key, body: umoja() });
    const taken = await admin('POST', '/chamas', { key, body: umoja({ code: first.body.code.toLowerCase(), name: 'Copy' }) });
    const bad = {
      asString: umoja({ contribution: '100000' }),
      asFloat: umoja({ contribution: 1000.5 }),
      tooMuchMgr: umoja({ merryGoRound: 100_001 }),
      frequency: umoja({ frequency: 'daily' }),
      dueDay: umoja({ firstDueOn: '2027-01-29' }),
      noDay: umoja({ firstDueOn: '2027-02-30' }),
      extra: umoja({ treasurer: 'me' }),
      product: umoja({ loanProductCode: `NOPE${randomInt(1e9)}` }),
      badCode: umoja({ code: '9LIVES' }),
    };
    const answers: Record<string, { status: number; body: { field?: string; reason?: string; error?: string } }> = {};
    for (const [name, body] of Object.entries(bad)) answers[name] = await admin('POST', '/chamas', { key, body });

    expect(first.status).to.equal(201);
    expect(taken.status).to.equal(409);
    expect(taken.body.error).to.equal('chama_exists');
    expect(Object.fromEntries(Object.entries(answers).map(([n, a]) => [n, [a.status, a.body.field]]))).to.deep.equal({
      asString: [400, 'contribution'], asFloat: [400, 'contribution'], tooMuchMgr: [400, 'merryGoRound'], frequency: [400, 'frequency'],
      dueDay: [400, 'firstDueOn'], noDay: [400, 'firstDueOn'], extra: [400, 'treasurer'], product: [400, 'loanProductCode'], badCode: [400, 'code'],
    });
    for (const a of Object.values(answers)) expect(a.body.reason).to.be.a('string').and.not.equal('');
    expect(await db('chamas').where({ name: 'Copy' })).to.have.length(0);
    for (const body of Object.values(bad)) expect(await chamasWithCode(String(body.code))).to.equal(0);
  });

  it('a read key is refused every chama write (403) and changes nothing', async () => {
    const key = await adminKey('read');
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const customer = await makeCustomer();
    const body = umoja();
    const answers = [
      await admin('POST', '/chamas', { key, body }),
      await admin('PATCH', `/chamas/${chama.id}`, { key, body: { name: 'Renamed' } }),
      await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: customer.msisdn } }),
      await admin('PATCH', `/chamas/${chama.id}/members/${secretary.member.id}`, { key, body: { role: 'member' } }),
      await admin('PUT', `/chamas/${chama.id}/rotation`, { key, body: { memberIds: [secretary.member.id, treasurer.member.id, chair.member.id] } }),
    ];
    const after = await admin('GET', `/chamas/${chama.id}`, { key });

    expect(answers.map((a) => a.status)).to.deep.equal([403, 403, 403, 403, 403]);
    expect(answers.map((a) => a.body.error)).to.deep.equal(Array(5).fill('forbidden'));
    expect(await chamasWithCode(body.code)).to.equal(0);
    expect(after.body.name).to.equal(chama.name);
    expect(ids(after.body.members)).to.deep.equal([chair.member.id, treasurer.member.id, secretary.member.id]);
    expect(after.body.members.map((m: { role: string }) => m.role)).to.deep.equal(['chairperson', 'treasurer', 'secretary']);
  });

  it('GET /admin/chamas lists chamas (status narrows); GET /admin/chamas/{id} shows the pot, savings and loans balances and the members; 404 for an unknown chama', async () => {
    const key = await adminKey('read');
    const { chama, chair, treasurer, secretary } = await makeGroup();
    await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() });
    await contribute(db, { customerId: treasurer.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(500), idempotencyKey: chamaKey() });

    const list = await admin('GET', '/chamas', { key });
    const suspended = await admin('GET', '/chamas?status=suspended', { key });
    const one = await admin('GET', `/chamas/${chama.id}`, { key });
    const unknown = await admin('GET', '/chamas/2147483000', { key });

    const listed = list.body.data.find((c: { id: number }) => c.id === chama.id);
    expect(listed).to.include({ code: chama.code, contribution: 100_000, merryGoRound: 80_000, savings: 20_000, currency: 'KES' });
    expect(listed).not.to.have.property('potAccountId');
    expect(ids(suspended.body.data)).not.to.include(chama.id);
    expect(one.status).to.equal(200);
    expect(one.body.accounts).to.deep.equal({
      pot: { accountId: chama.potAccountId, balance: 130_000, currency: 'KES' },
      savings: { accountId: chama.savingsAccountId, balance: 20_000, currency: 'KES' },
      loans: { accountId: chama.loansAccountId, balance: 0, currency: 'KES' },
    });
    expect(ids(one.body.members)).to.deep.equal([chair.member.id, treasurer.member.id, secretary.member.id]);
    expect(one.body.members[0]).to.include({ chamaId: chama.id, customerId: chair.customer.id, msisdn: chair.customer.msisdn, role: 'chairperson', status: 'active' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.equal('chama_not_found');
  });
});

describe('admin API: chama members', () => {
  it('POST /admin/chamas/{id}/members adds a customer by any form of their number (201, audited); 404 for a number not on Simu or an unknown chama; 409 twice or for a second chairperson', async () => {
    const key = await adminKey('read', 'operate');
    const chama = await makeChama();
    const chair = await makeCustomer(0, { firstName: 'Wanjiru' });
    const other = await makeCustomer();
    const local = `0${chair.msisdn.slice(4)}`;

    const added = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: local, role: 'chairperson' } });
    const plain = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: other.msisdn } });
    const stranger = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: randomMsisdn() } });
    const twice = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: chair.msisdn } });
    const secondChair = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: (await makeCustomer()).msisdn, role: 'chairperson' } });
    const noChama = await admin('POST', '/chamas/2147483000/members', { key, body: { msisdn: other.msisdn } });
    const badRole = await admin('POST', `/chamas/${chama.id}/members`, { key, body: { msisdn: other.msisdn, role: 'boss' } });
    const audit = await admin('GET', `/audit?target=chama_member:${added.body.id}`, { key });

    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    expect(added.body).to.include({ chamaId: chama.id, customerId: chair.id, msisdn: chair.msisdn, role: 'chairperson', rotationPosition: 1, status: 'active' });
    expect(added.body.name).to.contain('Wanjiru');
    expect(plain.body).to.include({ role: 'member', rotationPosition: 2 });
    expect([stranger.status, stranger.body.error]).to.deep.equal([404, 'not_a_member']);
    expect([twice.status, twice.body.error]).to.deep.equal([409, 'already_a_member']);
    expect([secondChair.status, secondChair.body.error]).to.deep.equal([409, 'office_taken']);
    expect([noChama.status, noChama.body.error]).to.deep.equal([404, 'chama_not_found']);
    expect([badRole.status, badRole.body.field]).to.deep.equal([400, 'role']);
    expect(await db('chama_members').where({ chama_id: chama.id })).to.have.length(2);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/chamas/{id}/members' });
  });

  it('PATCH /admin/chamas/{id}/members/{memberId} changes a role (audited); 409 for an office another member holds; 404 for a member of another chama', async () => {
    const key = await adminKey('read', 'operate');
    const { chama, chair, secretary } = await makeGroup();
    const plain = await makeMember(chama);
    const elsewhere = await makeGroup();

    const stepDown = await admin('PATCH', `/chamas/${chama.id}/members/${secretary.member.id}`, { key, body: { role: 'member' } });
    const promote = await admin('PATCH', `/chamas/${chama.id}/members/${plain.member.id}`, { key, body: { role: 'secretary' } });
    const taken = await admin('PATCH', `/chamas/${chama.id}/members/${plain.member.id}`, { key, body: { role: 'chairperson' } });
    const foreign = await admin('PATCH', `/chamas/${chama.id}/members/${elsewhere.chair.member.id}`, { key, body: { role: 'member' } });
    const audit = await admin('GET', `/audit?target=chama_member:${plain.member.id}`, { key });

    expect(stepDown.status).to.equal(200);
    expect(stepDown.body).to.include({ id: secretary.member.id, role: 'member' });
    expect(promote.body).to.include({ id: plain.member.id, role: 'secretary' });
    expect([taken.status, taken.body.error]).to.deep.equal([409, 'office_taken']);
    expect([foreign.status, foreign.body.error]).to.deep.equal([404, 'not_a_member']);
    expect((await db('chama_members').where({ id: elsewhere.chair.member.id }).first()).role).to.equal('chairperson');
    expect((await db('chama_members').where({ id: chair.member.id }).first()).role).to.equal('chairperson');
    expect(audit.body.data[0]).to.deep.include({ before: { role: 'member' }, after: { role: 'secretary' } });
  });

  it('PUT /admin/chamas/{id}/rotation sets the order (answers the members in it, audited); a list missing a member or naming one twice answers 400 and changes nothing', async () => {
    const key = await adminKey('read', 'operate');
    const { chama, chair, treasurer, secretary } = await makeGroup();
    const path = `/chamas/${chama.id}/rotation`;
    const order = [secretary.member.id, chair.member.id, treasurer.member.id];

    const set = await admin('PUT', path, { key, body: { memberIds: order } });
    const missing = await admin('PUT', path, { key, body: { memberIds: [chair.member.id, treasurer.member.id] } });
    const twice = await admin('PUT', path, { key, body: { memberIds: [chair.member.id, chair.member.id, treasurer.member.id] } });
    const shown = await admin('GET', `/chamas/${chama.id}/members`, { key });
    const audit = await admin('GET', `/audit?target=chama:${chama.id}`, { key });

    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(ids(set.body.data)).to.deep.equal(order);
    expect([missing.status, missing.body.field]).to.deep.equal([400, 'memberIds']);
    expect(missing.body.reason).to.contain('every active member');
    expect(twice.status).to.equal(400);
    expect(ids(shown.body.data)).to.deep.equal(order);
    expect(audit.body.data[0]).to.deep.include({
      route: '/chamas/{id}/rotation', before: { rotation: [chair.member.id, treasurer.member.id, secretary.member.id] }, after: { rotation: order },
    });
  });

  it('GET /admin/chamas/{id}/members shows each member\'s savings and standing: paid this cycle, what is still due, arrears of past cycles and fines', async () => {
    const key = await adminKey('read');
    const { chama, chair, treasurer, secretary } = await makeGroup();
    await contribute(db, { customerId: chair.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(1000), idempotencyKey: chamaKey() });
    await contribute(db, { customerId: treasurer.customer.id, pinVerified: true, chamaId: chama.id, amount: kes(500), idempotencyKey: chamaKey() });
    // A chama that started months ago, whose member joined before its first due day and has paid nothing.
    const old = await makeChama({ firstDueOn: '2026-06-05' });
    const late = await makeMember(old);
    await db('chama_members').where({ id: late.member.id }).update({ joined_at: new Date('2026-06-01T09:00:00+03:00') });
    const fined = await postFines(db, old.id);
    const cycleNo = cycleOn(await getChama(db, old.id), nairobiDay());

    const res = await admin('GET', `/chamas/${chama.id}/members`, { key });
    const lateRes = await admin('GET', `/chamas/${old.id}/members`, { key });

    const [c, t, s] = res.body.data;
    expect(ids(res.body.data)).to.deep.equal([chair.member.id, treasurer.member.id, secretary.member.id]);
    expect(c).to.include({ role: 'chairperson', savings: 20_000, currency: 'KES' });
    expect(c.standing).to.include({ paidThisCycle: 100_000, currentDue: 0, arrears: 0, fines: 0, due: 0 });
    expect(t).to.include({ savings: 0 });
    expect(t.standing).to.include({ paidThisCycle: 50_000, currentDue: 50_000, due: 50_000 });
    expect(s.standing).to.include({ paidThisCycle: 0, currentDue: 100_000, due: 100_000 });

    const fines = fined.reduce((sum, f) => sum + Number(f.amount), 0);
    expect(fined.length).to.be.greaterThan(0);
    expect(lateRes.body.data[0].standing).to.include({
      cycleNo, firstCycle: 1, arrears: (cycleNo - 1) * 100_000, currentDue: 100_000, fines, due: fines + cycleNo * 100_000,
    });
  });
});

describe('admin API: chama policy', () => {
  it('PATCH /admin/chamas/{id} changes the policy and suspends (audited, GET shows it); merryGoRound above the contribution, an empty body or an unknown chama are refused and change nothing', async () => {
    const key = await adminKey('read', 'operate');
    const chama = await makeChama();
    const path = `/chamas/${chama.id}`;

    const changed = await admin('PATCH', path, { key, body: { name: 'Umoja Renewed', contribution: 150_000, merryGoRound: 100_000, fine: 5_000, status: 'suspended' } });
    const tooMuch = await admin('PATCH', path, { key, body: { merryGoRound: 150_001 } });
    const tooMuchLower = await admin('PATCH', path, { key, body: { contribution: 90_000 } });
    const empty = await admin('PATCH', path, { key, body: {} });
    const unknown = await admin('PATCH', '/chamas/2147483000', { key, body: { name: 'Nobody' } });
    const shown = await admin('GET', path, { key });
    const suspended = await admin('GET', '/chamas?status=suspended', { key });
    const audit = await admin('GET', `/audit?target=chama:${chama.id}`, { key });

    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body).to.include({ name: 'Umoja Renewed', contribution: 150_000, merryGoRound: 100_000, savings: 50_000, fine: 5_000, status: 'suspended' });
    expect([tooMuch.status, tooMuch.body.field]).to.deep.equal([400, 'merryGoRound']);
    expect(tooMuch.body.reason).to.be.a('string').and.contain('merryGoRound');
    expect([tooMuchLower.status, tooMuchLower.body.field]).to.deep.equal([400, 'merryGoRound']);
    expect(empty.status).to.equal(400);
    expect(unknown.status).to.equal(404);
    expect(shown.body).to.include({ name: 'Umoja Renewed', contribution: 150_000, merryGoRound: 100_000, status: 'suspended' });
    expect(ids(suspended.body.data)).to.include(chama.id);
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0].before).to.include({ contribution: 100_000, merryGoRound: 80_000, status: 'active' });
    expect(audit.body.data[0].after).to.include({ contribution: 150_000, merryGoRound: 100_000, status: 'suspended' });
  });
});
