/**
 * Float: its balance, moving it between agents (an agent to a sibling under the same super
 * agent or back to its super agent; a super agent selling to its own agents), and moving
 * commission into float. Every movement is one journal entry, idempotent by its key.
 */
import { db as defaultDb, type Db } from '../db/index.js';
import { entryIdForKey, getAccount, displayBalance, loadEntry, transfer } from '../ledger/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { agentSms } from './messages.js';
import { verifyAgentPin } from './pin.js';
import { findAgent, type Agent } from './repository.js';
import { asInsufficientFloat } from './deposit.js';
import { balanceOf, ensureActive } from './withdraw.js';
import { AgentInactiveError, AgentNotFoundError, FloatTransferNotAllowedError } from './errors.js';
import { ValidationError } from '../errors/index.js';

/** An agent's balances, cents. */
export interface AgentBalances {
  float: bigint;
  commission: bigint;
}

/** The float and commission balances of the agent whose phone is `msisdn`, after its PIN. @throws as verifyAgentPin */
export async function agentBalances(msisdn: string, pin: string, db: Db = defaultDb): Promise<AgentBalances> {
  const agent = await verifyAgentPin(msisdn, pin, db);
  return balancesOf(agent, db);
}

/** The float and commission balances of `agent`, cents. */
export async function balancesOf(agent: Agent, db: Db = defaultDb): Promise<AgentBalances> {
  const [float, commission] = await Promise.all([getAccount(db, agent.floatAccountId), getAccount(db, agent.commissionAccountId)]);
  return { float: displayBalance(float), commission: displayBalance(commission) };
}

/**
 * Whether `from` may send float to `to`: an agent to its super agent or to another agent
 * under the same super agent; a super agent to its own agents. Returns the entry kind.
 *
 * @throws FloatTransferNotAllowedError
 */
export function floatRoute(from: Agent, to: Agent): 'float_transfer' | 'float_sale' {
  if (from.id === to.id) throw new FloatTransferNotAllowedError('you cannot send float to yourself');
  if (from.kind === 'super_agent') {
    if (to.superAgentId === from.id) return 'float_sale';
    throw new FloatTransferNotAllowedError('a super agent sells float only to its own agents');
  }
  if (from.superAgentId !== null && (to.id === from.superAgentId || to.superAgentId === from.superAgentId)) return 'float_transfer';
  throw new FloatTransferNotAllowedError('float moves only to your super agent or agents under it');
}

/**
 * The agent `toAgentNumber` as the confirmation shows it, when `fromMsisdn`'s agent may send it float.
 *
 * @throws AgentNotFoundError, AgentInactiveError, FloatTransferNotAllowedError
 */
export async function lookupFloatRecipient(fromMsisdn: string, toAgentNumber: string, db: Db = defaultDb): Promise<{ agentNumber: string; name: string }> {
  const from = await db('agents').where({ msisdn: fromMsisdn }).first('agent_number');
  if (!from) throw new AgentNotFoundError();
  const { to } = await parties(db, from.agent_number, toAgentNumber);
  return { agentNumber: to.agentNumber, name: to.name };
}

async function parties(db: Db, fromNumber: string, toNumber: string): Promise<{ from: Agent; to: Agent; kind: 'float_transfer' | 'float_sale' }> {
  const [from, to] = await Promise.all([findAgent(fromNumber, db), findAgent(toNumber, db)]);
  if (!from || !to) throw new AgentNotFoundError();
  if (from.status !== 'active' || to.status !== 'active') throw new AgentInactiveError();
  return { from, to, kind: floatRoute(from, to) };
}

/** A float movement's outcome (cents; `float` is the sender's after). */
export interface FloatReceipt {
  code: string;
  toAgentNumber: string;
  toName: string;
  amount: bigint;
  float: bigint;
  at: Date;
  replayed: boolean;
}

/**
 * Moves `amount` cents of float from one agent to another (FloatRoute rules), with SMS to
 * both. `pin` is checked when given (USSD); the admin API moves float without one.
 *
 * @throws AgentNotFoundError, AgentInactiveError, FloatTransferNotAllowedError, InsufficientFloatError,
 *   WrongPinError, PinLockedError, IdempotencyConflictError, ValidationError
 */
