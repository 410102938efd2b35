/**
 * Model-based test of the *384# menu: @xstate/graph enumerates every simple path of the
 * machine (no state twice; per screen one input of each kind: valid, invalid, back, home;
 * every effect succeeding), and each path is driven through POST /ussd as one first hop
 * carrying its inputs, for a caller in each language. Every screen reached must start
 * `CON `/`END ` and fit 182 GSM-7 characters, and every state must lie on a path that ends.
 * Prefixes of simple paths are simple paths, so every screen on every path is checked.
 */
import { expect } from 'chai';
import { getSimplePaths } from '@xstate/graph';
import { mainMenu, gsm7Length, renderScreen, SCREEN_LIMIT, statePath, type MenuInput, type Lang, type MenuContext } from '../menus/index.js';
import { db } from '../src/db/index.js';
import { Dial } from './helpers/ussd.js';
import { makeCustomer, randomMsisdn } from './helpers/customers.js';
import { makeAgent } from './helpers/agents.js';

/** One valid input per screen (several where each leads somewhere else); others get '1'. */
const VALID: Record<string, string[]> = {
  home: ['1', '2', '3', '4', '5', '6', '7', '8'],
  'sendMoney.recipient': ['0700000002'],
  'sendMoney.amount': ['500'],
  'sendMoney.confirm': ['1'],
  'sendMoney.pin': ['1234'],
  'account.menu': ['1', '2', '3', '4', '5', '6', '7'],
  'account.topUpAmount': ['500'],
  'account.forgotId': ['12345678'],
  'account.resetCode': ['123456'],
  'account.resetNewPin': ['5678'],
  'account.confirmResetPin': ['5678'],
  'account.statementPin': ['1234'],
  'account.statement': ['98'],
  'account.balancePin': ['1234'],
  'account.currentPin': ['1234'],
  'account.newPin': ['5678'],
  'account.confirmNewPin': ['5678'],
  'account.language': ['1', '2'],
  'register.language': ['1', '2'],
  'register.intro': ['1', '2'],
  'register.firstName': ['Jane'],
  'register.lastName': ['Doe'],
  'register.nationalId': ['12345678'],
  'register.newPin': ['5678'],
  'register.confirmPin': ['5678'],
  'airtime.whom': ['1', '2'],
  'airtime.number': ['0700000002'],
  'airtime.amount': ['50'],
  'airtime.confirm': ['1'],
  'airtime.pin': ['1234'],
  'lipa.menu': ['1', '2'],
  'lipa.business': ['888880'],
  'lipa.account': ['12345'],
  'lipa.amount': ['500'],
  'lipa.confirm': ['1'],
  'lipa.pin': ['1234'],
  'withdraw.choose': ['1', '2'],
  'withdraw.mpesaAmount': ['500'],
  'withdraw.mpesaConfirm': ['1'],
  'withdraw.mpesaPin': ['1234'],
  'withdraw.agentNumber': ['100200'],
  'withdraw.store': ['1'],
  'withdraw.amount': ['500'],
  'withdraw.confirm': ['1'],
  'withdraw.pin': ['1234'],
  // School Fees: the model lists 4 schools and 4 students (5 is the paybill / admission entry).
  // Driven for real, a fresh caller is nobody's guardian: paybill 600100 and ADM001 then lead on.
  'fees.school': ['5'],
  'fees.paybill': ['600100'],
  'fees.student': ['5'],
  'fees.admission': ['adm001'],
  'fees.statement': ['1', '2'],
  'fees.walletAmount': ['500'],
  'fees.confirm': ['1'],
  'fees.pin': ['1234'],
  'fees.mpesaAmount': ['500'],
  // Loans: the model lends within its limit (KES 100 - 50,000) and lists two open loans. Driven for real, a
  // fresh caller has no history (Apply ends with the reason) and no loan (Repay and Loan status end).
  'loans.menu': ['1', '2', '3'],
  'loans.product': ['1'],
  'loans.amount': ['500'],
  'loans.terms': ['1'],
  'loans.pin': ['1234'],
  'loans.pickLoan': ['1'],
  'loans.repayAmount': ['1'],
  'loans.repayPin': ['1234'],
  // Chama: the model's caller chairs six chamas (two pages); Approve requests lists a loan first (so 2 Declines);
  // the group asks one guarantor. Driven for real, a fresh caller is in no chama (Chama ends saying how to join).
  'chama.list': ['98', '1'],
  'chama.menu': ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'chama.contributeAmount': ['1'],
  'chama.contributeConfirm': ['1'],
  'chama.contributePin': ['1234'],
  'chama.payoutReview': ['1', '2'],
  'chama.payoutPin': ['1234'],
  'chama.members': ['1', '9'],
  'chama.newMemberPhone': ['0700000002'],
  'chama.newMemberConfirm': ['1'],
  'chama.memberRole': ['2'],
  'chama.rolePin': ['1234'],
  'chama.requests': ['1'],
  'chama.requestReview': ['1', '2'],
  'chama.requestPin': ['1234'],
  'chama.loansMenu': ['1', '2', '3'],
  'chama.loanAmount': ['500'],
  'chama.guarantor': ['0700000002'],
  'chama.loanConfirm': ['1'],
  'chama.loanPin': ['1234'],
  'chama.guarantees': ['1'],
  'chama.guaranteeReview': ['1', '2'],
  'chama.guaranteePin': ['1234'],
  'chama.groupLoans': ['1'],
  'chama.groupRepayAmount': ['1'],
  'chama.groupRepayPin': ['1234'],
  'chama.leaveConfirm': ['1'],
  'chama.leavePin': ['1234'],
  // 7 is offered to super agents only and 9 to agents who are also customers (see kinds()).
  'agent.home': ['1', '2', '3', '4', '5', '6', '7', '9'],
  'agent.depositNumber': ['0700000002'],
  'agent.depositAmount': ['500'],
  'agent.depositConfirm': ['1'],
  'agent.depositPin': ['1234'],
  'agent.balancePin': ['1234'],
  'agent.commissionPin': ['1234'],
  'agent.commission': ['1', '2'],
  'agent.commissionStatement': ['98'],
  'agent.commissionConfirm': ['1'],
  'agent.floatTo': ['900900'],
  'agent.floatAmount': ['500'],
  'agent.floatConfirm': ['1'],
  'agent.floatPin': ['1234'],
  'agent.statementPin': ['1234'],
  'agent.statement': ['98'],
  'agent.currentPin': ['1234'],
  'agent.newPin': ['5678'],
  'agent.confirmNewPin': ['5678'],
};
/**
 * The inputs tried at a screen. The agent home offers 7 and 9 only to some callers; where
 * it does not, they are invalid like `x`, which would only duplicate x's paths.
 */
