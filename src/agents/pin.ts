/** Agents' PINs: the same keyed hash and wrong-PIN lockout as customers' (src/customers/lockout.ts). */
import { db as defaultDb, type Db } from '../db/index.js';
import { config } from '../config/index.js';
import { checkPinOnRow, hashPin, isPinFormat, pinMatches, throwRefusal, InvalidPinError, type PinRow } from '../customers/index.js';
import { enqueueSms } from '../sms/outbox.js';
import { sms } from '../sms/messages.js';
import { toAgent, type Agent } from './repository.js';
import { AgentInactiveError, AgentNotFoundError } from './errors.js';

/**
 * Checks the PIN of the agent whose phone is `msisdn`. Counts a wrong PIN; the third in a
 * row locks it for 30 minutes and writes an SMS.
 *
 * @throws AgentNotFoundError, AgentInactiveError, WrongPinError, PinLockedError
 */
export async function verifyAgentPin(msisdn: string, pin: string, db: Db = defaultDb): Promise<Agent> {
  const { outcome, agent } = await db.transaction(async (trx) => {
    const row = await trx('agents').where({ msisdn }).forUpdate().first();
    if (!row) throw new AgentNotFoundError();
    const a = toAgent(row);
    if (a.status !== 'active') throw new AgentInactiveError();
    return { outcome: await checkPinOnRow(trx, 'agents', row as PinRow, pin, a.language), agent: a };
  });
  throwRefusal(outcome);
  return agent;
}

/**
 * Sets a new PIN for the agent whose phone is `msisdn`, for a caller that has checked the
 * current one (the USSD Change PIN flow verifies it first), and writes an SMS notice.
 *
 * @throws InvalidPinError (`invalid_pin`, `same_pin`), AgentNotFoundError
 */
export async function setAgentPin(msisdn: string, newPin: string, db: Db = defaultDb): Promise<void> {
  if (!isPinFormat(newPin)) throw new InvalidPinError('invalid_pin', 'PIN must be 4 digits');
  await db.transaction(async (trx) => {
    const row = await trx('agents').where({ msisdn }).forUpdate().first();
    if (!row) throw new AgentNotFoundError();
    if (pinMatches(newPin, msisdn, row.pin_hash, config.pinSecret)) throw new InvalidPinError('same_pin', 'new PIN must differ from the current one');
    await trx('agents').where({ id: row.id }).update({ pin_hash: hashPin(newPin, msisdn, config.pinSecret), updated_at: trx.fn.now() });
    await enqueueSms(trx, [{ msisdn, kind: 'pin_changed', message: sms(toAgent(row).language).pinChanged() }]);
  });
}
