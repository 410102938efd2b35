/**
 * Turns a menu snapshot into the text AT shows: `CON ...` while the session waits for
 * input, `END ...` when it is over. Every screen is GSM-7 and at most 182 septets.
 */
import { formatKes } from '../src/money/index.js';
import { nationalFormat } from '../src/phone/index.js';
import type { MenuContext, Lang } from './types.js';
import { mergeCatalogue, type Catalogue, type Formatters } from './i18n/catalogue.js';
import { en } from './i18n/en.js';
import { sw } from './i18n/sw.js';
import { airtimeWords } from './i18n/parts/airtime.js';
import { lipaWords } from './i18n/parts/lipa.js';
import { withdrawWords } from './i18n/parts/withdraw.js';
import { agentWords } from './i18n/parts/agent.js';
import { topUpWords } from './i18n/parts/topup.js';
import { feesWords } from './i18n/parts/fees.js';
import { loansWords } from './i18n/parts/loans.js';
import { chamaWords } from './i18n/parts/chama.js';
import { chamaOfficialWords } from './i18n/parts/chama-officials.js';
import { smsConfirmWords } from './i18n/parts/sms-confirm.js';
import { SCREEN_LIMIT, gsm7Length, toGsm7, truncateGsm7 } from './gsm7.js';

const CATALOGUES: Record<Lang, Catalogue> = {
  en: mergeCatalogue(en, airtimeWords.en, lipaWords.en, withdrawWords.en, agentWords.en, topUpWords.en, feesWords.en, loansWords.en, chamaWords.en, chamaOfficialWords.en, smsConfirmWords.en),
  sw: mergeCatalogue(sw, airtimeWords.sw, lipaWords.sw, withdrawWords.sw, agentWords.sw, topUpWords.sw, feesWords.sw, loansWords.sw, chamaWords.sw, chamaOfficialWords.sw, smsConfirmWords.sw),
};

/** Screens a session opens on: no `0 Back 00 Home` footer. */
const FIRST_SCREENS = new Set(['home', 'register.language', 'agent.home']);

/** Names longer than this are cut so that every screen fits. */
export const NAME_LIMIT = 24;

const fmt: Formatters = {
  kes: (cents) => formatKes(BigInt(cents ?? '0')),
  name: (name) => (name ?? '').slice(0, NAME_LIMIT),
  phone: (msisdn) => (msisdn ? nationalFormat(msisdn) : ''),
};

/** The parts of an xstate snapshot the renderer reads. */
export interface RenderableSnapshot {
  value: unknown;
  status: string;
  context: MenuContext;
}

/** A rendered screen. `overflow` is set when the text had to be cut (a bug to fix). */
export interface Screen {
  end: boolean;
  text: string;
  /** `sendMoney.amount`, `sent`, ...: what the log records instead of the text. */
  screen: string;
  overflow: boolean;
}

/** `{ sendMoney: 'amount' }` → `sendMoney.amount`. */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, inner] = Object.entries(value as Record<string, unknown>)[0];
  return `${key}.${statePath(inner)}`;
}

/** Renders the screen for a snapshot that waits for input or is done. */
export function renderScreen(snapshot: RenderableSnapshot): Screen {
  const ctx = snapshot.context;
  const words = CATALOGUES[ctx.lang] ?? CATALOGUES.en;
  const path = statePath(snapshot.value);
  const end = snapshot.status === 'done';
  let body: string;
  if (end) {
    body = (words.finals[path] ?? words.finals.failed)(ctx, fmt);
  } else {
    const question = (words.screens[path] ?? words.finals.failed)(ctx, fmt);
    const error = ctx.error ? words.errors[ctx.error.key]?.(ctx.error.params ?? {}, fmt) : undefined;
    const first = FIRST_SCREENS.has(path);
    body = [error, question, first ? undefined : words.footer].filter(Boolean).join('\n');
  }
  const text = toGsm7(body);
  const overflow = gsm7Length(text) > SCREEN_LIMIT;
  return { end, screen: path, overflow, text: overflow ? truncateGsm7(text, SCREEN_LIMIT) : text };
}
