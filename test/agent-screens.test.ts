/**
 * Every screen of Withdraw Cash and of the agent menu, in both languages, fits 182 GSM-7
 * characters with the longest names, numbers and amounts, under the longest error line it
 * can show. Rendered from a made-up snapshot: no I/O.
 */
import { expect } from 'chai';
import { renderScreen, gsm7Length, SCREEN_LIMIT, type MenuContext, type Lang } from '../menus/index.js';
import { agentWords } from '../menus/i18n/parts/agent.js';
import { withdrawWords } from '../menus/i18n/parts/withdraw.js';

const LONG_NAME = 'MWANAISHA-WANJIRU NYAKWEBA ODHIAMBO-KIPCHUMBA';
const MAX = '99999999900'; // KES 999,999,999: the most a 9-digit amount field holds
const line = { code: 'SKL4Q2M7XP', date: '23/11', party: LONG_NAME, amountCents: '-99999999900' };

function context(lang: Lang, floatMode: 'transfer' | 'sell', page: number): MenuContext {
  return {
    sessionId: 's', msisdn: '+254712345678', lang, statementPage: page,
    customer: { firstName: LONG_NAME, language: lang },
    agent: { agentNumber: '999999', name: LONG_NAME, kind: 'super_agent', language: lang },
    recipientMsisdn: '+254712345678', recipientName: LONG_NAME, amountCents: MAX, chargeCents: '10000',
    withdrawal: { agentNumber: '999999', storeNumber: '999999', agentName: LONG_NAME },
    withdrawalReceipt: { code: 'SKL4Q2M7XP', agentName: LONG_NAME, storeNumber: '999999', amountCents: MAX, chargeCents: '10000', balanceCents: '49999999900' },
    mpesaWithdrawal: { code: 'SKL4Q2M7XP', amountCents: MAX, chargeCents: '10000', balanceCents: '49999999900' },
    agentFlow: { floatMode, toAgentNumber: '999999', toAgentName: LONG_NAME, floatCents: MAX, commissionCents: MAX },
    agentReceipt: { code: 'SKL4Q2M7XP', amountCents: MAX, floatCents: MAX, commissionCents: MAX, name: LONG_NAME, msisdn: '+254712345678', agentNumber: '999999' },
    statement: Array.from({ length: 5 }, () => line),
    failure: { code: 'insufficient_float', floatCents: MAX, minutesLeft: 30, limitName: 'per_transaction', limitCents: MAX },
  };
}

/** The error lines each screen can show above it (besides none). */
const ERRORS: Record<string, Array<[string, Record<string, string>]>> = {
  'withdraw.agentNumber': [['withdraw.invalidAgent', {}], ['withdraw.noAgent', {}], ['withdraw.ownAgent', {}]],
  'withdraw.store': [['withdraw.invalidStore', {}], ['withdraw.noStore', { store: '999999' }]],
  'withdraw.amount': [['invalidAmount', {}], ['withdraw.limit.min_amount', { limitCents: MAX }], ['withdraw.limit.per_transaction', { limitCents: MAX }]],
  'withdraw.pin': [['invalidPin', {}], ['wrongPin', { left: 2 } as never]],
  'withdraw.mpesaAmount': [['invalidAmount', {}], ['withdraw.limit.min_amount', { limitCents: MAX }], ['withdraw.limit.per_transaction', { limitCents: MAX }]],
  'agent.depositNumber': [['invalidPhone', {}], ['agent.notRegistered', {}], ['agent.ownNumber', {}]],
  'agent.depositAmount': [['invalidAmount', {}], ['agent.limit.min_amount', { limitCents: MAX }], ['agent.limit.per_transaction', { limitCents: MAX }]],
  'agent.floatTo': [
    ['agent.invalidAgentNumber', {}], ['agent.noAgent', {}], ['agent.recipientSuspended', {}], ['agent.notAllowed.transfer', {}], ['agent.notAllowed.sell', {}],
  ],
  'agent.floatAmount': [['invalidAmount', {}]],
  'agent.newPin': [['invalidPin', {}], ['pinMismatch', {}], ['samePin', {}]],
};
const errorsOf = (path: string): Array<[string, Record<string, string>] | null> => [
  null,
  ['invalidChoice', {}],
  ...(ERRORS[path] ?? (/Pin$/.test(path) ? [['invalidPin', {}], ['wrongPin', { left: 2 }]] as Array<[string, Record<string, string>]> : [])),
];

describe('agent and withdraw screens', () => {
  for (const lang of ['en', 'sw'] as Lang[]) {
    it(`every screen fits 182 GSM-7 characters with the longest names and amounts (${lang})`, () => {
      const screens = Object.keys({ ...agentWords[lang].screens, ...withdrawWords[lang].screens });
      const finals = Object.keys({ ...agentWords[lang].finals, ...withdrawWords[lang].finals });
      let checked = 0;
      for (const floatMode of ['transfer', 'sell'] as const) {
        for (const page of [0, 1]) {
          const ctx = context(lang, floatMode, page);
          for (const path of screens) {
            const bare = renderScreen({ value: path, status: 'active', context: ctx }).text;
            for (const error of errorsOf(path)) {
              const snap = { value: path, status: 'active', context: { ...ctx, error: error ? { key: error[0], params: error[1] } : undefined } };
              const screen = renderScreen(snap);
              expect(screen.overflow, `${path} ${error?.[0]}: ${screen.text}`).to.equal(false);
              expect(gsm7Length(screen.text)).to.be.at.most(SCREEN_LIMIT);
              if (error) expect(screen.text.endsWith(`\n${bare}`), `${path} shows ${error[0]}`).to.equal(true);
              checked++;
            }
          }
          for (const path of finals) {
            const screen = renderScreen({ value: path, status: 'done', context: ctx });
            expect(screen.overflow, `${path}: ${screen.text}`).to.equal(false);
            checked++;
          }
        }
      }
      expect(checked).to.be.greaterThan(100);
    });
  }

  it('the agent home offers 7 to super agents only and 9 to agents who are also customers only', () => {
    const ctx = context('en', 'transfer', 0);
    const home = (c: MenuContext) => renderScreen({ value: 'agent.home', status: 'active', context: c }).text;
    expect(home(ctx)).to.equal('Simu Agent 999999\n1 Deposit\n2 Float balance\n3 Commission\n4 Transfer float\n5 Mini statement\n6 Change PIN\n7 Sell float\n9 Customer menu');
    expect(home({ ...ctx, customer: null, agent: { ...ctx.agent!, kind: 'agent' } })).not.to.match(/\n[79] /);
  });
});
