/**
 * Send Money (customer to customer): the quote shown on the confirmation screen and the
 * transfer itself, with charge, limits and both receipts in one database transaction.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { findCustomer, toCustomer, verifyPinOnRow, CustomerInactiveError, CustomerNotFoundError, type Customer } from '../customers/index.js';
import { displayBalance, systemAccount, transfer, type PostingInput, type TransferResult } from '../ledger/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { nationalFormat } from '../phone/index.js';
import { chargeFor } from './tariff.js';
import { checkMaxBalance, checkOutgoingLimits, checkPerTransaction, type Limits } from './limits.js';
import { readLimitsAndCharge, readParties, readQuoteFacts } from './send-money-reads.js';
import { RecipientNotFoundError, SelfTransferError } from './errors.js';
import { sweepAfterCredit } from '../loans/sweep.js';

/** What the confirmation screen shows (amounts in cents). */
export interface SendMoneyQuote {
  recipientMsisdn: string;
  /** The recipient's name as registered. */
  recipientName: string;
  amount: bigint;
  charge: bigint;
}

/** The outcome of a send (amounts in cents; `balance` is the payer's, after). */
export interface SendMoneyReceipt extends SendMoneyQuote {
  code: string;
  balance: bigint;
  at: Date;
  /** True when an idempotent retry returned an earlier send. */
  replayed: boolean;
}

/** Full name as receipts print it. */
export function displayName(c: Pick<Customer, 'firstName' | 'lastName'>): string {
  return `${c.firstName} ${c.lastName}`.toUpperCase();
}

/**
 * The recipient's registered name and the charge for `amount` cents; checks the payer's
 * per-transaction limit (their override, else their tier's). Moves nothing.
 *
 * @throws RecipientNotFoundError, SelfTransferError, LimitExceededError, CustomerNotFoundError
 */
export async function quoteSendMoney(payerMsisdn: string, recipientMsisdn: string, amount: bigint, db: Db = defaultDb): Promise<SendMoneyQuote> {
  if (payerMsisdn === recipientMsisdn) throw new SelfTransferError();
  // One round trip for what activeRecipient, findCustomer, loadLimits and chargeFor read apart; checked in their order.
  const facts = await readQuoteFacts(db, 'send_money', payerMsisdn, recipientMsisdn, amount);
  const recipient = checkRecipient(facts.recipient);
  if (!facts.payerFound) throw new CustomerNotFoundError();
  if (facts.perTransaction === null) throw new Error('no limits for tier default: run the seeds');
  checkPerTransaction({ perTransaction: facts.perTransaction }, amount);
  const charge = facts.charge ?? (await chargeFor(db, 'send_money', amount)); // no band: chargeFor says why
  return { recipientMsisdn, recipientName: displayName(recipient), amount, charge };
}

/**
 * Moves `amount` cents plus the charge out of the payer's wallet after checking the PIN:
 * the amount to the recipient, the charge to `revenue:charges`, and writes both SMS
 * receipts to the outbox, all in one transaction, idempotent by `idempotencyKey`
 * (`ussd:<sessionId>:<n>` from USSD). The tariff, the payer's limits and the recipient's
 * maximum balance (each a customer override or the tier's value) and both parties'
 * status are read in that transaction, so an admin change applies to the next send.
 *
 * @throws WrongPinError, PinLockedError, CustomerInactiveError (customers), RecipientNotFoundError,
 *   SelfTransferError, LimitExceededError, InsufficientFundsError, IdempotencyConflictError
 */
