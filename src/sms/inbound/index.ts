/**
 * SMS commands (inbound SMS relayed by AT) and opt-outs: the parser (pure), the commands
 * and their replies in English and Kiswahili, the per-number rate limit, and the router
 * of AT's `POST /sms/inbound` and `POST /sms/opt-out` callbacks.
 */
export {
  parseSms, parseMoneyCommand, parseAmount, nearestCommand, editDistance, COMMANDS, MONEY_COMMANDS,
  type CommandName, type InboundCommand, type ParsedSms,
} from './parser.js';
export { replies, type FeesFacts, type LoanLine, type ReplyStatementLine, type LimitReason } from './replies.js';
export { runCommand, defaultStager, type MoneyStager, type CommandOutcome, type CommandResult, type Sender } from './commands.js';
export { handleInboundSms, type InboundSms, type InboundDeps, type InboundResult, type InboundOutcome } from './handle.js';
export { smsInboundRouter, parseInboundSms, parseOptOut, type OptOutNotice } from './router.js';
export { optOut, optIn, isOptedOut, type OptOutSource } from './opt-outs.js';
export { smsRateLimit, SMS_COMMANDS_PER_HOUR, SMS_RATE_WINDOW_SECONDS, type RateVerdict, type SmsRateLimit } from './rate-limit.js';
export { recentTransactions, feesForGuardian, loanPosition, walletBalance, SMS_LOAN_PRODUCT } from './reads.js';
