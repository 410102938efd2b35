/**
 * The words of Loans, per language (merged into the catalogues by render.ts). Each screen
 * fits 182 GSM-7 characters with 24-character product names, 9-digit amounts and an error
 * line above (test/menus-graph.test.ts). Days come from the effects as `DD/MM/YYYY`.
 */
import type { CataloguePart, Formatters } from '../catalogue.js';
import type { MenuContext } from '../../types.js';
import type { LoanRefusal, LoanTermsView, LoanView } from '../../loans-actors.js';

/** List items are cut to this many characters. */
const LIST_NAME = 20;
/** The terms screen cuts the product's name to this many characters, so 9-digit figures and 12 installments fit. */
const TERMS_NAME = 16;

const product = (c: MenuContext, f: Formatters) => f.name(c.loans?.product?.name);
const loan = (c: MenuContext) => c.loans?.loan;
const positive = (cents: string | undefined) => BigInt(cents ?? '0') > 0n;
/** An amount without `KES ` (where a line says KES once). */
const bare = (cents: string | undefined, f: Formatters) => f.kes(cents).replace('KES ', '');

function products(c: MenuContext): string {
  return (c.loans?.products ?? []).map((p, i) => `${i + 1} ${p.name.slice(0, LIST_NAME)}`).join('\n');
}

function loansList(c: MenuContext, f: Formatters): string {
  return (c.loans?.loans ?? []).map((l, i) => `${i + 1} ${l.productName.slice(0, LIST_NAME)} ${f.kes(l.outstandingCents)}`).join('\n');
}

interface Words {
  due: (date: string) => string;
  installments: (t: LoanTermsView, f: Formatters) => string;
  dueLine: (l: LoanView | undefined, f: Formatters) => string;
}

const enWords: Words = {
  due: (date) => `Due ${date}`,
  installments: (t, f) => `${t.installments} installments, first ${f.kes(t.firstCents)} on ${t.firstDue}`,
  dueLine: (l, f) => (positive(l?.dueNowCents) || !l?.nextDue ? `Due now ${f.kes(l?.dueNowCents)}` : `Next due ${l.nextDue.date} ${f.kes(l.nextDue.amountCents)}`),
};

const swWords: Words = {
  due: (date) => `Tarehe ya kulipa ${date}`,
  installments: (t, f) => `Awamu ${t.installments}, ya kwanza ${f.kes(t.firstCents)} tarehe ${t.firstDue}`,
  dueLine: (l, f) => (positive(l?.dueNowCents) || !l?.nextDue ? `Inadaiwa sasa ${f.kes(l?.dueNowCents)}` : `Inayofuata ${l.nextDue.date} ${f.kes(l.nextDue.amountCents)}`),
};

/** The terms' last line: the due date of a 1-installment loan, else the first installment. */
function schedule(t: LoanTermsView | undefined, f: Formatters, w: Words): string {
  if (!t) return '';
  return t.installments === 1 ? w.due(t.firstDue) : w.installments(t, f);
}

/** Why the limit is zero, per reason. */
type Refusals = Record<LoanRefusal, (c: MenuContext, f: Formatters) => string>;

const enRefusals: Refusals = {
  overdue_loan: (c, f) => `Your ${product(c, f)} limit is KES 0 because you have an overdue loan. Repay it (Loans > 2 Repay) to borrow again.`,
  no_history: (c, f) => `Your ${product(c, f)} limit is KES 0: your Simu wallet does not have enough history yet. Keep receiving money into it and try again later.`,
  below_minimum: (c, f) => `Your ${product(c, f)} limit is below the minimum loan of ${f.kes(c.loans?.limit?.minCents)}. Receive more money into your Simu wallet to raise it.`,
  has_loan: (c, f) => `You owe ${f.kes(c.loans?.limit?.owedCents)} on your ${product(c, f)}, which uses up your limit of ${f.kes(c.loans?.limit?.limitCents)}. Repay it to borrow again.`,
};

const swRefusals: Refusals = {
  overdue_loan: (c, f) => `Kikomo chako cha ${product(c, f)} ni KES 0 kwa sababu una mkopo uliopitwa na muda. Ulipe (Mikopo > 2 Lipa mkopo) ili ukope tena.`,
  no_history: (c, f) => `Kikomo chako cha ${product(c, f)} ni KES 0: bado huna historia ya kutosha kwenye Simu. Endelea kupokea pesa kwenye Simu na ujaribu tena baadaye.`,
  below_minimum: (c, f) => `Kikomo chako cha ${product(c, f)} ni chini ya mkopo wa chini wa ${f.kes(c.loans?.limit?.minCents)}. Pokea pesa zaidi kwenye Simu ili kukiongeza.`,
  has_loan: (c, f) => `Unadaiwa ${f.kes(c.loans?.limit?.owedCents)} kwa ${product(c, f)}, zinazotumia kikomo chako cha ${f.kes(c.loans?.limit?.limitCents)}. Lipa ili ukope tena.`,
};

