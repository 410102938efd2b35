/** The Buy Airtime menu without I/O: its paths, and every screen's length in both languages. */
import { expect } from 'chai';
import { createActor, fromPromise, waitFor } from 'xstate';
import { mainMenu, renderScreen, gsm7Length, SCREEN_LIMIT, type MenuInput, type MenuContext, type Lang } from '../menus/index.js';
import type { BuyAirtimeInput } from '../menus/airtime-actors.js';

const bought: BuyAirtimeInput[] = [];
const menu = mainMenu.provide({
  actors: {
    buyAirtime: fromPromise(async ({ input }: { input: BuyAirtimeInput }) => {
      bought.push(input);
      return { code: 'SKL4Q2M7XP', amountCents: input.amountCents, recipientMsisdn: input.recipientMsisdn, balanceCents: '49999999900' };
    }),
  },
});

function input(lang: Lang): MenuInput {
  return { sessionId: 'air1', msisdn: '+254700000001', customer: { firstName: 'Amina', language: lang } };
}

async function drive(lang: Lang, inputs: string[]) {
  const actor = createActor(menu, { input: input(lang) }).start();
  const settled = (s: ReturnType<typeof actor.getSnapshot>) => s.status !== 'active' || s.hasTag('input');
  let snapshot = await waitFor(actor, settled);
  inputs.forEach((value, i) => actor.send({ type: 'INPUT', value, index: i + 1 }));
  snapshot = await waitFor(actor, settled);
  actor.stop();
  return snapshot;
}

/** The longest context each airtime screen can show. */
const LONGEST: Partial<MenuContext> = {
  recipientMsisdn: '+254712345678',
  amountCents: '1000000',
  receipt: { code: 'SKL4Q2M7XP', amountCents: '1000000', chargeCents: '0', recipientName: '', recipientMsisdn: '+254712345678', balanceCents: '49999999900' },
  failure: { code: 'limit_exceeded', limitName: 'per_day', limitCents: '15000000' },
};

const SCREENS = ['airtime.whom', 'airtime.number', 'airtime.amount', 'airtime.confirm', 'airtime.pin'];
const FINALS = ['airtimeRequested', 'airtimeInsufficientFunds'];
const ERRORS: Array<{ key: string; params?: Record<string, number> }> = [
  { key: 'airtime.amountRange' }, { key: 'invalidAmount' }, { key: 'invalidPhone' }, { key: 'invalidChoice' }, { key: 'invalidPin' }, { key: 'wrongPin', params: { left: 2 } },
];

function render(lang: Lang, path: string, done: boolean, error?: { key: string; params?: Record<string, number> }) {
  const [top, inner] = path.split('.');
  const context = { ...input(lang), lang, ...LONGEST, error } as MenuContext;
  return renderScreen({ value: inner ? { [top]: inner } : top, status: done ? 'done' : 'active', context });
}

describe('Buy Airtime menu (pure)', () => {
  it('my number: amount, confirmation and PIN buy airtime for the caller with the key of the PIN input', async () => {
    bought.length = 0;

    const end = await drive('en', ['3', '1', '50', '1', '1234']);

    expect(end.value).to.equal('airtimeRequested');
    expect(bought).to.deep.equal([{ payerMsisdn: '+254700000001', recipientMsisdn: '+254700000001', amountCents: '5000', pin: '1234', idempotencyKey: 'ussd:air1:5' }]);
  });

  it('another number: takes it in any common Kenyan format and buys for it in E.164', async () => {
    for (const form of ['0712345678', '712345678', '254712345678', '+254712345678']) {
      bought.length = 0;

      await drive('en', ['3', '2', form, '10000', '1', '4321']);

      expect(bought[0], form).to.include({ recipientMsisdn: '+254712345678', amountCents: '1000000' });
    }
  });

  it('an amount under KES 5, over KES 10,000 or not whole re-asks with a reason and buys nothing', async () => {
    const low = await drive('en', ['3', '1', '4']);
    const high = await drive('en', ['3', '1', '10001']);
    const text = await drive('en', ['3', '1', '5.5']);

    expect(low.value).to.deep.equal({ airtime: 'amount' });
    expect(renderScreen(low).text).to.match(/^Airtime is KES 5 to KES 10,000\.\nAirtime for 0700000001/);
    expect(renderScreen(high).text).to.match(/^Airtime is KES 5 to KES 10,000\./);
    expect(renderScreen(text).text).to.match(/^Enter a whole amount in KES\./);
  });

  it('0 goes back and 00 goes home on every airtime screen', async () => {
    expect((await drive('en', ['3', '2', '0'])).value).to.deep.equal({ airtime: 'whom' });
    expect((await drive('en', ['3', '1', '50', '0'])).value).to.deep.equal({ airtime: 'amount' });
    expect((await drive('en', ['3', '1', '50', '1', '0'])).value).to.deep.equal({ airtime: 'confirm' });
    expect((await drive('en', ['3', '1', '0'])).value).to.deep.equal({ airtime: 'whom' });
    expect((await drive('en', ['3', '0'])).value).to.equal('home');
    expect((await drive('en', ['3', '2', '0712345678', '00'])).value).to.equal('home');
  });

  for (const lang of ['en', 'sw'] as const) {
    it(`every airtime screen, with its longest values and any error line, fits 182 GSM-7 characters in ${lang}`, () => {
      const screens = [
        ...SCREENS.flatMap((path) => [render(lang, path, false), ...ERRORS.map((e) => render(lang, path, false, e))]),
        ...FINALS.map((path) => render(lang, path, true)),
      ];

      for (const screen of screens) {
        expect(screen.overflow, `${lang} ${screen.screen}: ${screen.text}`).to.equal(false);
        expect(gsm7Length(screen.text), screen.screen).to.be.at.most(SCREEN_LIMIT);
      }
    });
  }

  it('every airtime screen has its own words in Kiswahili', () => {
    for (const path of [...SCREENS, ...FINALS]) {
      const done = FINALS.includes(path);

      expect(render('sw', path, done).text, path).to.not.equal(render('en', path, done).text);
    }
  });
});
