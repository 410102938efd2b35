import { expect } from 'chai';
import { appUrl, postUssd, Dial } from './helpers/ussd.js';
import { makeCustomer } from './helpers/customers.js';

const good = { sessionId: 'ATUid_malformed', serviceCode: '*384#', phoneNumber: '+254700000001', networkCode: '63902', text: '' };

describe('USSD callback, malformed requests', () => {
  for (const field of ['sessionId', 'serviceCode', 'phoneNumber']) {
    it(`without ${field}, answers 400 naming it`, async () => {
      const fields: Record<string, string> = { ...good };
      delete fields[field];
      const res = await postUssd(fields);
      expect(res.status).to.equal(400);
      expect(JSON.parse(res.body)).to.include({ error: 'validation_failed', field });
    });
  }

  it('with a 10 KB text, answers 400 and keeps serving', async () => {
    const res = await postUssd({ ...good, text: '1*'.repeat(5120) });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.body).field).to.equal('text');
    expect((await fetch(`${await appUrl()}/healthz`)).status).to.equal(200);
  });

  it('with a body over 16 KB, answers 413 and keeps serving', async () => {
    const res = await postUssd({ ...good, text: 'x'.repeat(20_000) });
    expect(res.status).to.equal(413);
    expect((await fetch(`${await appUrl()}/healthz`)).status).to.equal(200);
  });

  it('with a phoneNumber that is not one, answers 400', async () => {
    const res = await postUssd({ ...good, phoneNumber: 'not-a-number' });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.body).field).to.equal('phoneNumber');
  });

  it('for another service code, answers 400', async () => {
    const res = await postUssd({ ...good, serviceCode: '*999#' });
    expect(res.status).to.equal(400);
  });

  it('with a JSON body instead of a form, answers 400', async () => {
    const res = await fetch(`${await appUrl()}/ussd`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sessionId":' });
    expect(res.status).to.equal(400);
  });

  it('letters where digits are asked get a clear re-ask, not an error', async () => {
    const c = await makeCustomer(10);
    const phone = new Dial(c.msisdn);
    expect(await phone.type('abc')).to.match(/^CON Invalid choice\./);
    await phone.type('1');
    expect(await phone.type('Brian')).to.match(/^CON Invalid phone number\./);
    expect(await phone.type('')).to.match(/^CON Invalid phone number\./);
  });

  it('a session id reused by another number does not reach the first number\'s session', async () => {
    const a = await makeCustomer(10);
    const b = await makeCustomer(10);
    const phone = new Dial(a.msisdn);
    await phone.type('8');
    const res = await postUssd({ sessionId: phone.sessionId, serviceCode: '*384#', phoneNumber: b.msisdn, text: '8*1' });
    expect(res.body).to.match(/^END This session belongs to another number/);
  });

  it('an unknown route answers 404 JSON', async () => {
    const res = await fetch(`${await appUrl()}/nope`);
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: string }).error).to.equal('not_found');
  });
});