const refusal = (r: Refusals) => (c: MenuContext, f: Formatters) => r[c.loans?.limit?.reason ?? 'no_history'](c, f);

const en: CataloguePart = {
  screens: {
    'loans.menu': () => 'Loans\n1 Apply for a loan\n2 Repay loan\n3 Loan status',
    'loans.product': (c) => `Apply for a loan\n${products(c)}`,
    'loans.amount': (c, f) => {
      const l = c.loans?.limit;
      const owed = positive(l?.owedCents) ? `\nYou owe ${f.kes(l?.owedCents)}` : '';
      return `${product(c, f)}\nYour limit ${f.kes(l?.limitCents)}${owed}\nEnter amount (KES ${bare(l?.minCents, f)} - ${bare(l?.availableCents, f)})`;
    },
    'loans.terms': (c, f) => {
      const t = c.loans?.terms;
      return `${product(c, f).slice(0, TERMS_NAME).trim()} ${f.kes(t?.principalCents)}\nFee ${f.kes(t?.feeCents)}\nTotal to repay ${f.kes(t?.totalCents)}\n${schedule(t, f, enWords)}\n1 Accept`;
    },
    'loans.pin': (c, f) => `Enter PIN to borrow ${f.kes(c.amountCents)} (${product(c, f)})`,
    'loans.pickLoan': (c, f) => `Pick a loan\n${loansList(c, f)}`,
    'loans.repayAmount': (c, f) => {
      const l = loan(c);
      return `Repay ${f.name(l?.productName)}\n${enWords.dueLine(l, f)}\nPay off ${f.kes(l?.payoffCents)}\nEnter amount, or 1 for amount due`;
    },
    'loans.repayPin': (c, f) => `Enter PIN to repay ${f.kes(c.amountCents)} of your ${f.name(loan(c)?.productName)}`,
  },
  finals: {
    loansUnavailable: () => 'Sorry, no loans are offered on Simu right now. Please try again later.',
    loanNoLimit: refusal(enRefusals),
    loanDisbursed: (c, f) => {
      const r = c.loanReceipt;
      const repay = r?.installments === 1 ? `Repay ${f.kes(r?.totalCents)} by ${r?.firstDue}` : `Repay ${f.kes(r?.totalCents)}: ${r && enWords.installments(r, f)}`;
      // With several installments the schedule takes the room of the balance (the SMS has both).
      const balance = r?.installments === 1 ? ` New balance ${f.kes(r?.walletBalanceCents)}.` : '';
      return `${r?.code} Confirmed. ${f.name(r?.productName)} of ${f.kes(r?.principalCents)} sent to your Simu wallet. ${repay}.${balance}`;
    },
    loanRefused: (c, f) => (c.failure?.code === 'limit_exceeded'
      ? `Sorry, your Simu wallet cannot hold ${f.kes(c.amountCents)} more. Nothing was lent.`
      : `Sorry, ${f.kes(c.amountCents)} is more than your loan limit now. Nothing was lent. Dial again to see your limit.`),
    noLoan: () => 'You have no open loan with Simu. To borrow, choose Loans > 1 Apply for a loan.',
    loanStatusShown: (c, f) => {
      const l = loan(c);
      const next = l?.nextDue ? `${l.nextDue.date} ${f.kes(l.nextDue.amountCents)}` : 'none';
      return `${f.name(l?.productName)}\nOutstanding ${f.kes(l?.outstandingCents)}\nNext due ${next}\nOverdue ${f.kes(l?.overdueCents)}\nPay off today ${f.kes(l?.payoffCents)}`;
    },
    loanRepaid: (c, f) => {
      const r = c.loanRepayment;
      const left = positive(r?.outstandingCents) ? `Loan balance ${f.kes(r?.outstandingCents)}` : 'Your loan is fully repaid';
      return `${r?.code} Confirmed. ${f.kes(r?.amountCents)} paid to your ${f.name(r?.productName)}. ${left}. New balance ${f.kes(r?.walletBalanceCents)}.`;
    },
    loanRepayShort: (c, f) => `Failed. You do not have enough money in your Simu wallet to repay ${f.kes(c.amountCents)}. Nothing was paid.`,
  },
  errors: {
    'loans.amountRange': () => 'Enter an amount within your limit.',
    'loans.overPayoff': () => 'That is more than the pay off.',
  },
};