export async function moveFloat(
  req: { fromAgentNumber: string; toAgentNumber: string; amount: bigint; idempotencyKey: string; pin?: string; memo?: string },
  db: Db = defaultDb,
): Promise<FloatReceipt> {
  if (req.amount <= 0n) throw new ValidationError('amount: must be positive', 'amount');
  const { from, to, kind } = await parties(db, req.fromAgentNumber, req.toAgentNumber);
  if (req.pin !== undefined) await verifyAgentPin(from.msisdn, req.pin, db);
  try {
    return await db.transaction(async (trx) => {
      await ensureActive(trx, from);
      await ensureActive(trx, to);
      const r = await transfer(
        {
          idempotencyKey: req.idempotencyKey,
          kind,
          amount: req.amount,
          memo: req.memo,
          postings: [
            { accountId: from.floatAccountId, amount: req.amount },
            { accountId: to.floatAccountId, amount: -req.amount },
          ],
          metadata: { fromAgent: from.agentNumber, toAgent: to.agentNumber },
        },
        {
          afterPost: async (t, e) => {
            await enqueueSms(t, [
              { msisdn: from.msisdn, kind: 'receipt', journalEntryId: e.entryId, dedupeKey: `receipt:${e.code}:from`, message: agentSms(from.language).floatSent({ code: e.code, amount: e.amount, at: e.createdAt, to, float: balanceOf(e, from.floatAccountId) }) },
              { msisdn: to.msisdn, kind: 'receipt', journalEntryId: e.entryId, dedupeKey: `receipt:${e.code}:to`, message: agentSms(to.language).floatReceived({ code: e.code, amount: e.amount, at: e.createdAt, from, float: balanceOf(e, to.floatAccountId) }) },
            ]);
          },
        },
        trx,
      );
      return { code: r.code, toAgentNumber: to.agentNumber, toName: to.name, amount: req.amount, float: balanceOf(r, from.floatAccountId), at: r.createdAt, replayed: r.replayed };
    });
  } catch (err) {
    throw await asInsufficientFloat(db, err, from.floatAccountId);
  }
}

/**
 * Moves the agent's whole commission balance into its float (one entry, SMS to the
 * agent). The caller has checked the agent's PIN in this session. Returns the amount moved
 * (0 and no entry when there is no commission); a replayed key returns the first move.
 *
 * @throws AgentNotFoundError, AgentInactiveError, IdempotencyConflictError
 */
export async function moveCommissionToFloat(agentMsisdn: string, idempotencyKey: string, db: Db = defaultDb): Promise<{ code: string | null; amount: bigint; float: bigint }> {
  const row = await db('agents').where({ msisdn: agentMsisdn }).first('agent_number');
  if (!row) throw new AgentNotFoundError();
  const agent = (await findAgent(row.agent_number, db))!;
  return db.transaction(async (trx) => {
    await ensureActive(trx, agent);
    // Lock both accounts in ascending id order (the order transfer() locks in, so no
    // deadlock with a withdrawal crediting commission), then read the balance to move.
    await trx('accounts').whereIn('id', [agent.floatAccountId, agent.commissionAccountId]).orderBy('id').forUpdate().select('id');
    // A replayed key returns the first move, whatever the balance is now.
    const posted = await entryIdForKey(trx, idempotencyKey);
    if (posted !== null) {
      const first = await loadEntry(trx, posted);
      return { code: first.code, amount: first.amount, float: balanceOf(first, agent.floatAccountId) };
    }
    const commission = displayBalance(await getAccount(trx, agent.commissionAccountId));
    if (commission <= 0n) return { code: null, amount: 0n, float: displayBalance(await getAccount(trx, agent.floatAccountId)) };
    const r = await transfer(
      {
        idempotencyKey, kind: 'commission_payout', amount: commission,
        postings: [
          { accountId: agent.commissionAccountId, amount: commission },
          { accountId: agent.floatAccountId, amount: -commission },
        ],
        metadata: { agentNumber: agent.agentNumber },
      },
      {
        afterPost: async (t, e) => {
          await enqueueSms(t, [{ msisdn: agent.msisdn, kind: 'receipt', journalEntryId: e.entryId, dedupeKey: `receipt:${e.code}:agent`, message: agentSms(agent.language).commissionMoved({ code: e.code, amount: e.amount, at: e.createdAt, float: balanceOf(e, agent.floatAccountId) }) }]);
        },
      },
      trx,
    );
    return { code: r.code, amount: r.amount, float: balanceOf(r, agent.floatAccountId) };
  });
}
