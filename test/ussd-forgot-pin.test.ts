/**
 * My Account → 6 Forgot PIN: national ID, a one-time code by SMS, the new PIN twice.
 * Three wrong answers lock Forgot PIN like a PIN; codes are hashed, masked and redacted.
 */
import { expect } from 'chai';
import Transport from 'winston-transport';
import { db } from '../src/db/index.js';
import { logger } from '../src/logger/index.js';
import { completePinReset, requestPinReset, verifyPin, ResetExpiredError, ResetLockedError, type Customer } from '../src/customers/index.js';
import { Dial } from './helpers/ussd.js';
import { admin, adminKey } from './helpers/admin.js';
import { makeCustomer, assertLedgerSound } from './helpers/customers.js';
import { carriesPin } from './helpers/pin.js';
import { textToSend } from '../src/sms/index.js';

const nationalIdOf = async (c: Customer): Promise<string> => (await db('customers').where({ id: c.id }).first('national_id')).national_id;

/** The newest one-time code sent to `c` (read from the SMS outbox, as the phone would). */
async function lastCode(c: Customer): Promise<string> {
  const row = await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' }).orderBy('id', 'desc').first('message', 'secret_sealed');
  const code = /\b([0-9]{6})\b/.exec(row ? textToSend(row.message, row.secret_sealed) : '')?.[1];
  if (!code) throw new Error(`no reset code SMS for ${c.msisdn}`);
  return code;
}

/** Dials *384#, 8 My Account, 6 Forgot PIN and types the national ID. Returns the phone and the screen. */
async function askForCode(c: Customer, nationalId?: string): Promise<{ phone: Dial; screen: string }> {
  const phone = new Dial(c.msisdn);
  await phone.typeAll('8', '6');
  return { phone, screen: await phone.type(nationalId ?? (await nationalIdOf(c))) };
}

async function expectRefusal(p: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).to.be.instanceOf(type);
}