const sw: CataloguePart = {
  screens: {
    'loans.menu': () => 'Mikopo\n1 Omba mkopo\n2 Lipa mkopo\n3 Hali ya mkopo',
    'loans.product': (c) => `Omba mkopo\n${products(c)}`,
    'loans.amount': (c, f) => {
      const l = c.loans?.limit;
      const owed = positive(l?.owedCents) ? `\nUnadaiwa ${f.kes(l?.owedCents)}` : '';
      return `${product(c, f)}\nKikomo chako ${f.kes(l?.limitCents)}${owed}\nWeka kiasi (KES ${bare(l?.minCents, f)} - ${bare(l?.availableCents, f)})`;
    },
    'loans.terms': (c, f) => {
      const t = c.loans?.terms;
      return `${product(c, f).slice(0, TERMS_NAME).trim()} ${f.kes(t?.principalCents)}\nAda ${f.kes(t?.feeCents)}\nUtalipa ${f.kes(t?.totalCents)}\n${schedule(t, f, swWords)}\n1 Kubali`;
    },
    'loans.pin': (c, f) => `Weka PIN kukopa ${f.kes(c.amountCents)} (${product(c, f)})`,
    'loans.pickLoan': (c, f) => `Chagua mkopo\n${loansList(c, f)}`,
    'loans.repayAmount': (c, f) => {
      const l = loan(c);
      return `Lipa ${f.name(l?.productName)}\n${swWords.dueLine(l, f)}\nKulipa yote ${f.kes(l?.payoffCents)}\nWeka kiasi, au 1 kwa kinachodaiwa`;
    },
    'loans.repayPin': (c, f) => `Weka PIN kulipa ${f.kes(c.amountCents)} za ${f.name(loan(c)?.productName)}`,
  },
  finals: {
    loansUnavailable: () => 'Samahani, hakuna mikopo kwenye Simu sasa. Tafadhali jaribu tena baadaye.',
    loanNoLimit: refusal(swRefusals),
    loanDisbursed: (c, f) => {
      const r = c.loanReceipt;
      const repay = r?.installments === 1 ? `Lipa ${f.kes(r?.totalCents)} kufikia ${r?.firstDue}` : `Lipa ${f.kes(r?.totalCents)}: ${r && swWords.installments(r, f)}`;
      const balance = r?.installments === 1 ? ` Salio jipya ${f.kes(r?.walletBalanceCents)}.` : '';
      return `${r?.code} Imethibitishwa. ${f.name(r?.productName)} ya ${f.kes(r?.principalCents)} imetumwa kwenye Simu yako. ${repay}.${balance}`;
    },
    loanRefused: (c, f) => (c.failure?.code === 'limit_exceeded'
      ? `Samahani, Simu yako haiwezi kupokea ${f.kes(c.amountCents)} zaidi. Hakuna mkopo uliotolewa.`
      : `Samahani, ${f.kes(c.amountCents)} ni zaidi ya kikomo chako sasa. Hakuna mkopo uliotolewa. Piga tena kuona kikomo chako.`),
    noLoan: () => 'Huna mkopo wowote kwenye Simu. Kukopa, chagua Mikopo > 1 Omba mkopo.',
    loanStatusShown: (c, f) => {
      const l = loan(c);
      const next = l?.nextDue ? `${l.nextDue.date} ${f.kes(l.nextDue.amountCents)}` : 'hakuna';
      return `${f.name(l?.productName)}\nDeni ${f.kes(l?.outstandingCents)}\nInayofuata ${next}\nIliyopitwa ${f.kes(l?.overdueCents)}\nKulipa yote leo ${f.kes(l?.payoffCents)}`;
    },
    loanRepaid: (c, f) => {
      const r = c.loanRepayment;
      const left = positive(r?.outstandingCents) ? `Deni lililobaki ${f.kes(r?.outstandingCents)}` : 'Mkopo umelipwa wote';
      return `${r?.code} Imethibitishwa. ${f.kes(r?.amountCents)} zimelipwa kwa ${f.name(r?.productName)}. ${left}. Salio jipya ${f.kes(r?.walletBalanceCents)}.`;
    },
    loanRepayShort: (c, f) => `Imeshindikana. Huna pesa za kutosha kwenye Simu kulipa ${f.kes(c.amountCents)}. Hakuna kilicholipwa.`,
  },
  errors: {
    'loans.amountRange': () => 'Weka kiasi kilicho ndani ya kikomo chako.',
    'loans.overPayoff': () => 'Zaidi ya kiasi cha kulipa yote.',
  },
};

export const loansWords: { en: CataloguePart; sw: CataloguePart } = { en, sw };
