/** Menus: pure XState machines for the *384# USSD service and their screens. */
export { mainMenu } from './machine.js';
export { renderScreen, statePath, type Screen, type RenderableSnapshot } from './render.js';
export { SCREEN_LIMIT, gsm7Length, toGsm7 } from './gsm7.js';
export type { MenuContext, MenuInput, AgentCaller, InputEvent, MenuFailure, Effects, Lang } from './types.js';
export type { AgentEffects } from './agent-actors.js';
export type { SmsConfirmEffects, SmsConfirmationView, SmsCommandKind } from './sms-confirm-actors.js';
export type { WithdrawEffects } from './withdraw-actors.js';
export type { FeesEffects, FeeStatementView, FeeReceiptView, FeesItem } from './fees-actors.js';
export type { LoansEffects, LoanProductView, LoanLimitView, LoanTermsView, LoanReceiptView, LoanView, LoanRepaymentView } from './loans-actors.js';
export type {
  ChamaEffects, ChamaItem, ChamaRoleView, ChamaDuesView, ChamaReceiptView, ChamaStandingView, ChamaBalanceView, ChamaPayoutView, ChamaApprovalView,
  ChamaMemberView, ChamaNewMemberView, ChamaRequestView, ChamaDecisionView, ChamaExitView, ChamaLoanLimitView, ChamaLoanReason,
} from './chama-actors.js';
