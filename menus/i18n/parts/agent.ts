/**
 * The words of the agent menu, per language (merged into the catalogues by render.ts). Each
 * screen fits 182 GSM-7 characters with 24-character names, 9-digit amounts and full
 * statement pages (test/agent-screens.test.ts).
 */
import { statementScreen, type CataloguePart, type Formatters, type ScreenText } from '../catalogue.js';
import type { MenuContext } from '../../types.js';
import { STATEMENT_PAGE } from '../../setup.js';

const sell = (c: MenuContext) => c.agentFlow?.floatMode === 'sell';
const to = (c: MenuContext, f: Formatters) => `${c.agentFlow?.toAgentNumber} ${f.name(c.agentFlow?.toAgentName)}`;
const customer = (c: MenuContext, f: Formatters) => `${f.name(c.recipientName)} ${f.phone(c.recipientMsisdn)}`;

/** The agent home: 7 only for a super agent, 9 only for an agent who is also a customer. */
const home = (title: string, items: string[], sellFloat: string, customerMenu: string): ScreenText => (c) =>
  [
    `${title} ${c.agent?.agentNumber ?? ''}`,
    ...items.map((item, i) => `${i + 1} ${item}`),
    ...(c.agent?.kind === 'super_agent' ? [`7 ${sellFloat}`] : []),
    ...(c.customer ? [`9 ${customerMenu}`] : []),
  ].join('\n');

const statement = (title: string, empty: string, more: string): ScreenText => statementScreen(title, empty, more, STATEMENT_PAGE);

const en: CataloguePart = {
  screens: {
    'agent.home': home('Simu Agent', ['Deposit', 'Float balance', 'Commission', 'Transfer float', 'Mini statement', 'Change PIN'], 'Sell float', 'Customer menu'),
    'agent.depositNumber': () => 'Deposit\nEnter customer phone number',
    'agent.depositAmount': (c, f) => `Deposit to ${customer(c, f)}\nEnter amount (KES)`,
    'agent.depositConfirm': (c, f) => `Deposit ${f.kes(c.amountCents)} to ${customer(c, f)}?\n1 Confirm`,
    'agent.depositPin': (c, f) => `Enter agent PIN to deposit ${f.kes(c.amountCents)} to ${f.name(c.recipientName)}`,
    'agent.balancePin': () => 'Float balance\nEnter agent PIN',
    'agent.commissionPin': () => 'Commission\nEnter agent PIN',
    'agent.commission': (c, f) => `Commission ${f.kes(c.agentFlow?.commissionCents)}\n1 Last 5 commissions\n2 Move to float`,
    'agent.commissionStatement': statement('Commission (KES)', 'No commission yet.', '98 More'),
    'agent.commissionConfirm': (c, f) => `Move ${f.kes(c.agentFlow?.commissionCents)} commission to your float?\n1 Confirm`,
    'agent.floatTo': (c) => `${sell(c) ? 'Sell float' : 'Transfer float'}\nEnter agent number`,
    'agent.floatAmount': (c, f) => `${sell(c) ? 'Sell float' : 'Transfer float'} to agent ${to(c, f)}\nEnter amount (KES)`,
    'agent.floatConfirm': (c, f) => `${sell(c) ? 'Sell' : 'Send'} ${f.kes(c.amountCents)} float to agent ${to(c, f)}?\n1 Confirm`,
    'agent.floatPin': (c, f) => `Enter agent PIN to ${sell(c) ? 'sell' : 'send'} ${f.kes(c.amountCents)} float to ${f.name(c.agentFlow?.toAgentName)}`,
    'agent.statementPin': () => 'Mini statement\nEnter agent PIN',
    'agent.statement': statement('Float (KES)', 'No transactions yet.', '98 More'),
    'agent.currentPin': () => 'Change PIN\nEnter current agent PIN',
    'agent.newPin': () => 'Enter new 4-digit PIN',
    'agent.confirmNewPin': () => 'Enter new PIN again',
  },
  finals: {
    deposited: (c, f) => {
      const r = c.agentReceipt;
      return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} deposited to ${f.name(r?.name)}. Float balance ${f.kes(r?.floatCents)}. Commission ${f.kes(r?.commissionCents)}.`;
    },
    insufficientFloat: (c, f) =>
      `Failed. Your float is ${f.kes(c.failure?.floatCents)}, less than ${f.kes(c.amountCents)}. Nothing was ${c.agentFlow?.floatMode ? 'sent' : 'deposited'}.`,
    agentBalanceShown: (c, f) => `Agent ${c.agent?.agentNumber}\nFloat balance ${f.kes(c.agentFlow?.floatCents)}\nCommission ${f.kes(c.agentFlow?.commissionCents)}`,
    commissionMoved: (c, f) =>
      `${c.agentReceipt?.code} Confirmed. ${f.kes(c.agentReceipt?.amountCents)} commission moved to your float. Float balance ${f.kes(c.agentReceipt?.floatCents)}.`,
    noCommissionToMove: () => 'You have no commission to move.',
    commissionStatementShown: statement('Commission (KES)', 'No commission yet.', '98 More'),
    floatSent: (c, f) => {
      const r = c.agentReceipt;
      return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} float ${sell(c) ? 'sold' : 'sent'} to agent ${r?.agentNumber} ${f.name(r?.name)}. Float balance ${f.kes(r?.floatCents)}.`;
    },
    agentStatementShown: statement('Float (KES)', 'No transactions yet.', '98 More'),
    agentSuspended: () => 'Your agent account is suspended. Please call Simu care on 100.',
    agentPinLocked: (c) => `Your agent PIN is locked after 3 wrong tries. Try again in ${c.failure?.minutesLeft ?? 30} minutes or call Simu care on 100.`,
  },
  errors: {
    'agent.notRegistered': () => 'That number is not registered with Simu.',
    'agent.ownNumber': () => 'You cannot deposit to your own number.',
    'agent.limit.min_amount': (p, f) => `The least you can deposit is ${f.kes(String(p.limitCents))}.`,
    'agent.limit.per_transaction': (p, f) => `The most you can deposit at once is ${f.kes(String(p.limitCents))}.`,
    'agent.invalidAgentNumber': () => 'An agent number is 6 digits.',
    'agent.noAgent': () => 'No agent with that number.',
    'agent.recipientSuspended': () => 'That agent is suspended.',
    'agent.notAllowed.transfer': () => 'You can send float only to your super agent or agents under it.',
    'agent.notAllowed.sell': () => 'You can sell float only to your own agents.',
  },
};

