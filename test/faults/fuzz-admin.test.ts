/**
 * Fuzzing the admin API's money-relevant writes (fast-check), with a key holding every
 * scope: customers' status, unlock and limits; tariffs, limits and commission rates;
 * ledger adjustments and reversals; SMS bulk; chamas and members; schools, students, terms,
 * fee structures and invoicing; agent float; M-Pesa STK credit/fail and suspense
 * allocation; loan write-off; bank payment allocation.
 *
 * Bodies are drawn from the route's own schema: valid ones, valid ones with one to three
 * fields of the wrong type, out of range, hostile strings (NUL, unicode, very long) or
 * absent, valid ones with a field the schema does not know, and arbitrary JSON values. Path
 * parameters are real ids (a customer, chama, school, term, agent, STK request, loan, and
 * suspense payment made here) or junk.
 *
 * Every answer is below 500 and the app keeps serving; a 4xx changes no journal entry,
 * posting, audit row or idempotency record. (A valid body that moves money is fine.)
 * Tariffs, limits and commission rates are put back as they were at the end.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { db } from '../../src/db/index.js';
import { adminRoutes } from '../../src/admin/index.js';
import type { JsonSchema } from '../../src/admin/route.js';
import { disburseLoan } from '../../src/loans/index.js';
import { systemAccount } from '../../src/ledger/index.js';
import { requestStkTopUp } from '../../src/mpesa/index.js';
import { admin, adminKey } from '../helpers/admin.js';
import { makeCustomer, assertLedgerSound } from '../helpers/customers.js';
import { makeChama } from '../helpers/chama.js';
import { makeSchool, makeTerm } from '../helpers/fees.js';
import { makeAgent } from '../helpers/admin-agents.js';
import { loanKey, makeProduct, SIMU_ADVANCE } from '../helpers/loans.js';
import { c2bSample, postC2b, newTransId } from '../helpers/mpesa.js';
import { appUrl } from '../helpers/ussd.js';
import { RUNS, Tally, assertAlive, fingerprint, hostileString, amountValue, params } from './fuzz-helpers.js';

/** The routes fuzzed (method and OpenAPI path, as declared in src/admin/routes). */
const TARGETS: Array<[string, string]> = [
  ['post', '/customers/{msisdn}/status'], ['post', '/customers/{msisdn}/unlock'], ['put', '/customers/{msisdn}/limits'],
  ['put', '/tariffs/{type}'], ['put', '/limits'], ['put', '/commission-rates/{kind}'],
  ['post', '/ledger/adjustments'], ['post', '/ledger/reversals'], ['post', '/sms/bulk'],
  ['post', '/chamas'], ['patch', '/chamas/{id}'], ['post', '/chamas/{id}/members'],
  ['post', '/schools'], ['post', '/schools/{id}/students'], ['post', '/schools/{id}/terms'],
  ['post', '/terms/{id}/fee-structures'], ['post', '/terms/{id}/invoice'],
  ['post', '/agents/{agentNumber}/float'], ['post', '/mpesa/stk/{id}/credit'], ['post', '/mpesa/stk/{id}/fail'],
  ['post', '/mpesa/suspense/{transId}/allocate'], ['post', '/loans/{id}/write-off'], ['post', '/banks/payments/{bank}/{transactionId}/allocate'],
];

/** Tables the admin API changes that a refused request must leave alone. */
const TABLES = ['audit_log', 'admin_idempotency', 'idempotency_keys'];

/** Tables whose rows the fuzzing may change for everyone: saved first, put back after. */
const GLOBAL_TABLES = ['tariffs', 'limits', 'commission_rates'];

/** A value that fits `schema` most of the time (enum, const, integer range, pattern, object, array). */
function valid(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = schema as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.oneOf) return fc.oneof(...(s.oneOf as JsonSchema[]).map((o) => valid(o, depth + 1)));
  const types: string[] = Array.isArray(s.type) ? s.type : [s.type ?? 'string'];
  return fc.oneof(...types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'integer':
        return fc.oneof(
          fc.integer({ min: Math.max(s.minimum ?? -1000, -(2 ** 31)), max: Math.min(s.maximum ?? 2 ** 31, 10_000_000) }),
          fc.constantFrom(s.minimum ?? 0, s.maximum ?? 2 ** 31, 1, 100, 50_000),
        );
      case 'number': return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'boolean': return fc.boolean();
      case 'null': return fc.constant(null);
      case 'array':
        return depth > 3 ? fc.constant([]) : fc.array(valid(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
      case 'object':
        return depth > 3 ? fc.constant({}) : fc.record(Object.fromEntries(Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)
          .map(([k, v]) => [k, valid(v, depth + 1)])), { requiredKeys: (s.required ?? []) as never[] });
      default: {
        const text = s.pattern ? fc.stringMatching(new RegExp(s.pattern as string, 'u')) : fc.string({ minLength: s.minLength ?? 0, maxLength: 30 });
        return text.map((t) => t.slice(0, s.maxLength ?? 500));
      }
    }
  }));
}

