/**
 * The shapes menus share with the runner that drives them. Amounts are cents as decimal
 * strings here (`"50000"` is KES 500): a menu's context is persisted as JSON, which has
 * no bigint. A PIN never enters the context: it travels in the INPUT event straight into
 * the effect that checks it.
 */

/** Languages the menus speak. */
export type Lang = 'en' | 'sw';

/** What the runner knows when a session starts. */
export interface MenuInput {
  sessionId: string;
  /** E.164 MSISDN of the phone that dialled. */
  msisdn: string;
  /** The registered customer, or null for a number that must register first. */
  customer: { firstName: string; language: Lang; suspended?: boolean } | null;
  /**
   * The agent whose phone dialled, or null (absent: not an agent). An agent starts at the
   * agent menu instead of the customer home.
   */
  agent?: AgentCaller | null;
}

/** An agent as the menu knows it when the session starts. */
export interface AgentCaller {
  /** 6 digits. */
  agentNumber: string;
  name: string;
  kind: 'agent' | 'super_agent';
  language: Lang;
  suspended?: boolean;
}

/** One user input; `index` counts the inputs of the session up to and including it. */
export interface InputEvent {
  type: 'INPUT';
  value: string;
  index: number;
}

/** How an effect reports a refusal to the menu (from the domain's AppError). */
export interface MenuFailure {
  code: string;
  attemptsLeft?: number;
  limitName?: string;
  limitCents?: string;
  /** For pin_locked: whole minutes until the PIN opens again. */
  minutesLeft?: number;
}

/** Screen-level error shown above a re-asked question. */
export interface ScreenError {
  key: string;
  params?: Record<string, string | number>;
}

/** One mini-statement line as the menu shows it: `amountCents` signed (money out negative). */
export interface StatementLineView {
  code: string;
  /** `dd/mm`, Africa/Nairobi. */
  date: string;
  party: string;
  amountCents: string;
}

/** Limits and what is left of them, cents as strings. */
export interface LimitsView {
  perTransactionCents: string;
  perDayCents: string;
  leftTodayCents: string;
  perMonthCents: string;
  leftThisMonthCents: string;
}

/** The context of the main menu. */
export interface MenuContext extends MenuInput {
  lang: Lang;
  error?: ScreenError;
  /** Invalid inputs in a row; the third ends the session. */
  invalidCount?: number;
  recipientMsisdn?: string;
  recipientName?: string;
  amountCents?: string;
  chargeCents?: string;
  receipt?: { code: string; amountCents: string; chargeCents: string; recipientName: string; recipientMsisdn: string; balanceCents: string };
  balanceCents?: string;
  registration?: { firstName?: string; lastName?: string; nationalId?: string };
  /** The mini statement being shown, and the page (0-based). */
  statement?: StatementLineView[];
  statementPage?: number;
  /** Limits in force and what is left, cents as strings. */
  limitsLeft?: LimitsView;
  /** A keyed seal of a new PIN awaiting confirmation (never the PIN). */
  pinSeal?: string;
  /** How the session ended badly, for the final screen. */
  failure?: MenuFailure;
}

/** Inputs and outputs of the effects the runner provides (`machine.provide({ actors })`). */
export interface Effects {
  lookupRecipient: { input: { payerMsisdn: string; recipientMsisdn: string }; output: { recipientName: string } };
  quoteSendMoney: { input: { payerMsisdn: string; recipientMsisdn: string; amountCents: string }; output: { chargeCents: string } };
  sendMoney: {
    input: { payerMsisdn: string; recipientMsisdn: string; amountCents: string; pin: string; idempotencyKey: string };
    output: NonNullable<MenuContext['receipt']>;
  };
  checkBalance: { input: { msisdn: string; pin: string }; output: { balanceCents: string } };
  verifyPin: { input: { msisdn: string; pin: string }; output: Record<string, never> };
  sealPin: { input: { sessionId: string; pin: string }; output: { seal: string } };
  setPin: { input: { msisdn: string; sessionId: string; pin: string; seal: string }; output: Record<string, never> };
  miniStatement: { input: { msisdn: string; pin: string }; output: { lines: StatementLineView[] } };
  limitsLeft: { input: { msisdn: string }; output: LimitsView };
  setLanguage: { input: { msisdn: string; language: Lang }; output: Record<string, never> };
  requestPinReset: { input: { msisdn: string; nationalId: string }; output: Record<string, never> };
  verifyPinResetCode: { input: { msisdn: string; sessionId: string; code: string }; output: Record<string, never> };
  completePinReset: { input: { msisdn: string; sessionId: string; pin: string; seal: string }; output: Record<string, never> };
  register: {
    input: { msisdn: string; sessionId: string; firstName: string; lastName: string; nationalId: string; pin: string; seal: string; language: Lang };
    output: { firstName: string };
  };
}