describe('USSD Forgot PIN', () => {
  afterEach(assertLedgerSound);

  it('resets a locked PIN: national ID, the code from the SMS, the new PIN twice; the old PIN stops working', async () => {
    const c = await makeCustomer(100);
    await db('customers').where({ id: c.id }).update({ pin_locked_until: db.raw(`now() + interval '30 minutes'`), pin_failed_attempts: 0 });
    const first = new Dial(c.msisdn);
    expect(await first.typeAll('8', '6')).to.equal('CON Forgot PIN\nEnter your national ID number\n0 Back 00 Home');
    const { phone, screen } = await askForCode(c);
    expect(screen).to.match(/^CON We have sent you a 6-digit code by SMS\. Enter the code/);
    const code = await lastCode(c);
    const sms = await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' }).first('message', 'secret_sealed');
    expect(textToSend(sms.message, sms.secret_sealed)).to.match(/^Your Simu PIN reset code is [0-9]{6}\. It expires in 10 minutes\./);
    // The outbox never holds the code in clear: only sealed, next to a placeholder.
    expect(sms.message).to.equal('Your Simu PIN reset code is {secret}. It expires in 10 minutes. Never share it with anyone, even Simu staff.');
    expect(sms.secret_sealed).not.to.contain(await lastCode(c));
    expect(await phone.type(code)).to.match(/^CON Choose a new 4-digit PIN/);
    expect(await phone.type('4321')).to.match(/^CON Enter the new PIN again/);
    expect(await phone.type('4321')).to.equal('END Your new PIN is set and ready to use. You will receive an SMS.');

    const row = await db('customers').where({ id: c.id }).first();
    expect(row.pin_locked_until).to.equal(null);
    expect((await verifyPin(c.msisdn, '4321')).id).to.equal(c.id);
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_changed' }).pluck('message')).to.deep.equal([
      'Your Simu PIN was reset with Forgot PIN. If you did not do this, call Simu care on 100 now.',
    ]);
    const resets = await db('pin_resets').where({ customer_id: c.id });
    expect(resets).to.have.length(1);
    expect(resets[0].code_hash).not.to.contain(code);
    expect(resets[0].consumed_at).to.be.instanceOf(Date);
    expect(await new Dial(c.msisdn).typeAll('8', '1', '1234')).to.match(/^CON Wrong PIN\. 2 tries left\./);
  });

  it('asks the new PIN again when the two do not match', async () => {
    const c = await makeCustomer();
    const { phone } = await askForCode(c);
    await phone.typeAll(await lastCode(c), '4321');
    expect(await phone.type('4322')).to.match(/^CON The PINs did not match\. Try again\.\nChoose a new 4-digit PIN/);
    await phone.type('5555');
    expect(await phone.type('5555')).to.match(/^END Your new PIN is set/);
    expect((await verifyPin(c.msisdn, '5555')).id).to.equal(c.id);
  });

  it('a wrong national ID re-asks with the tries left; the third locks Forgot PIN, sends an SMS and sends no code', async () => {
    const c = await makeCustomer();
    const phone = new Dial(c.msisdn);
    await phone.typeAll('8', '6');
    expect(await phone.type('11111111')).to.match(/^CON That ID does not match this number\. 2 tries left\.\nForgot PIN/);
    expect(await phone.type('11111112')).to.match(/^CON That ID does not match this number\. 1 try left\./);
    expect(await phone.type('11111113')).to.match(/^END Forgot PIN is locked after 3 wrong answers\. Try again in 30 minutes/);
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' })).to.have.length(0);
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_locked' }).pluck('message')).to.have.length(1);
    // Even the right ID is refused while locked.
    expect((await askForCode(c)).screen).to.match(/^END Forgot PIN is locked/);
  });

  it('three wrong codes lock Forgot PIN and void the code; the right code is refused after', async () => {
    const c = await makeCustomer();
    const { phone } = await askForCode(c);
    const code = await lastCode(c);
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await phone.type(wrong)).to.match(/^CON Wrong code\. 2 tries left\./);
    expect(await phone.type('12ab')).to.match(/^CON The code is 6 digits\./);
    expect(await phone.type(wrong)).to.match(/^CON Wrong code\. 1 try left\./);
    expect(await phone.type(wrong)).to.match(/^END Forgot PIN is locked/);
    const live = await db('pin_resets').where({ customer_id: c.id }).whereNull('consumed_at');
    expect(live).to.have.length(0);
    await db('customers').where({ id: c.id }).update({ reset_locked_until: null });
    expect(await new Dial(c.msisdn).typeAll('8', '6', await nationalIdOf(c), code)).to.match(/^CON Wrong code\./);
  });

  it('an expired code ends the session and says how to get a new one', async () => {
    const c = await makeCustomer();
    const { phone } = await askForCode(c);
    await db('pin_resets').where({ customer_id: c.id }).update({ expires_at: db.raw(`now() - interval '1 minute'`) });
    expect(await phone.type(await lastCode(c))).to.equal('END Your code has expired. Dial again and choose My Account > 6 Forgot PIN for a new code.');
  });

  it('a code that arrives late still works in a later session; only the session that proved it may set the PIN', async () => {
    const c = await makeCustomer();
    await askForCode(c);
    const firstCode = await lastCode(c);
    const { phone } = await askForCode(c);
    expect(await lastCode(c)).to.be.a('string');
    expect(await phone.type(firstCode)).to.match(/^CON Choose a new 4-digit PIN/);
    await expectRefusal(completePinReset(c.msisdn, 'ATUid_someone_else', '9999'), ResetExpiredError);
    await phone.type('2468');
    expect(await phone.type('2468')).to.match(/^END Your new PIN is set/);
    await expectRefusal(completePinReset(c.msisdn, phone.sessionId, '1357'), ResetExpiredError);
    expect((await verifyPin(c.msisdn, '2468')).id).to.equal(c.id);
  });

  it('sends at most 3 codes in 30 minutes', async () => {
    const c = await makeCustomer();
    const id = await nationalIdOf(c);
    for (let i = 0; i < 3; i += 1) await requestPinReset(c.msisdn, id);
    await expectRefusal(requestPinReset(c.msisdn, id), ResetLockedError);
    expect(await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' })).to.have.length(3);
  });

  it('speaks Kiswahili to a Kiswahili speaker, on screen and by SMS', async () => {
    const c = await makeCustomer();
    await db('customers').where({ id: c.id }).update({ language: 'sw' });
    const phone = new Dial(c.msisdn);
    expect(await phone.typeAll('8', '6')).to.match(/^CON Umesahau PIN\nWeka nambari yako ya kitambulisho/);
    expect(await phone.type(await nationalIdOf(c))).to.match(/^CON Tumekutumia nambari ya tarakimu 6 kwa SMS/);
    const sms = await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' }).first('message', 'secret_sealed');
    expect(textToSend(sms.message, sms.secret_sealed)).to.match(/^Nambari yako ya kubadilisha PIN ya Simu ni [0-9]{6}\./);
  });

  it('keeps the code out of the logs and masks it in the admin SMS view', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = new (class extends Transport {
      override log(info: Record<string, unknown>, next: () => void) {
        lines.push(JSON.parse(JSON.stringify(info)));
        next();
      }
    })({ level: 'debug' });
    const wasSilent = logger.silent ?? false;
    logger.silent = false;
    for (const t of logger.transports) t.silent = true;
    logger.add(capture);
    const c = await makeCustomer();
    let code = '';
    try {
      const { phone } = await askForCode(c);
      code = await lastCode(c);
      await phone.type(code);
    } finally {
      logger.remove(capture);
      for (const t of logger.transports) t.silent = false;
      logger.silent = wasSilent;
    }
    const hops = lines.filter((l) => l.message === 'ussd hop' && typeof l.text === 'string' && (l.text as string).startsWith('8*6*'));
    expect(hops.map((l) => l.text)).to.include(`8*6*${await nationalIdOf(c)}*[pin]`);
    for (const line of lines) expect(carriesPin(line, code, ['requestId', 'sessionId', 'jobId']), JSON.stringify(line)).to.equal(false);

    const row = await db('sms_outbox').where({ msisdn: c.msisdn, kind: 'pin_reset_code' }).first('id');
    const res = await admin('GET', `/sms/${row.id}`, { key: await adminKey('read') });
    expect(res.status).to.equal(200);
    expect(res.body.message).to.match(/^Your Simu PIN reset code is \*{6}\./);
    expect(res.body.message).not.to.contain(code);
  });
});