function kinds(path: string, context: Snap['context']): string[] {
  const valid = (VALID[path] ?? ['1']).filter(
    (v) => path !== 'agent.home' || (v === '7' ? context.agent?.kind === 'super_agent' : v === '9' ? context.customer !== null : true),
  );
  return [...valid, 'x', '0', '00'];
}

/** What every effect answers in the model (fields any menu's effects may give back). */
const OUTPUT = {
  recipientName: 'BRIAN OTIENO', recipientMsisdn: '+254700000002', chargeCents: '500', code: 'SKL4Q2M7XP',
  amountCents: '50000', balanceCents: '949500', seal: 'ab'.repeat(32), firstName: 'Jane', merchantName: 'KENYA POWER',
  lines: Array.from({ length: 5 }, () => ({ code: 'SKL4Q2M7XP', date: '23/11', party: 'BUY GOODS 555555XX', amountCents: '-700000000' })),
  perTransactionCents: '7000000', perDayCents: '15000000', leftTodayCents: '14999999', perMonthCents: '50000000', leftThisMonthCents: '49999999',
  customerName: 'BRIAN OTIENO', agentName: 'Daniel Mwangi Shop', storeNumber: '1', name: 'Mwangi Super Agent', agentNumber: '900900',
  floatCents: '4950000', commissionCents: '1350',
  // School Fees: the longest names the screens cut, a 20-character admission number, KES 9,999,999.99 amounts.
  schools: Array.from({ length: 4 }, (_, i) => ({ id: i + 1, name: `St Bakhita Girls Secondary School ${i}` })),
  school: { id: 1, name: 'St Bakhita Girls Secondary School' },
  students: Array.from({ length: 4 }, (_, i) => ({ id: i + 1, name: `Wanjiku Kamau-Njoroge Elizabeth ${i}` })),
  feeStatement: {
    studentId: 1, name: 'Wanjiku Kamau-Njoroge Elizabeth', admissionNo: 'ADM/2026/FORM4/0001', schoolName: 'St Bakhita Girls Secondary School',
    termName: '2026 Term 1 (January - April)', invoicedCents: '999999999', paidCents: '999999999', balanceCents: '-999999999',
  },
  feeReceipt: {
    code: 'SKL4Q2M7XP', schoolName: 'St Bakhita Girls Secondary School', studentName: 'Wanjiku Kamau-Njoroge Elizabeth', admissionNo: 'ADM/2026/FORM4/0001',
    amountCents: '999999900', feeBalanceCents: '-999999999', walletBalanceCents: '999999999',
  },
  // Loans: 24-character product names, KES 9,999,999.99 amounts, 12 installments.
  products: Array.from({ length: 4 }, (_, i) => ({ code: `p${i}`, name: `Biashara Loan Plus Extra ${i}`, minCents: '999999999', installments: 12 })),
  limit: { limitCents: '999999999', availableCents: '999999999', minCents: '10000', owedCents: '999999999', reason: null },
  terms: {
    principalCents: '999999999', feeCents: '999999999', totalCents: '999999999', installments: 12, firstCents: '999999999', firstDue: '31/12/2026',
  },
  loanReceipt: {
    code: 'SKL4Q2M7XP', productName: 'Biashara Loan Plus Extra', principalCents: '999999999', feeCents: '999999999', totalCents: '999999999',
    installments: 12, firstCents: '999999999', firstDue: '31/12/2026', walletBalanceCents: '999999999',
  },
  loans: Array.from({ length: 2 }, (_, i) => ({
    id: String(i + 1), productName: `Biashara Loan Plus Extra ${i}`, outstandingCents: '999999999', payoffCents: '999999999', dueNowCents: '0',
    suggestedCents: '999999999', nextDue: { date: '31/12/2026', amountCents: '999999999' }, overdueCents: '999999999',
  })),
  loanRepayment: { code: 'SKL4Q2M7XP', productName: 'Biashara Loan Plus Extra', amountCents: '999999999', outstandingCents: '999999999', walletBalanceCents: '999999999' },
  // Chama: 24-character names and KES 9,999,999.99 amounts (KES 999,999.99 in the request lists), a chairperson's view.
  chamas: Array.from({ length: 6 }, (_, i) => ({ id: i + 1, name: `Umoja Women Kariobangi N${i}`, role: 'chairperson' })),
  chamaDues: { dueCents: '999999999', maxCents: '999999999', finesCents: '999999999', arrearsCents: '999999999', currentCents: '999999999' },
  chamaReceipt: {
    code: 'SKL4Q2M7XP', amountCents: '999999999', finesPaidCents: '999999999', stillDueCents: '999999999', savedCents: '999999999', walletBalanceCents: '999999999',
  },
  chamaStanding: {
    paidThisCycleCents: '999999999', arrearsCents: '999999999', finesCents: '999999999', savedCents: '999999999', loansCents: '999999999', guarantees: 12,
    guaranteedCents: '999999999',
  },
  chamaBalance: { savingsCents: '999999999', potCents: '999999999', loansOutCents: '999999999', collectedCents: '999999999', expectedCents: '999999999' },
  chamaPayout: {
    cycleNo: 120, dueOn: '31/12/2026', payable: true, recipient: 'Wanjiku Kamau-Njoroge Eliza', skipped: 'Achieng Odhiambo-Otieno Mary', amountCents: '999999999',
    waiting: ['secretary', 'treasurer'], started: true,
  },
  chamaApproval: { recipient: 'Wanjiku Kamau-Njoroge Eliza', paidCents: null, waiting: ['secretary', 'treasurer'] },
  chamaMembers: Array.from({ length: 6 }, (_, i) => ({ id: i + 1, name: `Wanjiku Kamau-Njoroge Eliza ${i}`, role: 'treasurer' })),
  chamaNewMember: { msisdn: '+254712345678', name: 'Wanjiku Kamau-Njoroge Eliza' },
  chamaRequests: Array.from({ length: 6 }, (_, i) => ({ kind: i % 2 ? 'exit' : 'loan', id: i + 1, name: `Wanjiku Kamau-Njoroge Eliza ${i}`, amountCents: '99999999' })),
  chamaDecision: { kind: 'exit', approved: true, complete: true, name: 'Wanjiku Kamau-Njoroge Eliza', amountCents: '999999999' },
  chamaExit: { savingsCents: '999999999', finesCents: '999999999', amountCents: '999999999' },
  chamaLoanLimit: { maxCents: '999999999', minCents: '10000', reason: 'ok', guarantors: 1 },
  chamaGuarantees: Array.from({ length: 6 }, (_, i) => ({ kind: 'loan', id: i + 1, name: `Wanjiku Kamau-Njoroge Eliza ${i}`, amountCents: '99999999' })),
  chamaLoans: Array.from({ length: 2 }, (_, i) => ({
    id: String(i + 1), productName: `Biashara Loan Plus Extra ${i}`, outstandingCents: '999999999', payoffCents: '999999999', dueNowCents: '0',
    suggestedCents: '999999999', nextDue: { date: '31/12/2026', amountCents: '999999999' }, overdueCents: '999999999',
  })),
};

