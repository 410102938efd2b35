/**
 * Chamas (issue 9): savings groups. Members contribute each cycle; the merry-go-round part
 * is paid to one member in turn once two officials approve; the savings part stays and is
 * lent to members against guarantees; late payers are fined. Every contribution, fine and
 * payout is a journal entry (books.ts); a member's standing is read from the ledger and the
 * rows that record how their payments were shared out (dues.ts).
 */
export { chamaBook, openChamaAccounts, openMemberAccounts, type ChamaAccounts } from './books.js';
export {
  createChama, getChama, findChamaByCode, listChamas, updateChamaPolicy,
  type Chama, type NewChama, type ChamaPolicy, type ChamaFrequency, type ChamaStatus,
} from './chamas.js';
export {
  addMember, setRole, setRotation, sendToBack, getMember, membersOf, membershipOf, chamasOf, isOfficial, CHAMA_ROLES,
  type Member, type ChamaRole,
} from './members.js';
export { dueOn, cycleOn, fineOn, MAX_CYCLES_AHEAD } from './cycles.js';
export { duesOf, duesFrom, allocate, paidByCycle, firstCycleOf, type Dues, type Allocation, type DuesLine, type CyclePaid } from './dues.js';
export { contribute, contributionQuote, contributionPostings, type Contribution, type ContributionReceipt, type ChamaPayer } from './contribute.js';
export { postFines, cyclesToFine, FINE_LOOKBACK_DAYS, type PostedFine } from './fines.js';
export { contributionSms, fineSms, type ChamaSmsLanguage, type ContributionFacts, type FineFacts } from './messages.js';
export {
  ChamaNotFoundError, ChamaExistsError, ChamaInactiveError, NotAMemberError, AlreadyAMemberError, NotAnOfficialError,
  OfficeTakenError, ContributionTooLargeError, ChamaStateError, ChamaLoanLimitError,
} from './errors.js';
export { runChamaDay, sendDueReminders, sendWeeklySummary, weeklySummaryOf, cycleToRemind, isSummaryDay, REMIND_DAYS_BEFORE, SUMMARY_WEEKDAY, type ChamaDayRun } from './reminders.js';
export { startChamaReminders, CHAMA_DAILY_QUEUE, CHAMA_DAILY_CRON, CHAMA_DAILY_TZ, type ChamaRemindersOptions, type RunningChamaReminders } from './reminder-job.js';
export { dueReminderSms, weeklySummarySms, type DueReminderFacts, type WeeklySummaryFacts } from './messages-reminders.js';
export { requiredRoles, recordApproval, signedRoles, signerOf, type ApprovalSubject, type Signer } from './approvals.js';
export { nextPayout, approvePayout, potFor, type NextPayout, type PayoutApproval } from './payouts.js';
export { requestExit, approveExit, pendingExits, exitQuote, type Exit } from './exits.js';
export { payoutReceiptSms, payoutNoticeSms, exitPaidSms } from './messages-payouts.js';
export {
  applyGroupLoan, decideGuarantee, approveGroupLoan, groupLoanLimit, guaranteeRequestsFor, loansToApprove, groupLoansOf, guaranteesHeld, getLoanRequest,
  type LoanRequest, type GroupLoanLimit,
} from './group-loans.js';
export { guaranteeAskedSms, loanToApproveSms, loanDeclinedSms } from './messages-loans.js';
export { groupSummary, type GroupSummary } from './summary.js';
