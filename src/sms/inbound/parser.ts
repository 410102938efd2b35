/**
 * Reading an inbound SMS as a command. Pure: no I/O.
 *
 * A command is a keyword (English or Kiswahili, any case) followed by its arguments,
 * separated by any run of whitespace: `bal`, `  TUMA 0712345678  1,000 `. A keyword that
 * is not exact is matched to the nearest one by edit distance (`SNED` → SEND), and then
 * gets that command's usage line rather than being run: money is never moved on a guess.
 *
 * PINs: a customer may send their PIN by mistake (or because someone asked them to). A
 * 4-digit token past the command's own arguments, or any 4-digit token in a text that
 * names no command (a lone `1234`), is taken as a PIN: `redacted` carries `****` in its
 * place (and in place of every other token with the same digits), and only `redacted` may
 * be stored or logged.
 *
 * Amounts are whole shillings (`500`, `1,000`) turned into KES cents; phone numbers are
 * normalised to E.164 (src/phone).
 */
import { parseWholeShillings } from '../../money/index.js';
import { normalizeMsisdn } from '../../phone/index.js';
import type { MoneyCommand } from '../confirm/index.js';

/** The commands Simu answers by SMS. */
export type CommandName =
  | 'help' | 'balance' | 'statement' | 'fees' | 'loan' | 'lang' | 'stop' | 'start'
  | 'send' | 'paybill' | 'till' | 'contribute' | 'repay';

/** The money commands (staged for a USSD confirmation, never run from the SMS alone). */
export const MONEY_COMMANDS: ReadonlySet<CommandName> = new Set(['send', 'paybill', 'till', 'contribute', 'repay']);

interface Spec {
  name: CommandName;
  /** Keywords, upper case: the English one first, then the Kiswahili one, then aliases. */
  words: string[];
  /** How many arguments the command takes. */
  arity: number;
}

/** Every command with its keywords and argument count. */
export const COMMANDS: readonly Spec[] = [
  { name: 'help', words: ['HELP', 'MSAADA'], arity: 0 },
  { name: 'balance', words: ['BAL', 'SALIO', 'BALANCE'], arity: 0 },
  { name: 'statement', words: ['STMT', 'TAARIFA', 'STATEMENT'], arity: 0 },
  { name: 'fees', words: ['FEES', 'KARO'], arity: 2 },
  { name: 'loan', words: ['LOAN', 'MKOPO'], arity: 0 },
  { name: 'lang', words: ['LANG', 'LUGHA'], arity: 1 },
  { name: 'stop', words: ['STOP', 'SIMAMA'], arity: 0 },
  { name: 'start', words: ['START', 'ANZA'], arity: 0 },
  { name: 'send', words: ['SEND', 'TUMA'], arity: 2 },
  { name: 'paybill', words: ['PAY', 'LIPA'], arity: 3 },
  { name: 'till', words: ['TILL', 'TILI'], arity: 2 },
  { name: 'contribute', words: ['CONTRIB', 'CHANGA'], arity: 2 },
  { name: 'repay', words: ['REPAY', 'REJESHA'], arity: 1 },
];

/** A well-formed command. */
export type InboundCommand =
  | { name: 'help' | 'balance' | 'statement' | 'loan' | 'stop' | 'start' }
  | { name: 'fees'; paybill: string; admissionNo: string }
  | { name: 'lang'; language: 'en' | 'sw' }
  | { name: 'send' | 'paybill' | 'till' | 'contribute' | 'repay'; money: MoneyCommand };

/** What an SMS says. */
export interface ParsedSms {
  /** The text with whitespace collapsed and every PIN-like token replaced by `****`: the only form stored or logged. */
  redacted: string;
  /** True when the text seems to carry a PIN (see the file's docstring). */
  pinSuspected: boolean;
  /** The command the keyword names, exactly or as the nearest keyword; null when none is near (or the text is empty). */
  name: CommandName | null;
  /** True when the keyword was one of the command's own words (not a near miss). */
  exact: boolean;
  /** The command when the text is well-formed; null otherwise (answer with the usage of `name`). */
  command: InboundCommand | null;
}

const PIN_TOKEN = /^[0-9]{4}$/;

/**
 * Edit distance between `a` and `b` counting insertions, deletions, substitutions and
 * swaps of two neighbouring letters as one each (optimal string alignment), so that the
 * usual thumb slips (`SNED`, `BLA`) are one edit away.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The command whose keyword is `word` (upper case), else the one whose keyword is nearest
 * by edit distance when it is close enough (1 edit for words of up to 4 letters, 2 for
 * longer ones); ties go to the earlier command in COMMANDS. Null otherwise.
 */