const sw: CataloguePart = {
  screens: {
    'agent.home': home('Wakala wa Simu', ['Weka pesa', 'Salio la float', 'Kamisheni', 'Hamisha float', 'Taarifa fupi', 'Badilisha PIN'], 'Uza float', 'Menyu ya mteja'),
    'agent.depositNumber': () => 'Weka pesa\nWeka nambari ya simu ya mteja',
    'agent.depositAmount': (c, f) => `Weka pesa kwa ${customer(c, f)}\nWeka kiasi (KES)`,
    'agent.depositConfirm': (c, f) => `Weka ${f.kes(c.amountCents)} kwa ${customer(c, f)}?\n1 Thibitisha`,
    'agent.depositPin': (c, f) => `Weka PIN ya wakala kuweka ${f.kes(c.amountCents)} kwa ${f.name(c.recipientName)}`,
    'agent.balancePin': () => 'Salio la float\nWeka PIN ya wakala',
    'agent.commissionPin': () => 'Kamisheni\nWeka PIN ya wakala',
    'agent.commission': (c, f) => `Kamisheni ${f.kes(c.agentFlow?.commissionCents)}\n1 Kamisheni 5 za mwisho\n2 Hamishia kwenye float`,
    'agent.commissionStatement': statement('Kamisheni (KES)', 'Hakuna kamisheni bado.', '98 Zaidi'),
    'agent.commissionConfirm': (c, f) => `Hamisha kamisheni ${f.kes(c.agentFlow?.commissionCents)} kwenye float yako?\n1 Thibitisha`,
    'agent.floatTo': (c) => `${sell(c) ? 'Uza float' : 'Hamisha float'}\nWeka nambari ya wakala`,
    'agent.floatAmount': (c, f) => `${sell(c) ? 'Uza float' : 'Hamisha float'} kwa wakala ${to(c, f)}\nWeka kiasi (KES)`,
    'agent.floatConfirm': (c, f) => `${sell(c) ? 'Uza' : 'Tuma'} float ${f.kes(c.amountCents)} kwa wakala ${to(c, f)}?\n1 Thibitisha`,
    'agent.floatPin': (c, f) => `Weka PIN ya wakala ${sell(c) ? 'kuuza' : 'kutuma'} float ${f.kes(c.amountCents)} kwa ${f.name(c.agentFlow?.toAgentName)}`,
    'agent.statementPin': () => 'Taarifa fupi\nWeka PIN ya wakala',
    'agent.statement': statement('Float (KES)', 'Hakuna miamala bado.', '98 Zaidi'),
    'agent.currentPin': () => 'Badilisha PIN\nWeka PIN ya sasa ya wakala',
    'agent.newPin': () => 'Weka PIN mpya ya tarakimu 4',
    'agent.confirmNewPin': () => 'Weka PIN mpya tena',
  },
  finals: {
    deposited: (c, f) => {
      const r = c.agentReceipt;
      return `${r?.code} Imethibitishwa. ${f.kes(r?.amountCents)} imewekwa kwa ${f.name(r?.name)}. Salio la float ${f.kes(r?.floatCents)}. Kamisheni ${f.kes(r?.commissionCents)}.`;
    },
    insufficientFloat: (c, f) =>
      `Imeshindikana. Float yako ni ${f.kes(c.failure?.floatCents)}, chini ya ${f.kes(c.amountCents)}. Hakuna ${c.agentFlow?.floatMode ? 'kilichotumwa' : 'kilichowekwa'}.`,
    agentBalanceShown: (c, f) => `Wakala ${c.agent?.agentNumber}\nSalio la float ${f.kes(c.agentFlow?.floatCents)}\nKamisheni ${f.kes(c.agentFlow?.commissionCents)}`,
    commissionMoved: (c, f) =>
      `${c.agentReceipt?.code} Imethibitishwa. Kamisheni ${f.kes(c.agentReceipt?.amountCents)} imehamishiwa kwenye float yako. Salio la float ${f.kes(c.agentReceipt?.floatCents)}.`,
    noCommissionToMove: () => 'Huna kamisheni ya kuhamisha.',
    commissionStatementShown: statement('Kamisheni (KES)', 'Hakuna kamisheni bado.', '98 Zaidi'),
    floatSent: (c, f) => {
      const r = c.agentReceipt;
      return `${r?.code} Imethibitishwa. Float ${f.kes(r?.amountCents)} ${sell(c) ? 'imeuzwa' : 'imetumwa'} kwa wakala ${r?.agentNumber} ${f.name(r?.name)}. Salio la float ${f.kes(r?.floatCents)}.`;
    },
    agentStatementShown: statement('Float (KES)', 'Hakuna miamala bado.', '98 Zaidi'),
    agentSuspended: () => 'Akaunti yako ya wakala imesimamishwa. Tafadhali piga huduma kwa wateja 100.',
    agentPinLocked: (c) =>
      `PIN yako ya wakala imefungwa baada ya majaribio 3 yasiyo sahihi. Jaribu tena baada ya dakika ${c.failure?.minutesLeft ?? 30} au piga huduma kwa wateja 100.`,
  },
  errors: {
    'agent.notRegistered': () => 'Nambari hiyo haijasajiliwa na Simu.',
    'agent.ownNumber': () => 'Huwezi kuweka pesa kwa nambari yako mwenyewe.',
    'agent.limit.min_amount': (p, f) => `Kiwango cha chini cha kuweka ni ${f.kes(String(p.limitCents))}.`,
    'agent.limit.per_transaction': (p, f) => `Kiwango cha juu cha kuweka kwa mara moja ni ${f.kes(String(p.limitCents))}.`,
    'agent.invalidAgentNumber': () => 'Nambari ya wakala ni tarakimu 6.',
    'agent.noAgent': () => 'Hakuna wakala mwenye nambari hiyo.',
    'agent.recipientSuspended': () => 'Wakala huyo amesimamishwa.',
    'agent.notAllowed.transfer': () => 'Unaweza kutuma float kwa wakala wako mkuu au mawakala walio chini yake tu.',
    'agent.notAllowed.sell': () => 'Unaweza kuuza float kwa mawakala wako tu.',
  },
};

export const agentWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