export async function sendMoney(
  req: { payerMsisdn: string; recipientMsisdn: string; amount: bigint; pin: string; idempotencyKey: string },
  db: Db = defaultDb,
): Promise<SendMoneyReceipt> {
  // Both parties' rows in one read; the PIN is checked first, on the payer's row, as verifyPin does.
  const rows = await readParties(db, req.payerMsisdn, req.recipientMsisdn);
  const payer = await verifyPinOnRow(req.payerMsisdn, req.pin, rows.payer, db);
  if (req.payerMsisdn === req.recipientMsisdn) throw new SelfTransferError();
  const recipient = checkRecipient(rows.recipient && toCustomer(rows.recipient));
  const revenue = await systemAccount(db, 'charges');
  return db.transaction(async (trx) => {
    const { payerLimits, recipientLimits, charge: band } = await partiesInForce(trx, payer, recipient, req.amount);
    checkPerTransaction(payerLimits, req.amount);
    const charge = band ?? (await chargeFor(trx, 'send_money', req.amount)); // no band: chargeFor says why
    const postings: PostingInput[] = [
      { accountId: payer.walletAccountId, amount: req.amount + charge },
      { accountId: recipient.walletAccountId, amount: -req.amount },
    ];
    if (charge > 0n) postings.push({ accountId: revenue.id, amount: -charge });
    const result = await transfer(
      {
        idempotencyKey: req.idempotencyKey,
        kind: 'p2p',
        amount: req.amount,
        postings,
        metadata: { payer: payer.msisdn, recipient: recipient.msisdn, charge: Number(charge) }, // cents
      },
      {
        guard: async (t, state) => {
          await checkOutgoingLimits(t, payerLimits, payer.walletAccountId, req.amount);
          checkMaxBalance(recipientLimits, -state.balancesAfter.get(recipient.walletAccountId)!);
        },
        afterPost: (t, r) => writeReceipts(t, r, payer, recipient, charge),
      },
      trx,
    );
    await sweepAfterCredit(trx, recipient, result); // an overdue swept loan of the recipient's is repaid first (src/loans/sweep.ts)
    return {
      code: result.code,
      recipientMsisdn: recipient.msisdn,
      recipientName: displayName(recipient),
      amount: req.amount,
      charge,
      balance: balanceAfter(result, payer.walletAccountId),
      at: result.createdAt,
      replayed: result.replayed,
    };
  });
}

/**
 * The registered name of the recipient, as the Send Money screens show it.
 *
 * @throws RecipientNotFoundError (also for a recipient who is not active), SelfTransferError
 */
export async function lookupRecipient(payerMsisdn: string, recipientMsisdn: string, db: Db = defaultDb): Promise<string> {
  return displayName(await activeRecipient(payerMsisdn, recipientMsisdn, db));
}

async function activeRecipient(payerMsisdn: string, recipientMsisdn: string, db: Db): Promise<Customer> {
  if (payerMsisdn === recipientMsisdn) throw new SelfTransferError();
  return checkRecipient(await findCustomer(recipientMsisdn, db));
}

/** @throws RecipientNotFoundError when there is no recipient or they are not active */
function checkRecipient(recipient: Customer | null): Customer {
  if (!recipient) throw new RecipientNotFoundError();
  // A suspended recipient is told apart from none only to staff: the payer sees "not registered".
  if (recipient.status !== 'active') throw new RecipientNotFoundError();
  return recipient;
}

/**
 * Both parties' limits in force (tier plus overrides) and the charge for `amount` (null
 * when no band holds it), read in the transfer's transaction in one query, which also
 * re-checks that both are still active: a suspension committed after the PIN check and
 * the recipient lookup, but before this transaction, still stops the send.
 *
 * @throws CustomerInactiveError the payer is no longer active; RecipientNotFoundError the recipient
 */
async function partiesInForce(trx: Db, payer: Customer, recipient: Customer, amount: bigint): Promise<{ payerLimits: Limits; recipientLimits: Limits; charge: bigint | null }> {
  const { parties, charge } = await readLimitsAndCharge(trx, [payer.id, recipient.id], 'send_money', amount);
  const p = parties.get(payer.id);
  const r = parties.get(recipient.id);
  if (!p || !r) throw new Error('no limits for the default tier: run the seeds');
  if (p.status !== 'active') throw new CustomerInactiveError();
  if (r.status !== 'active') throw new RecipientNotFoundError();
  return { payerLimits: p.limits, recipientLimits: r.limits, charge };
}

function balanceAfter(result: TransferResult, accountId: number): bigint {
  const leg = result.postings.find((p) => p.accountId === accountId);
  // Wallets are credit-normal: the owner reads the negated signed balance.
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}

async function writeReceipts(db: Db, r: TransferResult, payer: Customer, recipient: Customer, charge: bigint): Promise<void> {
  await enqueueSms(db, [
    {
      msisdn: payer.msisdn,
      kind: 'receipt',
      journalEntryId: r.entryId,
      dedupeKey: `receipt:${r.code}:payer`,
      message: sms(payer.language).sentReceipt({
        code: r.code, amount: r.amount, counterparty: displayName(recipient), counterpartyMsisdn: nationalFormat(recipient.msisdn),
        at: r.createdAt, balance: balanceAfter(r, payer.walletAccountId), charge,
      }),
    },
    {
      msisdn: recipient.msisdn,
      kind: 'receipt',
      journalEntryId: r.entryId,
      dedupeKey: `receipt:${r.code}:payee`,
      message: sms(recipient.language).receivedReceipt({
        code: r.code, amount: r.amount, counterparty: displayName(payer), counterpartyMsisdn: nationalFormat(payer.msisdn),
        at: r.createdAt, balance: balanceAfter(r, recipient.walletAccountId),
      }),
    },
  ]);
}
