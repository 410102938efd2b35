/**
 * The SMS confirmation as a part of the menu machine, modelled as test/menus-graph.test.ts
 * models the menus: from each kind of pending request (`MenuInput.smsConfirmation`) every
 * simple path (every effect succeeding; inputs valid, invalid, back, home) is enumerated.
 * Every state reached lies on a path that ends (paths stop at the home menu, which `0`/`00`
 * lead to and the main model covers), every screen fits 182 GSM-7 characters in both
 * languages with the longest names and amounts, and the PIN screen is tagged `pin` (the
 * runner redacts its input). No ordinary dial reaches these states (see menus-graph).
 */
import { expect } from 'chai';
import { createActor, waitFor } from 'xstate';
import { getSimplePaths } from '@xstate/graph';
import { mainMenu, renderScreen, statePath, type Lang, type MenuContext, type MenuInput, type SmsConfirmationView, type SmsCommandKind } from '../menus/index.js';

const LONG = 'Wanjiku Kamau-Njoroge Elizabeth';
const view = (kind: SmsCommandKind): SmsConfirmationView => ({
  requestId: '123456789', kind, amountCents: '999999900', chargeCents: '10500',
  recipientMsisdn: '+254712345678', recipientName: LONG.toUpperCase(), shortCode: '5555555', accountRef: 'ABCDEFGHIJ-123456789', merchantName: LONG,
  chamaId: 7, chamaName: LONG, loanId: '42', productName: 'Biashara Loan Plus Extra 1',
});

/** What every effect answers in the model: each payment menu's receipt, the longest figures. */
const OUTPUT = {
  code: 'SKL4Q2M7XP', amountCents: '999999900', chargeCents: '10500', recipientName: LONG.toUpperCase(), recipientMsisdn: '+254712345678', balanceCents: '999999999',
  merchantName: LONG, accountRef: 'ABCDEFGHIJ-123456789',
  chamaReceipt: { code: 'SKL4Q2M7XP', amountCents: '999999999', finesPaidCents: '999999999', stillDueCents: '999999999', savedCents: '999999999', walletBalanceCents: '999999999' },
  loanRepayment: { code: 'SKL4Q2M7XP', productName: 'Biashara Loan Plus Extra', amountCents: '999999999', outstandingCents: '999999999', walletBalanceCents: '999999999' },
};

type Snap = { value: unknown; status: string; children: Record<string, unknown>; context: MenuContext };

function modelPaths(input: Partial<MenuInput>) {
  return getSimplePaths(mainMenu, {
    input: { sessionId: 'model', msisdn: '+254700000001', customer: { firstName: 'Amina', language: 'en' }, agent: null, ...input },
    serializeState: (s) => JSON.stringify([(s as unknown as Snap).value, (s as unknown as Snap).context.error?.key ?? null]),
    events: (s) => {
      const snap = s as unknown as Snap;
      const invoked = Object.keys(snap.children ?? {});
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (invoked.length) return invoked.map((id) => ({ type: `xstate.done.actor.${id}`, output: OUTPUT })) as any;
      if (snap.status !== 'active' || statePath(snap.value) === 'home') return [];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return ['1234', 'x', '0', '00'].map((value) => ({ type: 'INPUT', value, index: 2 })) as any;
    },
  });
}

const RECEIPT: Record<SmsCommandKind, string> = { send: 'sent', paybill: 'lipaPaid', till: 'lipaPaid', contribute: 'chamaContributed', repay: 'loanRepaid' };

function renders(value: unknown, status: string, context: MenuContext) {
  for (const lang of ['en', 'sw'] as Lang[]) {
    const screen = renderScreen({ value, status, context: { ...context, lang } });
    expect(screen.overflow, `${lang} ${statePath(value)}: ${screen.text}`).to.equal(false);
  }
}

describe('menu model: the SMS confirmation', () => {
  for (const kind of Object.keys(RECEIPT) as SmsCommandKind[]) {
    it(`a pending ${kind}: every state lies on a path that ends, at the ${RECEIPT[kind]} receipt, and every screen fits`, () => {
      const paths = modelPaths({ smsConfirmation: view(kind) });
      const reached = new Set(paths.map((p) => statePath(p.state.value)));
      expect(reached).to.include('smsConfirm.pin').and.include(RECEIPT[kind]).and.include('home');
      const ending = new Set(paths.filter((p) => p.state.status === 'done').flatMap((p) => p.steps.map((s) => statePath(s.state.value))));
      for (const state of reached) if (state !== 'home') expect(ending.has(state), state).to.equal(true);
      const finals = new Set(paths.filter((p) => p.state.status === 'done').map((p) => statePath(p.state.value)));
      expect([...finals]).to.deep.equal([RECEIPT[kind]]);
      for (const p of paths) renders(p.state.value, p.state.status, (p.state as unknown as Snap).context);
      // The PIN screen with either error line above it.
      const pin = paths.find((p) => statePath(p.state.value) === 'smsConfirm.pin')!.state as unknown as Snap;
      for (const key of ['wrongPin', 'invalidPin']) renders(pin.value, 'active', { ...pin.context, error: { key, params: { left: 2 } } });
    });
  }

  it('tags the PIN screen `pin` and `input`, and keeps no PIN in the persisted snapshot', async () => {
    const stubs = { sendMoney: async () => { throw new Error('not in this test'); } };
    const actor = createActor(mainMenu.provide({ actors: stubs as never }), {
      input: { sessionId: 's', msisdn: '+254700000001', customer: { firstName: 'Amina', language: 'en' }, agent: null, smsConfirmation: view('send') },
    }).start();
    const snap = await waitFor(actor, (s) => s.hasTag('input'));
    expect(statePath(snap.value)).to.equal('smsConfirm.pin');
    expect(snap.hasTag('pin')).to.equal(true);
    actor.send({ type: 'INPUT', value: '77x', index: 2 });
    expect(JSON.stringify(actor.getPersistedSnapshot())).not.to.contain('77x');
    actor.stop();
  });

  it('a stale code ends at once; the failure screens fit', () => {
    const paths = modelPaths({ smsConfirmationStale: true });
    expect(paths.map((p) => statePath(p.state.value))).to.deep.equal(['smsConfirmStale']);
    const context = paths[0].state.context as unknown as MenuContext;
    renders('smsConfirmStale', 'done', context);
    for (const code of ['loan_overpayment', 'unexpected']) renders('smsConfirmFailed', 'done', { ...context, failure: { code } });
  });
});