/** A wrong value for a field: of another type, out of range, a hostile string, or any JSON. */
const wrong: fc.Arbitrary<unknown> = fc.oneof(hostileString, amountValue, fc.jsonValue({ maxDepth: 2 }));

/**
 * A body for `schema`: a valid one (all its fields, required or not), the same with one to
 * three fields replaced by a wrong value or dropped, or with a field the schema does not
 * know; or any JSON value at all.
 */
function body(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const s = (schema ?? { type: 'object', properties: {} }) as JsonSchema & { properties?: Record<string, JsonSchema> };
  const names = Object.keys(s.properties ?? {});
  const whole = valid({ ...s, required: names });
  const edits = fc.array(fc.tuple(names.length ? fc.constantFrom(...names) : fc.string({ maxLength: 12 }), fc.option(wrong, { freq: 4 })), { minLength: 1, maxLength: 3 });
  const mutated = fc.tuple(whole, edits).map(([o, es]) => {
    const copy = { ...(o as Record<string, unknown>) };
    for (const [k, v] of es) {
      if (v === null) delete copy[k];
      else copy[k] = v;
    }
    return copy;
  });
  const extra = fc.tuple(whole, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(([o, k, v]) => ({ ...(o as object), [k]: v }));
  return fc.oneof({ weight: 2, arbitrary: whole }, { weight: 5, arbitrary: mutated }, { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

describe('fuzz: admin API writes', function () {
  this.timeout(180_000);
  let key: string;
  /** Good values of each path parameter, by the route's path and the parameter's name. */
  let good: Record<string, string[]>;
  const saved: Record<string, unknown[]> = {};
  /** Accounts and entries made here: a well-formed adjustment or reversal touches only these, whatever database the suite runs on. */
  let ownAccounts: number[];
  let ownEntries: number[];

  /** Keeps the money a valid body would move among the fixtures: account and entry ids mapped onto ours, no bulk SMS to every customer. */
  function confine(body: unknown): unknown {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    const b = { ...(body as Record<string, unknown>) };
    const onto = (v: unknown, ids: number[]) => (Number.isSafeInteger(v) && (v as number) > 0 ? ids[(v as number) % ids.length] : v);
    for (const k of ['debitAccountId', 'creditAccountId']) if (k in b) b[k] = onto(b[k], ownAccounts);
    if ('entryId' in b) b.entryId = onto(b.entryId, ownEntries);
    if (b.confirm === true && (b.segment as { type?: unknown } | undefined)?.type === 'all_customers') b.confirm = false;
    return b;
  }

  before(async () => {
    for (const t of GLOBAL_TABLES) saved[t] = await db(t).select();
    key = await adminKey('read', 'operate', 'finance');
    const customer = await makeCustomer(2_000);
    const chama = await makeChama();
    const school = await makeSchool({ equity: true });
    const term = await makeTerm(school, { 'Form 1': 10_000 });
    const agent = await makeAgent({ floatKes: 1_000 });
    const stk = await requestStkTopUp({ msisdn: customer.msisdn, amount: 500_00n, idempotencyKey: `fuzz:stk:${randomUUID()}` });
    const product = await makeProduct(SIMU_ADVANCE);
    const { loan } = await disburseLoan(db, { customerId: customer.id, productCode: product.code, principal: 1_000_00n, idempotencyKey: loanKey('fuzz') });
    const suspense = newTransId();
    expect((await postC2b('confirmation', c2bSample({ TransID: suspense, BillRefNumber: 'NOBODY-HERE' }))).status).to.equal(200);
    const entry = await db('journal_entries').max({ id: 'id' }).first();
    ownAccounts = [customer.walletAccountId, agent.floatAccountId, (await systemAccount(db, 'opening')).id];
    ownEntries = [Number(entry?.id ?? 1)];
    good = {
      msisdn: [customer.msisdn, customer.msisdn.slice(1), `0${customer.msisdn.slice(4)}`],
      type: ['send_money', 'withdrawal'], kind: ['withdrawal', 'deposit'], agentNumber: [agent.agentNumber], transId: [suspense],
      'id:chamas': [String(chama.id)], 'id:schools': [String(school.id)], 'id:terms': [String(term.id)], 'id:stk': [String(stk.id)], 'id:loans': [String(loan.id)],
      bank: ['equity', 'kcb'], transactionId: ['EQ123', 'KCB-NOPE'], entryId: [String(entry?.id ?? 1)],
    };
  });

  after(async () => {
    await db.transaction(async (trx) => {
      for (const t of GLOBAL_TABLES) {
        await trx(t).del();
        if (saved[t].length) await trx(t).insert(saved[t]);
      }
    });
    await assertAlive();
    await assertLedgerSound();
  });

  /** A value for path parameter `name` of `path`: a real one, or junk. */
  function param(path: string, name: string): fc.Arbitrary<string> {
    const choices = good[name === 'id' ? `id:${path.split('/')[1].replace('mpesa', 'stk')}` : name] ?? ['1'];
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...choices) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 33 }).map(String) },
      { weight: 1, arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 300 && !/\p{Surrogate}/u.test(s)) },
    );
  }

  it('arbitrary and mistyped bodies on money-relevant routes answer below 500, and a 4xx changes nothing', async () => {
    const tally = new Tally();
    const routes = TARGETS.map(([method, path]) => {
      const route = adminRoutes.find((r) => r.method === method && r.path === path);
      if (!route) throw new Error(`no admin route ${method} ${path}`);
      return route;
    });
    const request = fc.nat({ max: routes.length - 1 }).chain((i) => {
      const route = routes[i];
      const names = [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]);
      return fc.record({
        route: fc.constant(`${route.method} ${route.path}`),
        params: fc.tuple(...names.map((n) => param(route.path, n))).map((vs) => Object.fromEntries(names.map((n, i) => [n, vs[i]]))),
        body: body(route.body),
        idempotencyKey: fc.oneof({ weight: 8, arbitrary: fc.constant('').map(() => randomUUID()) }, { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(201)) }),
      });
    });
    await fc.assert(fc.asyncProperty(request, async ({ route: which, params: p, body: b, idempotencyKey }) => {
      const route = routes.find((r) => `${r.method} ${r.path}` === which)!;
      const path = route.path.replace(/\{([A-Za-z]+)\}/g, (_, n: string) => encodeURIComponent(p[n]));
      const before = await fingerprint(TABLES);
      const res = await admin(route.method, path, { key, body: confine(b) ?? null, headers: { 'idempotency-key': idempotencyKey } });
      const after = await fingerprint(TABLES);
      const what = `${route.method.toUpperCase()} ${path} ${JSON.stringify(confine(b))?.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`;
      tally.add(res.status);
      expect(res.status, what).to.be.below(500);
      if (res.status >= 400) {
        expect(res.body?.error, `a ${res.status} without a reason: ${what}`).to.be.a('string');
        expect(after, `a refused request changed something: ${what}`).to.deep.equal(before);
      }
    }), params(Math.ceil((RUNS * 4) / 3)));
    tally.report('requests');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
    expect(tally.accepted, `answers: ${tally}`).to.be.greaterThan(0);
  });

  it('raw bodies that are not JSON, or not objects, answer 4xx and change nothing', async () => {
    const tally = new Tally();
    const raw = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('{', '[1,', '{"amount":1e999}', 'null', '"x"', '[]', '{"__proto__":{"amount":1}}', '\u0000'));
    await fc.assert(fc.asyncProperty(raw, fc.constantFrom(...TARGETS), async (text, [method, path]) => {
      const url = path.replace('{msisdn}', good.msisdn[0]).replace('{type}', 'send_money').replace('{kind}', 'deposit').replace(/\{[A-Za-z]+\}/g, '1');
      const before = await fingerprint(TABLES);
      const res = await fetch(`${await appUrl()}/admin${url}`, {
        method: method.toUpperCase(), body: text,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      });
      const after = await fingerprint(TABLES);
      tally.add(res.status);
      expect(res.status, `${method} ${url} ${JSON.stringify(text)}`).to.be.below(500);
      if (res.status >= 400) expect(after).to.deep.equal(before);
    }), params(RUNS));
    tally.report('requests');
    expect(tally.rejected, `answers: ${tally}`).to.be.greaterThan(0);
  });
});
