/** The admin API's framework: keys, scopes on every route, validation, audit, idempotency, OpenAPI. */
import { expect } from 'chai';
import { adminRoutes, SCOPES, type AdminRoute } from '../src/admin/index.js';
import { db } from '../src/db/index.js';
import { admin, adminKey, clientAddress } from './helpers/admin.js';

/** A concrete path for a route, with valid-looking path parameters. */
function concretePath(route: AdminRoute): string {
  return route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => (name === 'msisdn' ? '+254700000001' : name === 'type' ? 'send_money' : '1'));
}

describe('admin API: authentication and scopes on every route', () => {
  it('the route list is not empty', () => {
    expect(adminRoutes.length).to.be.greaterThan(3);
  });

  for (const route of adminRoutes) {
    const name = `${route.method.toUpperCase()} /admin${route.path}`;
    it(`${name}, without a key, answers 401; with a key lacking ${route.scope}, answers 403`, async () => {
      const path = concretePath(route);
      const none = await admin(route.method, path, { body: route.body ? {} : undefined });
      expect(none.status, name).to.equal(401);
      const others = SCOPES.filter((s) => s !== route.scope);
      const lacking = await admin(route.method, path, { key: await adminKey(...others), body: route.body ? {} : undefined });
      expect(lacking.status, name).to.equal(403);
      expect(lacking.body.error).to.equal('forbidden');
    });
  }
});

describe('admin API: keys', () => {
  it('POST /admin/keys creates a key shown once that works, stores only a hash, and audits it', async () => {
    const root = await adminKey('admin', 'read');
    const created = await admin('POST', '/keys', { key: root, body: { name: 'ops', scopes: ['read', 'operate'] } });
    expect(created.status).to.equal(201);
    expect(created.body.key).to.match(/^simu_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const row = await db('api_keys').where({ id: created.body.apiKey.id }).first();
    // The secret is everything after the prefix; base64url may itself hold `_`.
    const secret = created.body.key.slice('simu_'.length + 12 + 1);
    expect(JSON.stringify(row)).not.to.contain(secret);
    const audit = await admin('GET', `/audit?target=api_key:${created.body.apiKey.id}`, { key: root });
    expect(audit.body.data).to.have.length(1);
    expect(audit.body.data[0]).to.include({ method: 'POST', route: '/keys', target: `api_key:${created.body.apiKey.id}` });
    expect(audit.body.data[0].requestId).to.be.a('string');
    expect((await admin('GET', '/audit', { key: created.body.key })).status).to.equal(200);
  });

  it('a revoked key stops working at once', async () => {
    const root = await adminKey('admin');
    const victim = await admin('POST', '/keys', { key: root, body: { name: 'temp', scopes: ['read'] } });
    expect((await admin('GET', '/audit', { key: victim.body.key })).status).to.equal(200);
    expect((await admin('DELETE', `/keys/${victim.body.apiKey.id}`, { key: root })).status).to.equal(200);
    expect((await admin('GET', '/audit', { key: victim.body.key })).status).to.equal(401);
  });

  it('a wrong key answers 401, and repeated failures from one address are rate limited with 429', async () => {
    const address = clientAddress();
    const good = await adminKey('read');
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await admin('GET', '/audit', { key: `simu_000000000000_${'x'.repeat(43)}`, address })).status;
    expect(last).to.equal(429);
    const blocked = await admin('GET', '/audit', { key: good, address });
    expect(blocked.status).to.equal(429);
    expect(blocked.headers.get('retry-after')).to.match(/^\d+$/);
    expect((await admin('GET', '/audit', { key: good })).status).to.equal(200);
  });
});

