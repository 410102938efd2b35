/**
 * Agents: cash in (Deposit) and cash out (Withdraw Cash) over USSD, float and commission.
 * Money moves only through the ledger's `transfer()`; floats and commission accounts are
 * no-overdraft liabilities, so the database refuses a negative one.
 */
export {
  findAgent, findAgentByMsisdn, activeAgentStore, storesOf, registerAgent, addStores, setAgentStatus, toAgent,
  type Agent, type AgentKind, type AgentStore, type AgentRegistration,
} from './repository.js';
export { verifyAgentPin, setAgentPin } from './pin.js';
export { agentCommission, applyRate, loadCommissionRates, DEFAULT_COMMISSION_RATES, type CommissionKind, type CommissionRate } from './commission.js';
export { quoteWithdrawal, withdrawCash, type WithdrawalQuote, type WithdrawalReceipt, type WithdrawalRequest } from './withdraw.js';
export { lookupDepositor, depositCash, checkDepositAmount, DEPOSIT_MIN, DEPOSIT_MAX, type DepositRequest, type DepositReceipt } from './deposit.js';
export { agentBalances, balancesOf, floatRoute, lookupFloatRecipient, moveFloat, moveCommissionToFloat, type AgentBalances, type FloatReceipt } from './float.js';
export { agentStatement, statementOf, type AgentStatementLine } from './statement.js';
export {
  AgentNotFoundError, StoreNotFoundError, AgentInactiveError, InsufficientFloatError, FloatTransferNotAllowedError, AgentExistsError,
} from './errors.js';
