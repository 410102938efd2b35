/** Payments: send money, balances, tariffs and limits, on top of the ledger. */
export { quoteSendMoney, sendMoney, lookupRecipient, displayName, type SendMoneyQuote, type SendMoneyReceipt } from './send-money.js';
export { checkBalance } from './balance.js';
export { reverseTransfer, FundsSpentError, type ReversalOutcome } from './reverse-transfer.js';
export { chargeFor, loadTariff, replaceTariff, checkBands, TARIFF_TYPES, type TariffType, type TariffBand } from './tariff.js';
export { checkOutgoingLimits, checkPerTransaction, checkMaxBalance, loadLimits, loadLimitsFor, limitsInForce, loadTierLimits, saveTierLimits, checkLimitOrder, DEFAULT_TIER, type Limits, type CustomerLimits } from './limits.js';
export { loadLimitOverrides, setLimitOverrides, type LimitOverrides } from './customer-limits.js';
export { RecipientNotFoundError, SelfTransferError, LimitExceededError, type LimitName } from './errors.js';
export { miniStatement, walletLines, limitsLeft, type StatementLine, type LimitsLeft } from './statement.js';
