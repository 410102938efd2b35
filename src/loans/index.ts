/**
 * Loans (issue 8): the engine. Products are data; a schedule is computed exactly in cents
 * (schedule.ts); a loan's life is an xstate machine (machine.ts) whose steps post through
 * the ledger's `transfer()`: disbursement, repayment, penalty accrual, write-off. Each loan
 * has its own receivable account `loan:<id>` whose balance equals what its installments
 * say is outstanding, always. Every function takes the database (or a transaction) first.
 * A loan may be funded (`LoanFunder`: a group's fund and claims accounts): it lends the
 * group's money, and its income and losses are the group's (income.ts), not the platform's.
 * On top of the engine: loan limits from ledger inflow (limit.ts), the sweep every wallet
 * arrival goes through (sweep.ts), and the daily penalties-and-reminders run (reminders.ts,
 * reminder-job.ts).
 */
export { computeSchedule, type ScheduleTerms, type ScheduledInstallment } from './schedule.js';
export { divHalfUp, percentOf, equalInstallment } from './arith.js';
export { nairobiDay, addDays, addMonths, addPeriods, daysBetween, isDay, type PeriodUnit } from './dates.js';
export {
  createProduct, ensureProduct, updateProduct, getProduct, findProductByCode, listProducts, type LoanProduct, type NewLoanProduct,
} from './products.js';
export { loanMachine, nextStatus, type LoanStatus, type LoanEvent } from './machine.js';
export { disburseLoan, type DisbursementRequest, type Disbursement } from './disburse.js';
export { repayLoan, type RepaymentRequest, type Repayment } from './repay.js';
export { accruePenalties, penaltiesDue, type PenaltyRun, type PenaltyCharge } from './penalties.js';
export { writeOffLoan, WRITE_OFF_AFTER_DAYS, type WriteOff } from './write-off.js';
export { loanStatement, type LoanStatement, type StatementInstallment } from './statement.js';
export { allocateRepayment, outstandingOf, payoffAmount, overdueOf, type Allocation, type Components, type InstallmentState } from './allocate.js';
export { loadLoan, loansOf, findLoanByKey, overdueSweptLoans, type Loan, type Funder as LoanFunder } from './repository.js';
export { incomeAccountId, type LoanIncome } from './income.js';
export {
  LoanProductNotFoundError, LoanProductExistsError, LoanProductRetiredError, LoanNotFoundError, LoanAmountOutOfRangeError,
  LoanStatusError, LoanOverpaymentError, WriteOffTooEarlyError,
} from './errors.js';
export { loanLimit, inflowOf, LIMIT_WINDOW_DAYS, NOT_INFLOW_KINDS, type LoanLimit, type LoanLimitReason } from './limit.js';
export { sweepAfterCredit, sweepKey, type SweptCustomer } from './sweep.js';
export { runLoanDay, sendLoanReminders, REMIND_DAYS_BEFORE, OVERDUE_EVERY_DAYS, type LoanDayRun, type LoanReminderRun } from './reminders.js';
export { startLoanReminders, LOAN_DAILY_QUEUE, LOAN_DAILY_CRON, type LoanRemindersOptions, type RunningLoanReminders } from './reminder-job.js';
export { sweepSms, dueSoonSms, dueTodaySms, overdueSms, showDay, type SweepFacts, type ReminderFacts } from './messages.js';
export { loanDisbursedSms, loanRepaidSms, type DisbursedFacts, type RepaidFacts } from './messages.js';
