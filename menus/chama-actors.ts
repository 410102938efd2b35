/**
 * The effects of Chama (home item 6), declared for the setup (implemented in
 * src/ussd/effects-chama.ts and src/ussd/effects-chama-officials.ts). Amounts are cents as
 * decimal strings (JSON context); days are shown as given (`DD/MM/YYYY`, formatted by the
 * effect). Every effect names the caller by MSISDN and the chama by id; the domain checks
 * that the caller belongs to it (and is the right official) whatever the menu offered.
 *
 * The menu's own context fields are added to the shared types here, by declaration
 * merging, as loans-actors.ts does.
 */
import { effect } from './effect.js';
import type { LoanView } from './loans-actors.js';

/** A member's role in a chama. */
export type ChamaRoleView = 'chairperson' | 'treasurer' | 'secretary' | 'member';

/** One of the caller's chamas, as the list shows it. */
export interface ChamaItem {
  id: number;
  name: string;
  /** The caller's role in it. */
  role: ChamaRoleView;
}

/** What the Contribute screen shows: what is due and the most that may be paid now. */
export interface ChamaDuesView {
  dueCents: string;
  maxCents: string;
  finesCents: string;
  arrearsCents: string;
  /** What the current cycle still needs. */
  currentCents: string;
}

/** The END screen of a contribution. */
export interface ChamaReceiptView {
  code: string;
  amountCents: string;
  finesPaidCents: string;
  stillDueCents: string;
  savedCents: string;
  walletBalanceCents: string;
}

/** My standing in a chama. */
export interface ChamaStandingView {
  paidThisCycleCents: string;
  arrearsCents: string;
  finesCents: string;
  savedCents: string;
  /** Group loans still owed, and the guarantees held (how many, how much). */
  loansCents: string;
  guarantees: number;
  guaranteedCents: string;
}

/** The group's money. */
export interface ChamaBalanceView {
  savingsCents: string;
  potCents: string;
  loansOutCents: string;
  /** Collected toward the current cycle, of what every member owes for it. */
  collectedCents: string;
  expectedCents: string;
}

/** The next payout. `waiting`: the roles whose approval it still needs (empty before the first approval too: see `approvals`). */
export interface ChamaPayoutView {
  cycleNo: number;
  dueOn: string;
  payable: boolean;
  recipient: string;
  /** The member passed over for arrears, or null. */
  skipped: string | null;
  amountCents: string;
  /** Roles that must still approve. */
  waiting: ChamaRoleView[];
  /** Whether any official has approved yet. */
  started: boolean;
}

/** The outcome of a payout approval. */
export interface ChamaApprovalView {
  recipient: string;
  /** Set when this approval paid it. */
  paidCents: string | null;
  waiting: ChamaRoleView[];
}

/** A member as the Members list shows it. */
export interface ChamaMemberView {
  id: number;
  name: string;
  role: ChamaRoleView;
}

/** A customer about to be added (or added). */
export interface ChamaNewMemberView {
  msisdn: string;
  name: string;
}

/** A request awaiting the caller (an official's approval, or a guarantee). */
export interface ChamaRequestView {
  kind: 'exit' | 'loan';
  id: number;
  name: string;
  amountCents: string;
}

/** What an official's decision did. */
export interface ChamaDecisionView {
  kind: 'exit' | 'loan';
  approved: boolean;
  /** Exit: both approvals in and paid; loan: disbursed. */
  complete: boolean;
  name: string;
  amountCents: string;
}

/** What leaving would pay. */
export interface ChamaExitView {
  savingsCents: string;
  finesCents: string;
  amountCents: string;
}

/** Why a member may borrow nothing from the group now (or `ok`). */
export type ChamaLoanReason = 'ok' | 'no_loans' | 'open_loan' | 'no_savings' | 'group_funds' | 'below_minimum';

/** What a member may borrow from the group. */
export interface ChamaLoanLimitView {
  maxCents: string;
  minCents: string;
  reason: ChamaLoanReason;
  /** How many guarantors the group asks for. */
  guarantors: number;
}

/** What Chama keeps between hops. */
export interface ChamaContext {
  list?: ChamaItem[];
  picked?: ChamaItem;
  dues?: ChamaDuesView;
  payout?: ChamaPayoutView;
  override?: boolean;
  members?: ChamaMemberView[];
  member?: ChamaMemberView;
  role?: ChamaRoleView;
  newMember?: ChamaNewMemberView;
  requests?: ChamaRequestView[];
  request?: ChamaRequestView;
  approve?: boolean;
  exit?: ChamaExitView;
  limit?: ChamaLoanLimitView;
  guarantors?: string[];
  loans?: LoanView[];
  loan?: LoanView;
}

