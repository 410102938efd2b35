/** The Lipa menu without I/O: transitions, save/restore, and every screen's length in both languages. */
import { expect } from 'chai';
import { createActor, fromPromise, waitFor } from 'xstate';
import { mainMenu, renderScreen, gsm7Length, SCREEN_LIMIT, type MenuInput, type Lang } from '../menus/index.js';

const LONG_NAME = 'MWANAISHA-WANJIRU NYAKWEBA HARDWARE & SUPPLIES';
const LONG_ACCOUNT = 'WWWWWWWWWWWWWWWWWWWW';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stand-ins accept any effect's input
const ok = <T>(value: T) => fromPromise<T, any>(async () => value);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fail = (failure: object) => fromPromise<any, any>(async () => Promise.reject(failure));

const receipt = { code: 'SKL4Q2M7XP', merchantName: LONG_NAME, accountRef: LONG_ACCOUNT, amountCents: '99999999900', balanceCents: '99999999999' };
const stubs = { lookupMerchant: ok({ merchantName: LONG_NAME }), quoteLipa: ok({ merchantName: LONG_NAME }), payMerchant: ok(receipt) };

function input(lang: Lang): MenuInput {
  return { sessionId: 's1', msisdn: '+254700000001', customer: { firstName: 'Amina', language: lang } };
}

/** Drives `machine` through `inputs`; returns every screen on the way (the first included). */
async function walk(actors: Record<string, unknown>, lang: Lang, inputs: string[]) {
  const actor = createActor(mainMenu.provide({ actors: { ...stubs, ...actors } as never }), { input: input(lang) }).start();
  const screens = [renderScreen(actor.getSnapshot())];
  let index = 0;
  for (const value of inputs) {
    actor.send({ type: 'INPUT', value, index: ++index });
    const snapshot = await waitFor(actor, (s) => s.status !== 'active' || s.hasTag('input'));
    screens.push(renderScreen(snapshot));
  }
  return { actor, screens };
}

const PAYBILL = ['4', '1', '888880', LONG_ACCOUNT, '999999999', '1', '1234'];
const TILL = ['4', '2', '555555', '999999999', '1', '1234'];

