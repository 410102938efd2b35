/**
 * The effects of Loans (home item 7), declared for the setup (implemented in
 * src/ussd/effects-loans.ts). Amounts are cents as decimal strings (JSON context); days are
 * shown as given (`DD/MM/YYYY`, Africa/Nairobi, formatted by the effect).
 *
 * The menu's own context fields are added to the shared types here, by declaration
 * merging, as fees-actors.ts does.
 */
import { effect } from './effect.js';

/** A loan product as the Apply list shows it. */
export interface LoanProductView {
  code: string;
  name: string;
  minCents: string;
  installments: number;
}

/**
 * Why the caller may not borrow on a product now: the engine's reasons (loanLimit), or
 * `has_loan` (an open loan of the product leaves less than its minimum under the limit).
 */
export type LoanRefusal = 'overdue_loan' | 'no_history' | 'below_minimum' | 'has_loan';

/** What the caller may borrow on the product: `availableCents` is the limit less what is owed on it (0 with a `reason`). */
export interface LoanLimitView {
  limitCents: string;
  availableCents: string;
  minCents: string;
  /** Owed on open loans of this product. */
  owedCents: string;
  reason: LoanRefusal | null;
}

/** The terms screen's figures for a principal. */
export interface LoanTermsView {
  principalCents: string;
  feeCents: string;
  /** Everything to repay: principal, fee and scheduled interest. */
  totalCents: string;
  installments: number;
  /** The first (for a 1-installment loan: the only) installment. */
  firstCents: string;
  firstDue: string;
}

/** The END screen of a loan disbursed. */
export interface LoanReceiptView extends LoanTermsView {
  code: string;
  productName: string;
  walletBalanceCents: string;
}

/** An open loan as Repay and Loan status show it. */
export interface LoanView {
  id: string;
  productName: string;
  outstandingCents: string;
  /** What settles the loan today. */
  payoffCents: string;
  /** Unpaid on installments due today or earlier. */
  dueNowCents: string;
  /** What Repay offers by default: due now, else the next installment (at most the payoff). */
  suggestedCents: string;
  nextDue: { date: string; amountCents: string } | null;
  overdueCents: string;
}

/** The END screen of a repayment. */
export interface LoanRepaymentView {
  code: string;
  productName: string;
  amountCents: string;
  /** Still owed on the loan after it (0: repaid). */
  outstandingCents: string;
  walletBalanceCents: string;
}

/** What Loans keeps between hops. */
export interface LoansContext {
  /** What the caller chose at the Loans menu (Repay and Loan status share the loan list). */
  purpose?: 'repay' | 'status';
  products?: LoanProductView[];
  product?: LoanProductView;
  limit?: LoanLimitView;
  terms?: LoanTermsView;
  /** The caller's open loans (at most LOANS_LIST_MAX), and the one picked. */
  loans?: LoanView[];
  loan?: LoanView;
}

declare module './types.js' {
  interface MenuContext {
    loans?: LoansContext;
    loanReceipt?: LoanReceiptView;
    loanRepayment?: LoanRepaymentView;
  }
  interface MenuFailure {
    /** For loan_overpayment: what settles the loan today (cents). */
    payoffCents?: string;
  }
}

/** Inputs and outputs of the Loans effects. */
export interface LoansEffects {
  /** The products a customer may apply for (active), by name. */
  loanProducts: { input: { msisdn: string }; output: { products: LoanProductView[] } };
  /** The caller's limit on a product now, with why it is zero. */
  loanLimitFor: { input: { msisdn: string; productCode: string }; output: { limit: LoanLimitView } };
  /** The schedule's figures for `amountCents` disbursed today. Moves nothing. */
  loanTerms: { input: { productCode: string; amountCents: string }; output: { terms: LoanTermsView } };
  /**
   * Checks the PIN and the limit again, disburses (key `ussd:<sessionId>:<n>`) and writes the
   * schedule SMS. Fails `loan_over_limit` (the limit fell since), `wrong_pin`, `pin_locked`, ...
   */
  takeLoan: {
    input: { msisdn: string; productCode: string; amountCents: string; pin: string; idempotencyKey: string };
    output: { loanReceipt: LoanReceiptView };
  };
  /** The caller's open loans, oldest first. */
  myLoans: { input: { msisdn: string }; output: { loans: LoanView[] } };
  /** Repays from the wallet (PIN checked, key `ussd:<sessionId>:<n>`). Fails `loan_overpayment` (with payoffCents), `insufficient_funds`, ... */
  payLoan: {
    input: { msisdn: string; loanId: string; amountCents: string; pin: string; idempotencyKey: string };
    output: { loanRepayment: LoanRepaymentView };
  };
}

function declare<K extends keyof LoansEffects>(name: K) {
  return effect<LoansEffects[K]['input'], LoansEffects[K]['output']>(name);
}

/** The Loans effects, spread into the setup's actors. */
export const loansActors = {
  loanProducts: declare('loanProducts'),
  loanLimitFor: declare('loanLimitFor'),
  loanTerms: declare('loanTerms'),
  takeLoan: declare('takeLoan'),
  myLoans: declare('myLoans'),
  payLoan: declare('payLoan'),
};