type Snap = {
  value: unknown;
  status: string;
  children: Record<string, unknown>;
  context: { error?: { key: string }; customer: MenuInput['customer']; agent?: MenuInput['agent'] };
};

/** Where agent paths stop: the customer home (`9`), whose paths the customer's model covers. */
const AGENT_CUT = 'home';

function modelPaths(customer: MenuInput['customer'], agent: MenuInput['agent'] = null) {
  return getSimplePaths(mainMenu, {
    input: { sessionId: 'model', msisdn: '+254700000001', customer, agent },
    // A re-asked screen (with its error line) is a screen of its own; a second invalid input
    // in a row would revisit it, so simple paths stop there (the third-invalid rule has its own test).
    serializeState: (s) => JSON.stringify([(s as unknown as Snap).value, (s as unknown as Snap).context.error?.key ?? null]),
    events: (s) => {
      const snap = s as unknown as Snap;
      const invoked = Object.keys(snap.children ?? {});
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (invoked.length) return invoked.map((id) => ({ type: `xstate.done.actor.${id}`, output: OUTPUT })) as any;
      if (snap.status !== 'active') return [];
      if (snap.context.agent && statePath(snap.value) === AGENT_CUT) return [];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return kinds(statePath(snap.value), snap.context).map((value) => ({ type: 'INPUT', value, index: 0 })) as any;
    },
  });
}

