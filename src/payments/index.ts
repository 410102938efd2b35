/** Payments: send money, balances, tariffs and limits, on top of the ledger. */
export { quoteSendMoney, sendMoney, lookupRecipient, displayName, type SendMoneyQuote, type SendMoneyReceipt } from './send-money.js';
export { checkBalance } from './balance.js';
export { chargeFor } from './tariff.js';
export { loadLimits, type Limits } from './limits.js';
export { RecipientNotFoundError, SelfTransferError, LimitExceededError, type LimitName } from './errors.js';