declare module './types.js' {
  interface MenuContext {
    chama?: ChamaContext;
    /** The page (0-based) of the Chama list being shown. */
    chamaPage?: number;
    chamaReceipt?: ChamaReceiptView;
    chamaStanding?: ChamaStandingView;
    chamaBalance?: ChamaBalanceView;
    chamaApproval?: ChamaApprovalView;
    chamaDecision?: ChamaDecisionView;
  }
  interface MenuFailure {
    /** For contribution_too_large and chama_loan_limit: the most allowed now (cents). */
    maxCents?: string;
  }
}

type Caller = { msisdn: string; chamaId: number };
type Pinned = Caller & { pin: string };

/** Inputs and outputs of the Chama effects. */
export interface ChamaEffects {
  /** The caller's chamas, by name, with their role. */
  myChamas: { input: { msisdn: string }; output: { chamas: ChamaItem[] } };
  chamaDues: { input: Caller; output: { chamaDues: ChamaDuesView } };
  /** Pays from the wallet (PIN checked, key `ussd:<sessionId>:<n>`) and writes the SMS receipt. */
  contributeChama: { input: Pinned & { amountCents: string; idempotencyKey: string }; output: { chamaReceipt: ChamaReceiptView } };
  chamaStanding: { input: Caller; output: { chamaStanding: ChamaStandingView } };
  chamaBalance: { input: Caller; output: { chamaBalance: ChamaBalanceView } };
  chamaPayout: { input: Caller; output: { chamaPayout: ChamaPayoutView } };
  /** An official approves cycle `cycleNo`'s payout (with `override`: to the member skipped). */
  approveChamaPayout: { input: Pinned & { cycleNo: number; override: boolean }; output: { chamaApproval: ChamaApprovalView } };
  chamaMembers: { input: Caller; output: { chamaMembers: ChamaMemberView[] } };
  /** The Simu customer with that number, to confirm before adding (officials only). */
  findChamaMember: { input: Caller & { newMsisdn: string }; output: { chamaNewMember: ChamaNewMemberView } };
  addChamaMember: { input: Caller & { newMsisdn: string }; output: { chamaNewMember: ChamaNewMemberView } };
  setChamaRole: { input: Pinned & { memberId: number; role: ChamaRoleView }; output: Record<string, never> };
  /** Exits and loans awaiting this official's approval. */
  chamaRequests: { input: Caller; output: { chamaRequests: ChamaRequestView[] } };
  decideChamaRequest: { input: Pinned & { kind: 'exit' | 'loan'; id: number; approve: boolean }; output: { chamaDecision: ChamaDecisionView } };
  chamaExitQuote: { input: Caller; output: { chamaExit: ChamaExitView } };
  requestChamaExit: { input: Pinned; output: Record<string, never> };
  chamaLoanLimit: { input: Caller; output: { chamaLoanLimit: ChamaLoanLimitView } };
  applyChamaLoan: { input: Pinned & { amountCents: string; guarantors: string[]; idempotencyKey: string }; output: Record<string, never> };
  /** Requests in this chama the caller is asked to guarantee. */
  chamaGuarantees: { input: Caller; output: { chamaGuarantees: ChamaRequestView[] } };
  /** Accept (PIN checked) or decline (no PIN) a guarantee. */
  decideChamaGuarantee: { input: Caller & { requestId: number; accept: boolean; pin?: string }; output: Record<string, never> };
  /** The caller's group loans in this chama still owed (repaid with Loans' `payLoan`). */
  chamaGroupLoans: { input: Caller; output: { chamaLoans: LoanView[] } };
}

function declare<K extends keyof ChamaEffects>(name: K) {
  return effect<ChamaEffects[K]['input'], ChamaEffects[K]['output']>(name);
}

/** The Chama effects, spread into the setup's actors. */
export const chamaActors = {
  myChamas: declare('myChamas'),
  chamaDues: declare('chamaDues'),
  contributeChama: declare('contributeChama'),
  chamaStanding: declare('chamaStanding'),
  chamaBalance: declare('chamaBalance'),
  chamaPayout: declare('chamaPayout'),
  approveChamaPayout: declare('approveChamaPayout'),
  chamaMembers: declare('chamaMembers'),
  findChamaMember: declare('findChamaMember'),
  addChamaMember: declare('addChamaMember'),
  setChamaRole: declare('setChamaRole'),
  chamaRequests: declare('chamaRequests'),
  decideChamaRequest: declare('decideChamaRequest'),
  chamaExitQuote: declare('chamaExitQuote'),
  requestChamaExit: declare('requestChamaExit'),
  chamaLoanLimit: declare('chamaLoanLimit'),
  applyChamaLoan: declare('applyChamaLoan'),
  chamaGuarantees: declare('chamaGuarantees'),
  decideChamaGuarantee: declare('decideChamaGuarantee'),
  chamaGroupLoans: declare('chamaGroupLoans'),
};
