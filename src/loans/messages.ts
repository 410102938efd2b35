/**
 * The SMS of loans, in English and Kiswahili (the customer's language): the sweep receipt
 * and the reminders (3 days before a due date, on it, weekly while overdue). Amounts in
 * cents, formatted by `formatKes`; days `YYYY-MM-DD`, shown as `DD/MM/YYYY`.
 */
import { formatKes } from '../money/index.js';

/** A language the SMS speak. */
export type LoanSmsLanguage = 'en' | 'sw';

/** `YYYY-MM-DD` as `DD/MM/YYYY`. */
export function showDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** What a sweep SMS says: the entry code, the product, what arrived and what repaid the loan, what is left. */
export interface SweepFacts {
  code: string;
  product: string;
  arrived: bigint;
  repaid: bigint;
  /** The loan's outstanding total after the sweep. */
  outstanding: bigint;
  /** The wallet's balance after the sweep. */
  balance: bigint;
}

/** The SMS after money arriving in the wallet repaid an overdue loan. */
export function sweepSms(lang: LoanSmsLanguage, f: SweepFacts): string {
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. ${formatKes(f.repaid)} kati ya ${formatKes(f.arrived)} ulizopokea zimelipa mkopo wako wa ${f.product} uliopitwa na muda. Deni lililobaki ${formatKes(f.outstanding)}. Salio jipya ${formatKes(f.balance)}.`
    : `${f.code} Confirmed. ${formatKes(f.repaid)} of the ${formatKes(f.arrived)} you received has repaid your overdue ${f.product}. Loan balance ${formatKes(f.outstanding)}. New balance ${formatKes(f.balance)}.`;
}

/** What a reminder says. */
export interface ReminderFacts {
  product: string;
  /** Cents due (the installment's unpaid amount, or the loan's overdue amount). */
  amount: bigint;
  /** `YYYY-MM-DD`: the due date (for an overdue reminder, the oldest one missed). */
  dueDate: string;
  /** The USSD code to dial to repay. */
  serviceCode: string;
}

/** A reminder 3 days before a due date. */
export function dueSoonSms(lang: LoanSmsLanguage, f: ReminderFacts): string {
  return lang === 'sw'
    ? `Simu: Kumbusho, ${formatKes(f.amount)} za ${f.product} zinadaiwa tarehe ${showDay(f.dueDate)}. Lipa kupitia ${f.serviceCode} > Mikopo.`
    : `Simu: Reminder, ${formatKes(f.amount)} of your ${f.product} is due on ${showDay(f.dueDate)}. Repay on ${f.serviceCode} > Loans.`;
}

/** A reminder on the due date. */
export function dueTodaySms(lang: LoanSmsLanguage, f: ReminderFacts): string {
  return lang === 'sw'
    ? `Simu: ${formatKes(f.amount)} za ${f.product} zinadaiwa leo (${showDay(f.dueDate)}). Lipa kupitia ${f.serviceCode} > Mikopo ili kuepuka adhabu.`
    : `Simu: ${formatKes(f.amount)} of your ${f.product} is due today (${showDay(f.dueDate)}). Repay on ${f.serviceCode} > Loans to avoid a penalty.`;
}

/** The weekly reminder while a loan is overdue. */
export function overdueSms(lang: LoanSmsLanguage, f: ReminderFacts): string {
  return lang === 'sw'
    ? `Simu: Mkopo wako wa ${f.product} umepitwa na muda tangu ${showDay(f.dueDate)}. Deni lililopitwa ${formatKes(f.amount)}. Lipa kupitia ${f.serviceCode} > Mikopo.`
    : `Simu: Your ${f.product} is overdue since ${showDay(f.dueDate)}. Overdue amount ${formatKes(f.amount)}. Repay on ${f.serviceCode} > Loans.`;
}

/** What the SMS after a loan taken on USSD says: the schedule, each installment's total and due day. */
export interface DisbursedFacts {
  code: string;
  product: string;
  principal: bigint;
  fee: bigint;
  /** Everything to repay (principal, fee, scheduled interest). */
  total: bigint;
  installments: Array<{ dueDate: string; total: bigint }>;
  /** The wallet's balance after the disbursement. */
  balance: bigint;
}

/** The SMS after a loan is disbursed (Loans menu): amount, fee, total and the schedule. */
export function loanDisbursedSms(lang: LoanSmsLanguage, f: DisbursedFacts): string {
  const plan = f.installments.map((i) => (lang === 'sw' ? `${formatKes(i.total)} kufikia ${showDay(i.dueDate)}` : `${formatKes(i.total)} by ${showDay(i.dueDate)}`)).join(', ');
  return lang === 'sw'
    ? `${f.code} Imethibitishwa. ${f.product} ya ${formatKes(f.principal)} imetumwa kwenye Simu yako. Ada ${formatKes(f.fee)}. Jumla ya kulipa ${formatKes(f.total)}: ${plan}. Salio jipya ${formatKes(f.balance)}.`
    : `${f.code} Confirmed. ${f.product} of ${formatKes(f.principal)} sent to your Simu wallet. Fee ${formatKes(f.fee)}. Total to repay ${formatKes(f.total)}: ${plan}. New balance ${formatKes(f.balance)}.`;
}

/** What a repayment receipt says. */
export interface RepaidFacts {
  code: string;
  product: string;
  amount: bigint;
  /** Still owed on the loan after the repayment (0: repaid). */
  outstanding: bigint;
  balance: bigint;
}

/** The SMS receipt of a repayment from the wallet (Loans menu), with what is left. */
export function loanRepaidSms(lang: LoanSmsLanguage, f: RepaidFacts): string {
  if (lang === 'sw') {
    const left = f.outstanding > 0n ? `Deni lililobaki ${formatKes(f.outstanding)}` : 'Mkopo umelipwa wote';
    return `${f.code} Imethibitishwa. ${formatKes(f.amount)} zimelipwa kwa ${f.product}. ${left}. Salio jipya ${formatKes(f.balance)}.`;
  }
  const left = f.outstanding > 0n ? `Loan balance ${formatKes(f.outstanding)}` : 'Your loan is fully repaid';
  return `${f.code} Confirmed. ${formatKes(f.amount)} paid to your ${f.product}. ${left}. New balance ${formatKes(f.balance)}.`;
}
