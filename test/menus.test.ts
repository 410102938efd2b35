/** The menu machine without I/O: transitions, save/restore, and every screen's length. */
import { expect } from 'chai';
import { createActor, fromPromise, waitFor } from 'xstate';
import { mainMenu, renderScreen, gsm7Length, SCREEN_LIMIT, type MenuInput, type Effects } from '../menus/index.js';
import { toGsm7 } from '../menus/gsm7.js';

const LONG_NAME = 'MWANAISHA-WANJIRU NYAKWEBA ODHIAMBO-KIPCHUMBA';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stand-ins accept any effect's input
const ok = <T>(value: T) => fromPromise<T, any>(async () => value);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fail = (failure: object) => fromPromise<any, any>(async () => Promise.reject(failure));

const happy = mainMenu.provide({
  actors: {
    lookupRecipient: ok({ recipientName: LONG_NAME }),
    quoteSendMoney: ok({ chargeCents: '5000' }),
    sendMoney: ok({ code: 'SKL4Q2M7XP', amountCents: '7000000', chargeCents: '5000', recipientName: LONG_NAME, recipientMsisdn: '+254712345678', balanceCents: '49999999900' }),
    checkBalance: ok({ balanceCents: '49999999900' }),
    verifyPin: ok({}),
    sealPin: ok({ seal: 'ab'.repeat(32) }),
    setPin: ok({}),
    register: ok({ firstName: LONG_NAME }),
  },
});

const registered: MenuInput = { sessionId: 's1', msisdn: '+254700000001', customer: { firstName: 'Amina', language: 'en' } };

async function drive(machine: typeof happy, input: MenuInput, inputs: string[]) {
  const actor = createActor(machine, { input }).start();
  let index = 0;
  for (const value of inputs) {
    actor.send({ type: 'INPUT', value, index: ++index });
    await waitFor(actor, (s) => s.status !== 'active' || s.hasTag('input'));
  }
  return actor;
}

describe('main menu machine', () => {
  it('send money walks recipient → amount → confirm → pin → sent', async () => {
    const actor = await drive(happy, registered, ['1', '0712345678', '70000', '1', '7391']);
    const s = actor.getSnapshot();
    expect(s.value).to.equal('sent');
    expect(s.context.receipt?.code).to.equal('SKL4Q2M7XP');
    expect(JSON.stringify(s.context)).not.to.contain('7391');
  });

  it('passes ussd:<sessionId>:<n> as the idempotency key, n being the PIN input', async () => {
    let key = '';
    const spy = happy.provide({
      actors: {
        sendMoney: fromPromise<any, Effects['sendMoney']['input']>(async ({ input }) => {
          key = input.idempotencyKey;
          return Promise.reject({ code: 'unexpected' });
        }),
      },
    });
    await drive(spy, registered, ['1', '0712345678', '10', '1', '1234']);
    expect(key).to.equal('ussd:s1:5');
  });

  it('a wrong PIN returns to the PIN screen with the tries left', async () => {
    const m = happy.provide({ actors: { sendMoney: fail({ code: 'wrong_pin', attemptsLeft: 2 }) } });
    const s = (await drive(m, registered, ['1', '0712345678', '10', '1', '9999'])).getSnapshot();
    expect(s.value).to.deep.equal({ sendMoney: 'pin' });
    expect(renderScreen(s).text).to.match(/^Wrong PIN\. 2 tries left\./);
  });

  it('an unregistered number starts at registration', () => {
    const actor = createActor(happy, { input: { ...registered, customer: null } }).start();
    expect(actor.getSnapshot().value).to.deep.equal({ register: 'language' });
  });

  it('survives a JSON round trip of its persisted snapshot at every input state', async () => {
    const actor = await drive(happy, registered, ['1', '0712345678', '500']);
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    const restored = createActor(happy, { snapshot: saved, input: registered }).start();
    expect(restored.getSnapshot().value).to.deep.equal({ sendMoney: 'confirm' });
    restored.send({ type: 'INPUT', value: '1', index: 4 });
    expect(restored.getSnapshot().value).to.deep.equal({ sendMoney: 'pin' });
  });

  for (const language of ['en', 'sw'] as const) it(`every screen fits 182 GSM-7 characters with the longest names and amounts (${language})`, async () => {
    const registered: MenuInput = { sessionId: 's1', msisdn: '+254700000001', customer: { firstName: 'Amina', language } };
    const paths: string[][] = [
      [], ['1'], ['1', '0712345678'], ['1', '0712345678', '70000'], ['1', '0712345678', '70000', '1'],
      ['1', '0712345678', '70000', '1', '1234'], ['8'], ['8', '1'], ['8', '1', '1234'], ['8', '2'], ['8', '2', '1234'],
      ['8', '2', '1234', '5678'], ['8', '2', '1234', '5678', '5678'], ['8', '3'], ['8', '3', '2'], ['2'], ['x'], ['x', 'x', 'x'],
      ['1', 'x'], ['1', '0712345678', 'x'],
    ];
    const failures = [
      { code: 'wrong_pin', attemptsLeft: 2 }, { code: 'pin_locked', minutesLeft: 30 }, { code: 'insufficient_funds' },
      { code: 'limit_exceeded', limitName: 'max_balance', limitCents: '50000000' }, { code: 'unexpected' },
    ];
    const screens: string[] = [];
    for (const p of paths) screens.push(renderScreen((await drive(happy, registered, p)).getSnapshot()).text);
    for (const f of failures) {
      const m = happy.provide({ actors: { sendMoney: fail(f), quoteSendMoney: fail({ code: 'limit_exceeded', limitName: 'per_transaction', limitCents: '7000000' }) } });
      screens.push(renderScreen((await drive(m, registered, ['1', '0712345678', '70000', '1', '1234'])).getSnapshot()).text);
    }
    const unregistered = { ...registered, customer: null };
    for (const p of [[], ['2'], ['2', '1'], ['2', '1', 'Jane'], ['2', '1', 'Jane', 'Doe'], ['2', '1', 'Jane', 'Doe', '12345678'], ['2', '1', 'Jane', 'Doe', '12345678', '1234'], ['2', '1', 'Jane', 'Doe', '12345678', '1234', '1234'], ['1', '2']]) {
      screens.push(renderScreen((await drive(happy, unregistered, p)).getSnapshot()).text);
    }
    for (const text of screens) expect(gsm7Length(text), text).to.be.at.most(SCREEN_LIMIT);
    expect(screens.length).to.be.greaterThan(25);
  });

  it('makes text GSM-7: drops accents GSM-7 lacks and counts extension characters twice', () => {
    expect(toGsm7('Wanjirũ Ñjoroge “Ken”')).to.equal('Wanjiru Ñjoroge "Ken"');
    expect(gsm7Length('a€[')).to.equal(5);
  });
});
