/**
 * Checks a money command as the USSD menus do before their confirmation screen (recipient,
 * merchant, chama membership and dues, open loan and payoff, per-transaction limit) and
 * that the wallet covers amount plus charge. Moves nothing; returns the facts the
 * confirmation screen shows (amounts as decimal strings, as menus keep them).
 */
import type { Db } from '../../db/index.js';
import type { Customer } from '../../customers/index.js';
import { displayBalance, getAccount, InsufficientFundsError } from '../../ledger/index.js';
import { quoteSendMoney, RecipientNotFoundError } from '../../payments/index.js';
import { ACCOUNT_REF, quoteLipa } from '../../merchants/index.js';
import { contributionQuote, findChamaByCode, ChamaInactiveError, ChamaNotFoundError, ContributionTooLargeError } from '../../chama/index.js';
import { getProduct, loanStatement, loansOf, LoanOverpaymentError } from '../../loans/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import { ValidationError } from '../../errors/index.js';
import type { SmsConfirmationView } from '../../../menus/sms-confirm-actors.js';
import { NoOpenLoanError, SmsAmountError } from './errors.js';
import type { MoneyCommand } from './index.js';

/** What a staged request shows and executes, without its id. */
export type StagedQuote = Omit<SmsConfirmationView, 'requestId'>;

/**
 * The quote of `command` for `customer` (registered and active).
 *
 * @throws RecipientNotFoundError, SelfTransferError, MerchantNotFoundError, LimitExceededError, ChamaNotFoundError,
 *   NotAMemberError, ContributionTooLargeError, NoOpenLoanError, LoanOverpaymentError, InsufficientFundsError, ...
 */
export async function quoteCommand(db: Db, customer: Customer, command: MoneyCommand): Promise<StagedQuote> {
  if (typeof command.amount !== 'bigint' || command.amount <= 0n) throw new SmsAmountError();
  const quote = await quoteOf(db, customer, command);
  const wallet = displayBalance(await getAccount(db, customer.walletAccountId));
  if (wallet < command.amount + BigInt(quote.chargeCents)) throw new InsufficientFundsError(customer.walletAccountId);
  return quote;
}

async function quoteOf(db: Db, customer: Customer, command: MoneyCommand): Promise<StagedQuote> {
  const amountCents = command.amount.toString();
  switch (command.kind) {
    case 'send': {
      const recipient = normalizeMsisdn(command.recipient);
      if (!recipient) throw new RecipientNotFoundError();
      const q = await quoteSendMoney(customer.msisdn, recipient, command.amount, db);
      return { kind: 'send', amountCents, chargeCents: q.charge.toString(), recipientMsisdn: recipient, recipientName: q.recipientName };
    }
    case 'paybill': {
      const accountRef = command.account.trim().toUpperCase();
      if (!ACCOUNT_REF.test(accountRef)) throw new ValidationError('account: 1-20 letters, digits or dashes', 'account');
      const q = await quoteLipa(customer.msisdn, 'paybill', command.paybill, command.amount, db);
      return { kind: 'paybill', amountCents, chargeCents: '0', shortCode: command.paybill, accountRef, merchantName: q.merchantName };
    }
    case 'till': {
      const q = await quoteLipa(customer.msisdn, 'till', command.till, command.amount, db);
      return { kind: 'till', amountCents, chargeCents: '0', shortCode: command.till, merchantName: q.merchantName };
    }
    case 'contribute': {
      const chama = await findChamaByCode(db, command.chamaCode);
      if (!chama) throw new ChamaNotFoundError(command.chamaCode);
      if (chama.status !== 'active') throw new ChamaInactiveError(chama.id);
      const { dues } = await contributionQuote(db, chama.id, customer.id);
      if (command.amount > dues.max) throw new ContributionTooLargeError(dues.max);
      return { kind: 'contribute', amountCents, chargeCents: '0', chamaId: chama.id, chamaName: chama.name };
    }
    case 'repay': {
      // loansOf lists newest first: the oldest loan with something to pay is the one repaid.
      for (const loan of (await loansOf(db, customer.id, { open: true })).reverse()) {
        const s = await loanStatement(db, loan.id);
        if (s.payoff <= 0n) continue;
        if (command.amount > s.payoff) throw new LoanOverpaymentError(s.payoff);
        const product = await getProduct(db, loan.productId);
        return { kind: 'repay', amountCents, chargeCents: '0', loanId: loan.id.toString(), productName: product.name };
      }
      throw new NoOpenLoanError();
    }
    default:
      throw new ValidationError('unknown command', 'kind');
  }
}