describe('Lipa menu machine', () => {
  it('Pay Bill walks menu → business → account → amount → confirm → pin → paid, with the idempotency key of the PIN input', async () => {
    let paid: Record<string, unknown> = {};
    const pay = fromPromise(async ({ input: i }: { input: Record<string, unknown> }) => ((paid = i), receipt));

    const { actor, screens } = await walk({ payMerchant: pay }, 'en', PAYBILL);

    expect(screens.map((s) => s.screen)).to.deep.equal(['home', 'lipa.menu', 'lipa.business', 'lipa.account', 'lipa.amount', 'lipa.confirm', 'lipa.pin', 'lipaPaid']);
    expect(paid).to.include({ kind: 'paybill', shortCode: '888880', accountRef: LONG_ACCOUNT, amountCents: '99999999900', pin: '1234', idempotencyKey: 'ussd:s1:7' });
    expect(actor.getSnapshot().status).to.equal('done');
  });

  it('Buy Goods skips the account number; 0 on the amount goes back to the till number', async () => {
    const { screens } = await walk({}, 'en', ['4', '2', '555555', '0', '555555', '100']);

    expect(screens.map((s) => s.screen)).to.deep.equal(['home', 'lipa.menu', 'lipa.business', 'lipa.amount', 'lipa.business', 'lipa.amount', 'lipa.confirm']);
    expect(screens[6].text).to.match(/^Pay KES 100 to .+ till 555555\?\nCharge KES 0\n1 Confirm/);
  });

  it('a merchant refusing the account number (C2B00012) re-asks it with the reason; another code ends the session', async () => {
    const refuse = (resultCode: string) => fail({ code: 'merchant_rejected', resultCode });

    const reasked = await walk({ payMerchant: refuse('C2B00012') }, 'en', PAYBILL);
    const ended = await walk({ payMerchant: refuse('C2B00011') }, 'en', PAYBILL);

    expect(reasked.screens.at(-1)!.screen).to.equal('lipa.account');
    expect(reasked.screens.at(-1)!.text).to.match(/did not accept that account number\.\nPay /);
    expect(ended.screens.at(-1)!.screen).to.equal('lipaRejected');
    expect(ended.screens.at(-1)!.text).to.contain('did not accept payments from your number. Nothing was paid.');
  });

  it('an unknown business number is asked again with a reason', async () => {
    const { screens } = await walk({ lookupMerchant: fail({ code: 'merchant_not_found' }) }, 'en', ['4', '1', '123456']);

    expect(screens.at(-1)!.screen).to.equal('lipa.business');
    expect(screens.at(-1)!.text).to.match(/^No business has that number\.\nPay Bill/);
  });

  it('a snapshot saved at the confirmation survives a JSON round trip and goes on to pay', async () => {
    const { actor } = await walk({}, 'en', PAYBILL.slice(0, 5));
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));

    const restored = createActor(mainMenu.provide({ actors: stubs as never }), { snapshot: saved, input: input('en') }).start();
    restored.send({ type: 'INPUT', value: '1', index: 6 });
    restored.send({ type: 'INPUT', value: '1234', index: 7 });
    const done = await waitFor(restored, (s) => s.status === 'done');

    expect(renderScreen(done).text).to.match(/^SKL4Q2M7XP Confirmed\. KES 999,999,999 paid to /);
  });

  for (const lang of ['en', 'sw'] as const) {
    it(`every Lipa screen fits ${SCREEN_LIMIT} GSM-7 characters in ${lang}, with the longest names, accounts and amounts and every error line`, async () => {
      const failures = [
        { code: 'merchant_rejected', resultCode: 'C2B00012' }, { code: 'merchant_rejected', resultCode: 'C2B00013' },
        ...['C2B00011', 'C2B00014', 'C2B00015', 'C2B00016', 'timeout', 'X'].map((resultCode) => ({ code: 'merchant_rejected', resultCode })),
        { code: 'merchant_not_found' }, { code: 'insufficient_funds' }, { code: 'limit_exceeded', limitName: 'per_day', limitCents: '15000000000' },
      ];
      const walks = [
        await walk({}, lang, PAYBILL),
        await walk({}, lang, TILL),
        await walk({}, lang, ['4', '9', '1', '12', '1', 'not*valid', LONG_ACCOUNT, 'abc', '999999999', '7']),
        await walk({ quoteLipa: fail({ code: 'limit_exceeded', limitName: 'per_transaction', limitCents: '7000000000' }) }, lang, PAYBILL.slice(0, 5)),
        ...(await Promise.all(failures.map((f) => walk({ payMerchant: fail(f) }, lang, PAYBILL)))),
        ...(await Promise.all(failures.map((f) => walk({ payMerchant: fail(f) }, lang, TILL)))),
      ];
      const screens = walks.flatMap((w) => w.screens);

      for (const s of screens) {
        expect(s.overflow, `${s.screen}: ${s.text}`).to.equal(false);
        expect(gsm7Length(s.text), `${s.screen}: ${s.text}`).to.be.at.most(SCREEN_LIMIT);
      }
      expect(new Set(screens.map((s) => s.screen))).to.include.members(['lipa.menu', 'lipa.business', 'lipa.account', 'lipa.amount', 'lipa.confirm', 'lipa.pin', 'lipaPaid', 'lipaRejected', 'lipaInsufficientFunds']);
    });
  }

  it('speaks Kiswahili to a customer who chose it', async () => {
    const { screens } = await walk({}, 'sw', PAYBILL);

    expect(screens[1].text).to.match(/^Lipa na Simu\n1 Lipa Bili\n2 Nunua Bidhaa/);
    expect(screens.at(-1)!.text).to.match(/^SKL4Q2M7XP Imethibitishwa\. KES 999,999,999 imelipwa kwa /);
  });
});
