/**
 * Withdraw Cash (customer side): a customer takes cash from an agent's store. One journal
 * entry: the wallet pays amount + charge; the agent's float grows by the amount (the agent
 * hands over cash it held); the charge goes to revenue; the agent's commission is Simu's
 * expense, credited to the agent's commission account.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { findCustomer, verifyPin, CustomerInactiveError, CustomerNotFoundError } from '../customers/index.js';
import { displayBalance, systemAccount, transfer, type TransferResult } from '../ledger/index.js';
import { chargeFor, checkOutgoingLimits, checkPerTransaction, displayName, limitsInForce, loadLimits, SelfTransferError } from '../payments/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { agentCommission } from './commission.js';
import { agentSms, customerSms } from './messages.js';
import { maskedNational } from '../phone/index.js';
import { activeAgentStore, type Agent } from './repository.js';
import { AgentInactiveError } from './errors.js';

/** What the confirmation screen shows (cents). */
export interface WithdrawalQuote {
  agentName: string;
  agentNumber: string;
  storeNumber: string;
  amount: bigint;
  charge: bigint;
}

/** A withdrawal's outcome (cents; `balance` is the customer's after). */
export interface WithdrawalReceipt extends WithdrawalQuote {
  code: string;
  commission: bigint;
  balance: bigint;
  at: Date;
  replayed: boolean;
}

/** A withdrawal request; `idempotencyKey` is `ussd:<sessionId>:<n>` from USSD. */
export interface WithdrawalRequest {
  customerMsisdn: string;
  agentNumber: string;
  storeNumber: string;
  amount: bigint;
  pin: string;
  idempotencyKey: string;
}

/**
 * The agent's name and the charge for withdrawing `amount` cents at its store; checks the
 * customer's per-transaction limit and the withdrawal bands (KES 50–70,000). Moves nothing.
 *
 * @throws AgentNotFoundError, AgentInactiveError, StoreNotFoundError, LimitExceededError, CustomerNotFoundError,
 *   SelfTransferError (the agent's own number)
 */
export async function quoteWithdrawal(customerMsisdn: string, agentNumber: string, storeNumber: string, amount: bigint, db: Db = defaultDb): Promise<WithdrawalQuote> {
  const { agent, store } = await activeAgentStore(agentNumber, storeNumber, db);
  if (agent.msisdn === customerMsisdn) throw new SelfTransferError();
  const customer = await findCustomer(customerMsisdn, db);
  if (!customer) throw new CustomerNotFoundError();
  const charge = await chargeFor(db, 'withdrawal', amount);
  checkPerTransaction(await loadLimits(db, customer.id), amount);
  return { agentName: agent.name, agentNumber: agent.agentNumber, storeNumber: store.storeNumber, amount, charge };
}

/**
 * Withdraws `amount` cents at an agent's store after checking the customer's PIN, in one
 * transaction, idempotent by `idempotencyKey`: the entry, the customer's receipt and the
 * agent's SMS (naming the customer, amount and code so the cash can be handed over).
 * Tariff, commission rate, limits and both parties' status are read in that transaction.
 *
 * @throws WrongPinError, PinLockedError, CustomerInactiveError, AgentNotFoundError, AgentInactiveError,
 *   StoreNotFoundError, SelfTransferError, LimitExceededError, InsufficientFundsError, IdempotencyConflictError
 */
export async function withdrawCash(req: WithdrawalRequest, db: Db = defaultDb): Promise<WithdrawalReceipt> {
  const customer = await verifyPin(req.customerMsisdn, req.pin, db);
  const { agent, store } = await activeAgentStore(req.agentNumber, req.storeNumber, db);
  // An agent cashing out of its own float would earn commission on nothing.
  if (agent.msisdn === customer.msisdn) throw new SelfTransferError();
  const revenue = await systemAccount(db, 'charges');
  const expense = await systemAccount(db, 'commissions');
  return db.transaction(async (trx) => {
    const limits = await limitsInForce(trx, customer.id, () => new CustomerInactiveError());
    await ensureActive(trx, agent);
    checkPerTransaction(limits, req.amount);
    const charge = await chargeFor(trx, 'withdrawal', req.amount);
    const commission = await agentCommission(trx, 'withdrawal', req.amount, charge);
    const result = await transfer(
      {
        idempotencyKey: req.idempotencyKey,
        kind: 'withdrawal',
        amount: req.amount,
        postings: [
          { accountId: customer.walletAccountId, amount: req.amount + charge },
          { accountId: agent.floatAccountId, amount: -req.amount },
          { accountId: revenue.id, amount: -charge },
          { accountId: expense.id, amount: commission },
          { accountId: agent.commissionAccountId, amount: -commission },
        ].filter((p) => p.amount !== 0n),
        metadata: { customer: customer.msisdn, agentNumber: agent.agentNumber, storeNumber: store.storeNumber, charge: Number(charge), commission: Number(commission) }, // cents
      },
      {
        guard: (t) => checkOutgoingLimits(t, limits, customer.walletAccountId, req.amount),
        afterPost: (t, r) =>
          enqueueSms(t, [
            {
              msisdn: customer.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:customer`,
              message: customerSms(customer.language).withdrew({ code: r.code, amount: r.amount, at: r.createdAt, agent, storeNumber: store.storeNumber, balance: balanceOf(r, customer.walletAccountId), charge }),
            },
            {
              msisdn: agent.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:agent`,
              message: agentSms(agent.language).payOut({
                code: r.code, amount: r.amount, at: r.createdAt, customerName: displayName(customer), customerMsisdn: maskedNational(customer.msisdn),
                float: balanceOf(r, agent.floatAccountId), commission,
              }),
            },
          ]).then(() => undefined),
      },
      trx,
    );
    return {
      code: result.code, agentName: agent.name, agentNumber: agent.agentNumber, storeNumber: store.storeNumber, amount: req.amount, charge,
      commission, balance: balanceOf(result, customer.walletAccountId), at: result.createdAt, replayed: result.replayed,
    };
  });
}

/** Re-reads the agent's status in the movement's transaction: a suspension committed since the lookup still stops it. */
export async function ensureActive(trx: Db, agent: Agent): Promise<void> {
  const row = await trx('agents').where({ id: agent.id }).first('status');
  if (row?.status !== 'active') throw new AgentInactiveError();
}

/** The owner's balance (credit-normal accounts: wallets, floats, commission) after the entry, in cents. */
export function balanceOf(result: TransferResult, accountId: number): bigint {
  const leg = result.postings.find((p) => p.accountId === accountId);
  return leg ? displayBalance({ balance: leg.balanceAfter, normalSide: 'credit' }) : 0n;
}