export function nearestCommand(word: string): { spec: Spec; exact: boolean } | null {
  if (!/^[A-Z]+$/.test(word)) return null;
  let best: { spec: Spec; distance: number } | null = null;
  for (const spec of COMMANDS) {
    for (const w of spec.words) {
      if (w === word) return { spec, exact: true };
      const distance = editDistance(word, w);
      if (!best || distance < best.distance) best = { spec, distance };
    }
  }
  const allowed = word.length <= 4 ? 1 : 2;
  return best && best.distance <= allowed ? { spec: best.spec, exact: false } : null;
}

/** Whole shillings as people type them (`500`, `1,000`, `KES500` no) → cents; null unless a positive whole amount. */
export function parseAmount(text: string): bigint | null {
  const plain = /^[0-9]{1,3}(,[0-9]{3})+$/.test(text) ? text.replace(/,/g, '') : text;
  const cents = parseWholeShillings(plain);
  return cents !== null && cents > 0n ? cents : null;
}

const SHORT_CODE = /^[0-9]{5,7}$/;
const ACCOUNT = /^[A-Za-z0-9/-]{1,20}$/;
const CHAMA_CODE = /^[A-Z][A-Z0-9]{1,11}$/;

/**
 * The money command `name` with arguments `args` (exactly as many as it takes), or null
 * when one is malformed: `send <phone> <amount>`, `paybill <paybill> <account> <amount>`,
 * `till <till> <amount>`, `contribute <chama code> <amount>`, `repay <amount>`. Paybills
 * and tills are 5-7 digits; an account is 1-20 letters, digits, `/` or `-`; a chama code
 * is its SMS short code (any case).
 */
export function parseMoneyCommand(name: CommandName, args: string[]): MoneyCommand | null {
  const amountOf = (i: number) => parseAmount(args[i] ?? '');
  switch (name) {
    case 'send': {
      const recipient = normalizeMsisdn(args[0] ?? '');
      const amount = amountOf(1);
      return recipient && amount ? { kind: 'send', recipient, amount } : null;
    }
    case 'paybill': {
      const amount = amountOf(2);
      return SHORT_CODE.test(args[0] ?? '') && ACCOUNT.test(args[1] ?? '') && amount ? { kind: 'paybill', paybill: args[0], account: args[1].toUpperCase(), amount } : null;
    }
    case 'till': {
      const amount = amountOf(1);
      return SHORT_CODE.test(args[0] ?? '') && amount ? { kind: 'till', till: args[0], amount } : null;
    }
    case 'contribute': {
      const chamaCode = (args[0] ?? '').toUpperCase();
      const amount = amountOf(1);
      return CHAMA_CODE.test(chamaCode) && amount ? { kind: 'contribute', chamaCode, amount } : null;
    }
    case 'repay': {
      const amount = amountOf(0);
      return amount ? { kind: 'repay', amount } : null;
    }
    default:
      return null;
  }
}

const LANGUAGES: Record<string, 'en' | 'sw'> = { EN: 'en', ENGLISH: 'en', KIINGEREZA: 'en', SW: 'sw', KISWAHILI: 'sw', SWAHILI: 'sw' };

/** The command `spec` with `args` (exactly its arity), or null when malformed. */
function commandOf(spec: Spec, args: string[]): InboundCommand | null {
  switch (spec.name) {
    case 'fees':
      return SHORT_CODE.test(args[0]) && ACCOUNT.test(args[1]) ? { name: 'fees', paybill: args[0], admissionNo: args[1] } : null;
    case 'lang': {
      const language = LANGUAGES[args[0].toUpperCase()];
      return language ? { name: 'lang', language } : null;
    }
    case 'send': case 'paybill': case 'till': case 'contribute': case 'repay': {
      const money = parseMoneyCommand(spec.name, args);
      return money ? { name: spec.name, money } : null;
    }
    default:
      return { name: spec.name } as InboundCommand;
  }
}

/**
 * Reads `text` (an inbound SMS) as a command. Commands without arguments ignore extra
 * words (`BAL please`); the others need exactly their arguments. A PIN-like token (see
 * the file's docstring) makes `pinSuspected` true and is redacted; the caller refuses
 * the command then.
 */
export function parseSms(text: string): ParsedSms {
  const tokens = text.trim().split(/\s+/).filter((t) => t.length > 0);
  const keyword = (tokens[0] ?? '').toUpperCase().replace(/[^A-Z0-9]+$/, '');
  const match = nearestCommand(keyword);
  const args = tokens.slice(1);
  const suspects = match ? args.slice(match.spec.arity) : tokens;
  const pins = new Set(suspects.filter((t) => PIN_TOKEN.test(t)));
  const redacted = tokens.map((t) => (pins.has(t) ? '****' : t)).join(' ');
  const base = { redacted, pinSuspected: pins.size > 0, name: match?.spec.name ?? null, exact: match?.exact ?? false };
  if (!match || !match.exact) return { ...base, command: null };
  const { spec } = match;
  if (args.length < spec.arity || (spec.arity > 0 && args.length > spec.arity)) return { ...base, command: null };
  return { ...base, command: commandOf(spec, args.slice(0, spec.arity)) };
}