describe('admin API: requests', () => {
  it('a bad body answers 400 naming the field, and changes nothing', async () => {
    const root = await adminKey('admin');
    const before = await db('api_keys').count({ n: '*' }).first();
    const bad = await admin('POST', '/keys', { key: root, body: { name: 'x', scopes: ['everything'] } });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.include({ error: 'validation_failed' });
    expect(bad.body.field).to.match(/^scopes/);
    const extra = await admin('POST', '/keys', { key: root, body: { name: 'x', scopes: ['read'], admin: true } });
    expect(extra.status).to.equal(400);
    expect(extra.body.field).to.equal('admin');
    const after = await db('api_keys').count({ n: '*' }).first();
    expect(after!.n).to.equal(before!.n);
  });

  // Found by test/faults/fuzz-admin.test.ts: PostgreSQL refuses a NUL in text, which answered 500.
  it('a NUL character in a body string or a path parameter answers 400 naming it, and changes nothing', async () => {
    const ops = await adminKey('operate', 'finance');
    const audits = await db('audit_log').count({ n: '*' }).first();
    const school = await admin('POST', '/schools', { key: ops, body: { name: 'Null\u0000 Academy', paybill: '765432', smsSender: 'NULL' } });
    expect(school.status).to.equal(400);
    expect(school.body).to.include({ error: 'validation_failed', field: 'name' });
    const param = await admin('POST', '/banks/payments/equity/EQ%00/allocate', { key: ops, body: { msisdn: '+254700000001', reason: 'checked' }, headers: { 'idempotency-key': `nul-${Date.now()}` } });
    expect(param.status).to.equal(400);
    expect(param.body.field).to.equal('params.transactionId');
    expect((await db('audit_log').count({ n: '*' }).first())!.n).to.equal(audits!.n);
    expect(await db('schools').where({ paybill: '765432' })).to.have.length(0);
  });

  // Found by test/faults/fuzz-admin.test.ts: PostgreSQL refused ids beyond int4 (or bigint) with an error, answered 500.
  it('an id beyond its column\'s range answers 400, not 500', async () => {
    const key = await adminKey('read', 'operate', 'finance', 'admin');
    for (const path of ['/merchants/2147483648', '/customers/2147483648/loans', '/sms/99999999999999999999', '/loans/99999999999999999999']) {
      expect((await admin('GET', path, { key })).status, path).to.equal(400);
    }
    expect((await admin('DELETE', '/keys/2147483648', { key })).status).to.equal(400);
    const bulk = await admin('POST', '/sms/bulk', { key, body: { segment: { type: 'chama_members', chamaId: 2_147_483_648 }, message: { en: 'Hello', sw: 'Habari' } } });
    expect(bulk.status).to.equal(400);
    expect(bulk.body.error).to.equal('validation_failed');
  });

  it('an amount sent as a string or a float answers 400: amounts are integers of cents', async () => {
    const key = await adminKey('finance');
    const body = { perTransaction: 7_000_000, perDay: 15_000_000, perMonth: 50_000_000, maxBalance: 50_000_000 };
    const asString = await admin('PUT', '/limits', { key, body: { ...body, perDay: '15000000' } });
    expect(asString.status).to.equal(400);
    expect(asString.body.field).to.equal('perDay');
    const asFloat = await admin('PUT', '/limits', { key, body: { ...body, perDay: 150000.5 } });
    expect(asFloat.status).to.equal(400);
  });

  it('a bad query parameter answers 400 and a bad cursor too', async () => {
    const key = await adminKey('read');
    expect((await admin('GET', '/audit?limit=1000', { key })).body.field).to.equal('limit');
    expect((await admin('GET', '/audit?cursor=!!', { key })).status).to.equal(400);
  });

  it('lists page with limit and cursor, newest first, without repeats', async () => {
    const root = await adminKey('admin', 'read');
    for (let i = 0; i < 3; i++) await admin('POST', '/keys', { key: root, body: { name: `page${i}`, scopes: ['read'] } });
    const first = await admin('GET', '/keys?limit=2', { key: root });
    const second = await admin('GET', `/keys?limit=2&cursor=${first.body.nextCursor}`, { key: root });
    expect(first.body.data).to.have.length(2);
    expect(first.body.data[0].id).to.be.greaterThan(first.body.data[1].id);
    expect(second.body.data[0].id).to.be.lessThan(first.body.data[1].id);
  });

  it('a write repeated with the same Idempotency-Key returns the first answer and does it once', async () => {
    const root = await adminKey('admin');
    const headers = { 'idempotency-key': `test-${Date.now()}` };
    const a = await admin('POST', '/keys', { key: root, body: { name: 'once', scopes: ['read'] }, headers });
    const b = await admin('POST', '/keys', { key: root, body: { name: 'once', scopes: ['read'] }, headers });
    expect(b.status).to.equal(a.status);
    expect(b.body).to.deep.equal(JSON.parse(JSON.stringify(a.body)));
    expect(b.headers.get('idempotent-replayed')).to.equal('true');
    const other = await admin('POST', '/keys', { key: root, body: { name: 'twice', scopes: ['read'] }, headers });
    expect(other.status).to.equal(409);
  });

  it('an unknown admin route answers 404 and nothing answers with a stack', async () => {
    const res = await admin('GET', '/nothing-here', { key: await adminKey('read') });
    expect(res.status).to.equal(404);
    expect(JSON.stringify(res.body)).not.to.match(/at .*\.ts:\d+/);
  });

  it('GET /admin/openapi.json is an OpenAPI 3.1 document with every route and its scope', async () => {
    const res = await admin('GET', '/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal('3.1.0');
    for (const r of adminRoutes) expect(res.body.paths[`/admin${r.path}`][r.method]['x-scope']).to.equal(r.scope);
  });
});
