/**
 * The SMS of agent movements, per language, shaped like the receipts customers know: code
 * first, then what happened, when, the balance. The agent's SMS of a withdrawal names the
 * customer, the amount and the code, so the cash can be handed over against it.
 */
import { formatKes } from '../money/index.js';
import { receiptTime } from '../sms/messages.js';
import type { Agent } from './repository.js';

/** The facts every agent SMS carries (cents). */
interface Base {
  code: string;
  amount: bigint;
  at: Date;
}

const agentLabel = (a: Pick<Agent, 'agentNumber' | 'name'>) => `${a.agentNumber} ${a.name}`;

const customerEn = {
  withdrew: (f: Base & { agent: Agent; storeNumber: string; balance: bigint; charge: bigint }) =>
    `${f.code} Confirmed. On ${receiptTime(f.at)} you withdrew ${formatKes(f.amount)} from agent ${agentLabel(f.agent)} store ${f.storeNumber}. New balance ${formatKes(f.balance)}. Charge ${formatKes(f.charge)}.`,
  deposited: (f: Base & { agent: Agent; balance: bigint }) =>
    `${f.code} Confirmed. On ${receiptTime(f.at)} ${formatKes(f.amount)} was deposited to your account by agent ${agentLabel(f.agent)}. New balance ${formatKes(f.balance)}.`,
};

const customerSw: typeof customerEn = {
  withdrew: (f) =>
    `${f.code} Imethibitishwa. Tarehe ${receiptTime(f.at, 'sw')} umetoa ${formatKes(f.amount)} kwa wakala ${agentLabel(f.agent)} duka ${f.storeNumber}. Salio jipya ${formatKes(f.balance)}. Ada ${formatKes(f.charge)}.`,
  deposited: (f) =>
    `${f.code} Imethibitishwa. Tarehe ${receiptTime(f.at, 'sw')} ${formatKes(f.amount)} imewekwa kwenye akaunti yako na wakala ${agentLabel(f.agent)}. Salio jipya ${formatKes(f.balance)}.`,
};

const agentEn = {
  payOut: (f: Base & { customerName: string; customerMsisdn: string; float: bigint; commission: bigint }) =>
    `${f.code} Confirmed. Give ${formatKes(f.amount)} cash to ${f.customerName} ${f.customerMsisdn}, withdrawn on ${receiptTime(f.at)}. Float balance ${formatKes(f.float)}. Commission ${formatKes(f.commission)}.`,
  depositMade: (f: Base & { customerName: string; customerMsisdn: string; float: bigint; commission: bigint }) =>
    `${f.code} Confirmed. ${formatKes(f.amount)} deposited to ${f.customerName} ${f.customerMsisdn} on ${receiptTime(f.at)}. Float balance ${formatKes(f.float)}. Commission ${formatKes(f.commission)}.`,
  floatSent: (f: Base & { to: Pick<Agent, 'agentNumber' | 'name'>; float: bigint }) =>
    `${f.code} Confirmed. ${formatKes(f.amount)} float sent to agent ${agentLabel(f.to)} on ${receiptTime(f.at)}. Float balance ${formatKes(f.float)}.`,
  floatReceived: (f: Base & { from: Pick<Agent, 'agentNumber' | 'name'>; float: bigint }) =>
    `${f.code} Confirmed. You have received ${formatKes(f.amount)} float from agent ${agentLabel(f.from)} on ${receiptTime(f.at)}. Float balance ${formatKes(f.float)}.`,
  commissionMoved: (f: Base & { float: bigint }) =>
    `${f.code} Confirmed. ${formatKes(f.amount)} commission moved to your float on ${receiptTime(f.at)}. Float balance ${formatKes(f.float)}.`,
};

const agentSw: typeof agentEn = {
  payOut: (f) =>
    `${f.code} Imethibitishwa. Mpe ${f.customerName} ${f.customerMsisdn} pesa taslimu ${formatKes(f.amount)}, zilizotolewa tarehe ${receiptTime(f.at, 'sw')}. Salio la float ${formatKes(f.float)}. Kamisheni ${formatKes(f.commission)}.`,
  depositMade: (f) =>
    `${f.code} Imethibitishwa. ${formatKes(f.amount)} imewekwa kwa ${f.customerName} ${f.customerMsisdn} tarehe ${receiptTime(f.at, 'sw')}. Salio la float ${formatKes(f.float)}. Kamisheni ${formatKes(f.commission)}.`,
  floatSent: (f) =>
    `${f.code} Imethibitishwa. Float ${formatKes(f.amount)} imetumwa kwa wakala ${agentLabel(f.to)} tarehe ${receiptTime(f.at, 'sw')}. Salio la float ${formatKes(f.float)}.`,
  floatReceived: (f) =>
    `${f.code} Imethibitishwa. Umepokea float ${formatKes(f.amount)} kutoka kwa wakala ${agentLabel(f.from)} tarehe ${receiptTime(f.at, 'sw')}. Salio la float ${formatKes(f.float)}.`,
  commissionMoved: (f) =>
    `${f.code} Imethibitishwa. Kamisheni ${formatKes(f.amount)} imehamishiwa kwenye float yako tarehe ${receiptTime(f.at, 'sw')}. Salio la float ${formatKes(f.float)}.`,
};

/** A customer's SMS about an agent movement, in their language. */
export function customerSms(lang: 'en' | 'sw') {
  return lang === 'sw' ? customerSw : customerEn;
}

/** An agent's SMS, in its language. */
export function agentSms(lang: 'en' | 'sw') {
  return lang === 'sw' ? agentSw : agentEn;
}
