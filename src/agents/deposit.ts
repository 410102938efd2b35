/**
 * Deposit (agent side): a customer hands cash to an agent, which moves the same amount of
 * its float to the customer's wallet. The agent earns a commission (Simu's expense). A
 * deposit larger than the float is refused with the float shown.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { findCustomer } from '../customers/index.js';
import { getAccount, displayBalance, systemAccount, transfer, InsufficientFundsError } from '../ledger/index.js';
import { checkMaxBalance, displayName, limitsInForce, LimitExceededError, RecipientNotFoundError, SelfTransferError } from '../payments/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { agentCommission } from './commission.js';
import { agentSms, customerSms } from './messages.js';
import { maskedNational } from '../phone/index.js';
import { verifyAgentPin } from './pin.js';
import { findAgentByMsisdn } from './repository.js';
import { balanceOf, ensureActive } from './withdraw.js';
import { AgentInactiveError, AgentNotFoundError, InsufficientFloatError } from './errors.js';
import { sweepAfterCredit } from '../loans/sweep.js';

/** The least and most one deposit may be, in cents (KES 50 and KES 70,000, as withdrawals). */
export const DEPOSIT_MIN = 5_000n;
export const DEPOSIT_MAX = 7_000_000n;

/** A deposit request; `idempotencyKey` is `ussd:<sessionId>:<n>` from USSD. */
export interface DepositRequest {
  agentMsisdn: string;
  customerMsisdn: string;
  amount: bigint;
  pin: string;
  idempotencyKey: string;
}

/** A deposit's outcome (cents; `float` is the agent's after). */
export interface DepositReceipt {
  code: string;
  customerName: string;
  customerMsisdn: string;
  amount: bigint;
  commission: bigint;
  float: bigint;
  at: Date;
  replayed: boolean;
}

/**
 * The registered name of the customer an agent is about to deposit to, as the confirmation
 * shows it.
 *
 * @throws AgentNotFoundError, AgentInactiveError, RecipientNotFoundError (none, or not active), SelfTransferError
 */
export async function lookupDepositor(agentMsisdn: string, customerMsisdn: string, db: Db = defaultDb): Promise<string> {
  const agent = await findAgentByMsisdn(agentMsisdn, db);
  if (!agent) throw new AgentNotFoundError();
  if (agent.status !== 'active') throw new AgentInactiveError();
  if (customerMsisdn === agentMsisdn) throw new SelfTransferError();
  const customer = await findCustomer(customerMsisdn, db);
  if (!customer || customer.status !== 'active') throw new RecipientNotFoundError();
  return displayName(customer);
}

/**
 * Checks a deposit amount: KES 50 to KES 70,000.
 *
 * @throws LimitExceededError (`min_amount`, `per_transaction`)
 */
export function checkDepositAmount(amount: bigint): void {
  if (amount < DEPOSIT_MIN) throw new LimitExceededError('min_amount', DEPOSIT_MIN);
  if (amount > DEPOSIT_MAX) throw new LimitExceededError('per_transaction', DEPOSIT_MAX);
}

/**
 * Deposits `amount` cents from the agent's float into the customer's wallet after checking
 * the agent's PIN, in one transaction, idempotent by `idempotencyKey`, with SMS to both.
 * The customer's maximum balance is checked under the locks.
 *
 * @throws WrongPinError, PinLockedError, AgentNotFoundError, AgentInactiveError, RecipientNotFoundError,
 *   SelfTransferError, LimitExceededError, InsufficientFloatError (with the float), IdempotencyConflictError
 */
export async function depositCash(req: DepositRequest, db: Db = defaultDb): Promise<DepositReceipt> {
  checkDepositAmount(req.amount);
  const agent = await verifyAgentPin(req.agentMsisdn, req.pin, db);
  await lookupDepositor(req.agentMsisdn, req.customerMsisdn, db);
  const customer = (await findCustomer(req.customerMsisdn, db))!;
  const expense = await systemAccount(db, 'commissions');
  try {
    return await db.transaction(async (trx) => {
      const limits = await limitsInForce(trx, customer.id, () => new RecipientNotFoundError());
      await ensureActive(trx, agent);
      const commission = await agentCommission(trx, 'deposit', req.amount, 0n);
      const result = await transfer(
        {
          idempotencyKey: req.idempotencyKey,
          kind: 'deposit',
          amount: req.amount,
          postings: [
            { accountId: agent.floatAccountId, amount: req.amount },
            { accountId: customer.walletAccountId, amount: -req.amount },
            { accountId: expense.id, amount: commission },
            { accountId: agent.commissionAccountId, amount: -commission },
          ].filter((p) => p.amount !== 0n),
          metadata: { customer: customer.msisdn, agentNumber: agent.agentNumber, commission: Number(commission) }, // cents
        },
        {
          guard: async (_t, state) => checkMaxBalance(limits, -state.balancesAfter.get(customer.walletAccountId)!),
          afterPost: async (t, r) => {
            await enqueueSms(t, [
              {
                msisdn: customer.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:customer`,
                message: customerSms(customer.language).deposited({ code: r.code, amount: r.amount, at: r.createdAt, agent, balance: balanceOf(r, customer.walletAccountId) }),
              },
              {
                msisdn: agent.msisdn, kind: 'receipt', journalEntryId: r.entryId, dedupeKey: `receipt:${r.code}:agent`,
                message: agentSms(agent.language).depositMade({
                  code: r.code, amount: r.amount, at: r.createdAt, customerName: displayName(customer), customerMsisdn: maskedNational(customer.msisdn),
                  float: balanceOf(r, agent.floatAccountId), commission,
                }),
              },
            ]);
          },
        },
        trx,
      );
      await sweepAfterCredit(trx, customer, result); // an overdue swept loan is repaid first (src/loans/sweep.ts)
      return {
        code: result.code, customerName: displayName(customer), customerMsisdn: customer.msisdn, amount: req.amount, commission,
        float: balanceOf(result, agent.floatAccountId), at: result.createdAt, replayed: result.replayed,
      };
    });
  } catch (err) {
    throw await asInsufficientFloat(db, err, agent.floatAccountId);
  }
}

/** An overdraft of `floatAccountId` becomes InsufficientFloatError with the float now; other errors pass. */
export async function asInsufficientFloat(db: Db, err: unknown, floatAccountId: number): Promise<unknown> {
  if (!(err instanceof InsufficientFundsError) || (err.accountId !== floatAccountId && err.accountId !== -1)) return err;
  return new InsufficientFloatError(displayBalance(await getAccount(db, floatAccountId)));
}
