/**
 * What each SMS command does and the reply it gets (in the sender's language: their
 * `customers.language`; English for an unregistered number). HELP, STOP and START work
 * for anyone; every other command needs a registered, active customer. Money commands are
 * only staged (src/sms/confirm `stageMoneyCommand`: the customer confirms by dialling a
 * code and typing the PIN on USSD); the stager is a parameter so that tests, and the
 * confirmation work while it lands, can pass their own.
 */
import type { Db } from '../../db/index.js';
import { config } from '../../config/index.js';
import { AppError } from '../../errors/index.js';
import { setLanguage, type Customer } from '../../customers/index.js';
import { stageMoneyCommand, type MoneyCommand, type StagedCommand } from '../confirm/index.js';
import { MONEY_COMMANDS, type ParsedSms } from './parser.js';
import { replies } from './replies.js';
import { optIn, optOut } from './opt-outs.js';
import { feesForGuardian, loanPosition, recentTransactions, walletBalance } from './reads.js';

/** Stages a money command for the customer of `msisdn`; throws an AppError the reply words. */
export type MoneyStager = (db: Db, msisdn: string, command: MoneyCommand) => Promise<StagedCommand>;

/** The stager used unless one is given: the confirmation module's. */
export const defaultStager: MoneyStager = stageMoneyCommand;

/**
 * What became of a command: `replied` (answered), `staged` (a money command is waiting for
 * its USSD confirmation), `usage` (malformed or unknown: the usage line or the list went
 * back), `unregistered`, `inactive` (suspended or closed account), `pin_refused` (the text
 * seemed to carry a PIN; nothing was run), `refused` (the stager said no, reply says why).
 */
export type CommandOutcome = 'replied' | 'staged' | 'usage' | 'unregistered' | 'inactive' | 'pin_refused' | 'refused';

/** A command's reply and outcome. */
export interface CommandResult {
  outcome: CommandOutcome;
  reply: string;
  /** The AppError code the stager refused with (for the log). */
  code?: string;
}

/** Who sent the SMS. */
export interface Sender {
  /** E.164. */
  msisdn: string;
  /** The registered customer, or null. */
  customer: Customer | null;
}

/** Commands that work for a number that is not registered. */
const OPEN_COMMANDS = new Set(['help', 'stop', 'start']);

/**
 * Runs the command `parsed` for `sender` in `db` (the caller's transaction) and returns
 * the reply. Lets unexpected errors through (the caller answers with a generic line).
 */
export async function runCommand(db: Db, sender: Sender, parsed: ParsedSms, stage: MoneyStager = defaultStager, now: Date = new Date()): Promise<CommandResult> {
  const { customer, msisdn } = sender;
  const r = replies(customer?.language ?? 'en');
  if (parsed.pinSuspected) return { outcome: 'pin_refused', reply: r.pinWarning() };
  const open = parsed.name !== null && OPEN_COMMANDS.has(parsed.name);
  if (!customer && !open) return { outcome: 'unregistered', reply: r.unregistered(config.ussdServiceCode) };
  const { command } = parsed;
  if (!command) return { outcome: 'usage', reply: parsed.name ? r.usage(parsed.name) : r.help() };
  switch (command.name) {
    case 'help':
      return { outcome: 'replied', reply: r.help() };
    case 'stop':
      await optOut(db, msisdn, 'sms');
      return { outcome: 'replied', reply: r.stopped() };
    case 'start':
      await optIn(db, msisdn);
      return { outcome: 'replied', reply: r.started() };
    default:
      break;
  }
  if (!customer) return { outcome: 'unregistered', reply: r.unregistered(config.ussdServiceCode) };
  if (customer.status !== 'active') return { outcome: 'inactive', reply: r.inactive() };
  switch (command.name) {
    case 'balance':
      return { outcome: 'replied', reply: r.balance(await walletBalance(db, customer), now) };
    case 'statement':
      return { outcome: 'replied', reply: r.statement(await recentTransactions(db, customer, 5)) };
    case 'fees': {
      const facts = await feesForGuardian(db, msisdn, command.paybill, command.admissionNo);
      return { outcome: 'replied', reply: facts ? r.fees(facts) : r.feesNotFound() };
    }
    case 'loan': {
      const { limit, reason, loans } = await loanPosition(db, customer, now);
      return { outcome: 'replied', reply: r.loan(limit, reason, loans) };
    }
    case 'lang':
      await setLanguage(msisdn, command.language, db);
      return { outcome: 'replied', reply: replies(command.language).langSet() };
    default:
      break;
  }
  if (!MONEY_COMMANDS.has(command.name) || !('money' in command)) throw new Error(`unhandled SMS command ${command.name}`);
  try {
    // A savepoint: a refusal after the stager wrote something leaves nothing behind.
    const staged = await db.transaction((sp) => stage(sp, msisdn, command.money));
    return { outcome: 'staged', reply: staged.reply };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { outcome: 'refused', reply: r.moneyError(err.code), code: err.code };
  }
}
