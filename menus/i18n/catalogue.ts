/** The shape of a language's words for every screen. */
import type { MenuContext } from '../types.js';

/** Renders one screen's body from the menu context. */
export type ScreenText = (ctx: MenuContext, fmt: Formatters) => string;

/** Formatting helpers a catalogue uses (names cut to fit, money, numbers). */
export interface Formatters {
  kes: (cents: string | undefined) => string;
  name: (name: string | undefined) => string;
  phone: (msisdn: string | undefined) => string;
}

/** The lines of the mini statement page being shown, and whether more pages follow. */
export function statementPage(ctx: MenuContext, perPage: number): { lines: NonNullable<MenuContext['statement']>; page: number; pages: number } {
  const all = ctx.statement ?? [];
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const page = Math.min(ctx.statementPage ?? 0, pages - 1);
  return { lines: all.slice(page * perPage, page * perPage + perPage), page, pages };
}

/**
 * One statement line: `SKL4Q2M7XP 23/11 0712345678 -505` (amounts in KES, sign = direction).
 * The party is cut to 16 characters, and further when `width` is given so that the line fits it.
 */
export function statementLine(l: NonNullable<MenuContext['statement']>[number], f: Formatters, width?: number): string {
  const cents = BigInt(l.amountCents);
  const amount = `${cents < 0n ? '-' : '+'}${f.kes((cents < 0n ? -cents : cents).toString()).replace('KES ', '')}`;
  const partyWidth = Math.min(16, width === undefined ? 16 : width - `${l.code} ${l.date}  ${amount}`.length - 1);
  return `${l.code} ${l.date} ${f.name(l.party).slice(0, Math.max(0, partyWidth))} ${amount}`;
}

/** The widest statement line: three of them, a title, `98 More`, an error line and the footer fit 182. */
export const STATEMENT_WIDTH = 38;

/**
 * A statement page (customer or agent) under `title`, `perPage` lines a screen, `more` under
 * every page but the last, `empty` when there is nothing. Lines are held to STATEMENT_WIDTH
 * characters by cutting the party, so large amounts and an error line above still fit.
 */
export function statementScreen(title: string, empty: string, more: string, perPage: number): ScreenText {
  return (c, f) => {
    const { lines, page, pages } = statementPage(c, perPage);
    const body = lines.length ? lines.map((l) => statementLine(l, f, STATEMENT_WIDTH)).join('\n') : empty;
    return `${title}${pages > 1 ? ` ${page + 1}/${pages}` : ''}\n${body}${page < pages - 1 ? `\n${more}` : ''}`;
  };
}

/** A language: screens by state path, re-ask errors by key, finals by state. */
export interface Catalogue {
  /** Screens that wait for input, keyed by state path (`sendMoney.amount`). */
  screens: Record<string, ScreenText>;
  /** END screens, keyed by top-level final state. */
  finals: Record<string, ScreenText>;
  /** Lines shown above a re-asked question. */
  errors: Record<string, (params: Record<string, string | number>, fmt: Formatters) => string>;
  /** Shown under every input screen but the first. */
  footer: string;
}

/** Some of a language's words: what one menu adds to the catalogue. */
export interface CataloguePart {
  screens?: Record<string, ScreenText>;
  finals?: Record<string, ScreenText>;
  errors?: Catalogue['errors'];
}

/** `base` with each part's screens, finals and errors added. */
export function mergeCatalogue(base: Catalogue, ...parts: CataloguePart[]): Catalogue {
  return {
    footer: base.footer,
    screens: Object.assign({}, base.screens, ...parts.map((p) => p.screens ?? {})),
    finals: Object.assign({}, base.finals, ...parts.map((p) => p.finals ?? {})),
    errors: Object.assign({}, base.errors, ...parts.map((p) => p.errors ?? {})),
  };
}
