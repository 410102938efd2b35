/**
 * What the Chama menus share: a paged pick list (items numbered 1..CHAMA_PAGE on each
 * page, `98 More` while more follow), how every Chama effect names the caller and the
 * chama, and where a refusal goes (the `chamaRefused` END screen, worded per code).
 */
import { assign } from 'xstate';
import { menuSetup, nav, reask } from './setup.js';
import type { InputEvent, MenuContext } from './types.js';

/** Items on one page of a Chama list. */
export const CHAMA_PAGE = 4;

/** The items of the page being shown. */
export function pageOf<T>(items: T[] | undefined, page: number | undefined): T[] {
  const p = page ?? 0;
  return (items ?? []).slice(p * CHAMA_PAGE, p * CHAMA_PAGE + CHAMA_PAGE);
}

/** Whether pages follow the one being shown. */
export function hasMore(items: unknown[] | undefined, page: number | undefined): boolean {
  return ((page ?? 0) + 1) * CHAMA_PAGE < (items?.length ?? 0);
}

type Args = { context: MenuContext; event: InputEvent };

/** The item `event.value` names on the page shown (1-based), or undefined. */
export function pickedOn<T>(items: T[] | undefined, { context, event }: Args): T | undefined {
  return /^[1-9]$/.test(event.value) ? pageOf(items, context.chamaPage)[Number(event.value) - 1] : undefined;
}

/** The caller and the chama picked, as every Chama effect takes them. */
export const caller = ({ context }: { context: MenuContext }) => ({ msisdn: context.msisdn, chamaId: context.chama!.picked!.id });

/** A domain refusal (or any failure): the END screen that says why. */
export const refused = { target: '#menu.chamaRefused', actions: 'recordFailure' as const };

/** Guard: the effect failed with one of `codes`. */
export const on = (codes: string[]) => ({ type: 'failedWith' as const, params: { codes } });

/** Keeps `fields` into `context.chama`. */
export function keep(fields: (a: { context: MenuContext; event: any }) => Partial<NonNullable<MenuContext['chama']>>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return assign<MenuContext, any, undefined, InputEvent, never>({ chama: (a) => ({ ...a.context.chama, ...fields(a) }) }); // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A paged list of `items(context)`: a number picks an item of the page (kept by `pick`,
 * then on to `next`), `98` shows the next page, `0`/`00` navigate; `extra` transitions
 * (e.g. `9 Add member`) come before the pick.
 */
export function pickList<T>(back: string, items: (c: MenuContext) => T[] | undefined, next: string, pick: (item: T) => Partial<NonNullable<MenuContext['chama']>>, extra: unknown[] = []) {
  return menuSetup.createStateConfig({
    tags: ['input'],
    on: {
      INPUT: [
        ...nav(back),
        ...(extra as []),
        {
          guard: ({ context, event }) => event.value === '98' && hasMore(items(context), context.chamaPage),
          actions: ['clearError', assign({ chamaPage: ({ context }) => (context.chamaPage ?? 0) + 1 })],
        },
        {
          guard: (a) => pickedOn(items(a.context), a) !== undefined,
          target: next,
          actions: ['clearError', keep((a) => pick(pickedOn(items(a.context), a)!))],
        },
        reask('invalidChoice'),
      ],
    },
  });
}