const registeredPaths = modelPaths({ firstName: 'Amina', language: 'en' });
const newCallerPaths = modelPaths(null);
/** An agent under super agent 900900 who is also a customer (so its home offers 9). */
const agentPaths = modelPaths({ firstName: 'Daniel', language: 'en' }, { agentNumber: '100200', name: 'Daniel Mwangi Shop', kind: 'agent', language: 'en' });
/** A super agent who is not a customer (so its home offers 7, not 9). */
const superAgentPaths = modelPaths(null, { agentNumber: '900900', name: 'Mwangi Super Agent', kind: 'super_agent', language: 'en' });
const inputsOf = (p: (typeof registeredPaths)[number]) =>
  p.steps.flatMap((s) => ((s.event as { type: string; value?: string }).type === 'INPUT' ? [(s.event as { value: string }).value] : []));

/**
 * The inputs to drive over HTTP for a registered customer: every path's, except that a real
 * fresh customer is in no chama, so Chama (home `6`) ends at its first screen and the rest of
 * a Chama path is never read: one request stands for all of them (every Chama screen is
 * rendered in-process above, and test/ussd-chama*.test.ts drive real chamas).
 */
function drivenInputs(paths: typeof registeredPaths): string[][] {
  const seen = new Map<string, string[]>();
  for (const p of paths) {
    const inputs = inputsOf(p);
    const driven = inputs[0] === '6' ? inputs.slice(0, 1) : inputs;
    seen.set(driven.join('*'), driven);
  }
  return [...seen.values()];
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

function assertScreen(screen: string, inputs: string[]): void {
  expect(screen, inputs.join('*')).to.match(/^(CON|END) /);
  expect(gsm7Length(screen.slice(4)), `${inputs.join('*')}: ${screen}`).to.be.at.most(SCREEN_LIMIT);
}

/** Distinct screens (state paths) the paths reach. */
const screensOf = (paths: typeof registeredPaths) => new Set(paths.map((p) => statePath(p.state.value))).size;

describe(
  `menu model: ${registeredPaths.length} paths (${screensOf(registeredPaths)} screens) for a customer, ${newCallerPaths.length} (${screensOf(newCallerPaths)}) for a new caller, ` +
    `${agentPaths.length} (${screensOf(agentPaths)}) for an agent, ${superAgentPaths.length} (${screensOf(superAgentPaths)}) for a super agent`,
  () => {
    it('every state of the model lies on a path that ends', () => {
      const models: Array<[typeof registeredPaths, string[]]> = [[registeredPaths, []], [newCallerPaths, []], [agentPaths, [AGENT_CUT]], [superAgentPaths, [AGENT_CUT]]];
      for (const [paths, cut] of models) {
        const reached = new Set(paths.map((p) => statePath(p.state.value)));
        const onEndingPath = new Set(
          paths.filter((p) => p.state.status === 'done').flatMap((p) => p.steps.map((s) => statePath(s.state.value))),
        );
        // Agent paths stop at the customer home, which the customer's model covers.
        for (const state of reached) if (!cut.includes(state)) expect(onEndingPath.has(state), state).to.equal(true);
      }
      expect(new Set(agentPaths.map((p) => statePath(p.state.value)))).to.include('agent.floatConfirm').and.include('home');
      expect(new Set(superAgentPaths.map((p) => statePath(p.state.value)))).not.to.include('home');
      // The SMS confirmation opens only from a code the runner found (test/sms-confirm-menu.test.ts models it).
      for (const paths of [registeredPaths, newCallerPaths, agentPaths, superAgentPaths]) {
        expect(paths.some((p) => /^smsConfirm/.test(statePath(p.state.value)))).to.equal(false);
      }
    });

    it('no state of the model needs its screen cut, in either language, with the longest outputs and any error line', () => {
      let rendered = 0;
      for (const paths of [registeredPaths, newCallerPaths, agentPaths, superAgentPaths]) {
        for (const p of paths) {
          for (const lang of ['en', 'sw'] as Lang[]) {
            const snap = p.state as unknown as { value: unknown; status: string; context: MenuContext };
            const screen = renderScreen({ value: snap.value, status: snap.status, context: { ...snap.context, lang } });
            expect(screen.overflow, `${lang} ${statePath(snap.value)}: ${screen.text}`).to.equal(false);
            rendered += 1;
          }
        }
      }
      expect(rendered).to.be.greaterThan(1000);
    });

    for (const lang of ['en', 'sw'] as Lang[]) {
      it(`every path for a registered customer speaking ${lang}, driven through POST /ussd, shows screens that fit`, async function () {
        this.timeout(300_000);
        await inBatches(drivenInputs(registeredPaths), 8, async (inputs) => {
          const caller = await makeCustomer(2000);
          if (lang === 'sw') await db('customers').where({ id: caller.id }).update({ language: 'sw' });
          const phone = new Dial(caller.msisdn);
          phone.inputs.push(...inputs);
          assertScreen(await phone.open(), phone.inputs);
        });
      });
    }

    it('every path for a new caller (who picks the language), driven through POST /ussd, shows screens that fit', async function () {
      this.timeout(240_000);
      await inBatches(newCallerPaths, 8, async (p) => {
        const phone = new Dial(randomMsisdn());
        phone.inputs.push(...inputsOf(p));
        assertScreen(await phone.open(), phone.inputs);
      });
    });

    for (const lang of ['en', 'sw'] as Lang[]) {
      it(`every path for an agent who is also a customer, and for a super agent, speaking ${lang}, driven through POST /ussd, shows screens that fit`, async function () {
        this.timeout(300_000);
        await inBatches(agentPaths, 8, async (p) => {
          // A fresh agent under 900900 (so float may go back to it) with float, on a customer's phone.
          const customer = await makeCustomer(2000);
          if (lang === 'sw') await db('customers').where({ id: customer.id }).update({ language: 'sw' });
          await makeAgent({ msisdn: customer.msisdn, superAgentNumber: '900900', floatKes: 2000, language: lang });
          const phone = new Dial(customer.msisdn);
          phone.inputs.push(...inputsOf(p));
          assertScreen(await phone.open(), phone.inputs);
        });
        await inBatches(superAgentPaths, 8, async (p) => {
          const sup = await makeAgent({ kind: 'super_agent', floatKes: 2000, language: lang });
          const phone = new Dial(sup.msisdn);
          phone.inputs.push(...inputsOf(p));
          assertScreen(await phone.open(), phone.inputs);
        });
      });
    }
  },
);
