/** An SMS may carry its own sender (a school's name); one AT refuses still goes, under Simu's sender. */
import { expect } from 'chai';
import nock from 'nock';
import { db } from '../src/db/index.js';
import { enqueueSms, openSecret, retryOutboxSms, sealSecret, sendOutboxSms, SmsNotRetryableError } from '../src/sms/index.js';
import { atAnswer, interceptAtSms, type AtCall } from './helpers/at.js';
import { randomMsisdn } from './helpers/customers.js';

describe('SMS sender id', () => {
  afterEach(() => nock.cleanAll());

  it('sends with the row\'s sender id, and with AT_SENDER_ID when it has none', async () => {
    const msisdn = randomMsisdn();
    const [school] = await enqueueSms(db, [{ msisdn, message: 'From the school', kind: 'receipt', senderId: 'MURANGA' }]);
    const [simu] = await enqueueSms(db, [{ msisdn, message: 'From Simu', kind: 'receipt' }]);
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 201, atAnswer(msisdn), calls, 2);
    expect(await sendOutboxSms(school)).to.equal('sent');
    expect(await sendOutboxSms(simu)).to.equal('sent');
    expect(calls.map((c) => [c.body.get('message'), c.body.get('from')])).to.deep.equal([['From the school', 'MURANGA'], ['From Simu', 'SIMU']]);
  });

  it('a sender id AT refuses (402 InvalidSenderId) is dropped for Simu\'s, and the SMS is sent', async () => {
    const msisdn = randomMsisdn();
    const [id] = await enqueueSms(db, [{ msisdn, message: 'Receipt', kind: 'receipt', senderId: 'NOTAPPROVED' }]);
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 402, 'InvalidSenderId'), calls);
    interceptAtSms(msisdn, 201, atAnswer(msisdn), calls);
    expect(await sendOutboxSms(id)).to.equal('sent');
    expect(calls.map((c) => c.body.get('from'))).to.deep.equal(['NOTAPPROVED', 'SIMU']);
    expect((await db('sms_outbox').where({ id: String(id) }).first()).status).to.equal('sent');
  });

  it('the database refuses a sender id longer than 11 characters', async () => {
    let error: unknown;
    try {
      await enqueueSms(db, [{ msisdn: randomMsisdn(), message: 'x', kind: 'receipt', senderId: 'MURANGA ACADEMY' }]);
    } catch (err) {
      error = err;
    }
    expect(String((error as Error)?.message)).to.match(/sms_outbox_sender_id_check/);
  });
});

describe('SMS secrets', () => {
  afterEach(() => nock.cleanAll());

  it('a one-time code is stored only sealed, sent in clear to the phone, and forgotten once sent', async () => {
    const msisdn = randomMsisdn();
    const [id] = await enqueueSms(db, [{ msisdn, message: 'Your code is {secret}.', kind: 'pin_reset_code', secret: '482913' }]);
    const stored = await db('sms_outbox').where({ id: String(id) }).first();
    expect(stored.message).to.equal('Your code is {secret}.');
    expect(stored.secret_sealed).to.match(/^v1\./).and.not.to.contain('482913');
    expect(openSecret(stored.secret_sealed)).to.equal('482913');
    const calls: AtCall[] = [];
    interceptAtSms(msisdn, 201, atAnswer(msisdn), calls);
    expect(await sendOutboxSms(id)).to.equal('sent');
    expect(calls[0].body.get('message')).to.equal('Your code is 482913.');
    expect((await db('sms_outbox').where({ id: String(id) }).first()).secret_sealed).to.equal(null);
  });

  it('a code whose SMS failed for good is forgotten, and an operator\'s retry is refused (it would send the placeholder)', async () => {
    const msisdn = randomMsisdn();
    const [id] = await enqueueSms(db, [{ msisdn, message: 'Your code is {secret}.', kind: 'pin_reset_code', secret: '123987' }]);
    interceptAtSms(msisdn, 201, atAnswer(msisdn, 403, 'InvalidPhoneNumber'));
    expect(await sendOutboxSms(id)).to.equal('failed');
    expect((await db('sms_outbox').where({ id: String(id) }).first()).secret_sealed).to.equal(null);
    let refused: unknown;
    try {
      await db.transaction((trx) => retryOutboxSms(trx, String(id)));
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(SmsNotRetryableError);
    expect((await db('sms_outbox').where({ id: String(id) }).first()).status).to.equal('failed');
  });

  it('a sealed secret tampered with does not open', () => {
    const sealed = sealSecret('1234');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => openSecret([v, iv, tag, flipped.toString('base64url')].join('.'))).to.throw();
  });
});
