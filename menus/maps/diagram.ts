/**
 * A Mermaid `stateDiagram-v2` of one top-level state of the *384# machine, read from the
 * machine definition itself (its state nodes and their transitions), so that a map cannot
 * say what the machine does not do. Inputs are `INPUT` events; effects answer with
 * `done`/`error`; `always` transitions are drawn as `always`. A guard's name labels its
 * edge. Targets outside the state are drawn as plain nodes named by their path.
 */
import type { AnyStateNode } from 'xstate';

/** A Mermaid-safe id for a state path (`sendMoney.amount` → `sendMoney_amount`). */
export function nodeId(path: string): string {
  return path.replace(/[^A-Za-z0-9]/g, '_');
}

/** The path of a node below the machine's root (`menu.sendMoney.amount` → `sendMoney.amount`). */
export function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

interface TransitionLike {
  eventType: string;
  target?: readonly AnyStateNode[];
  guard?: unknown;
}

function guardName(guard: unknown): string | undefined {
  if (!guard) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in (guard as object)) {
    const g = guard as { type: string; params?: { codes?: string[] } };
    return g.params?.codes ? `${g.type} ${g.params.codes.join('/')}` : g.type;
  }
  return 'guard';
}

function eventLabel(eventType: string): string {
  if (eventType === 'INPUT') return 'input';
  if (eventType.startsWith('xstate.done.actor')) return 'done';
  if (eventType.startsWith('xstate.error.actor')) return 'error';
  if (eventType === '') return 'always';
  return eventType;
}

/** Every transition of `node` (events, effects' answers, always), in definition order. */
function transitionsOf(node: AnyStateNode): TransitionLike[] {
  const out: TransitionLike[] = [];
  for (const list of node.transitions.values()) out.push(...(list as unknown as TransitionLike[]));
  for (const t of (node.always ?? []) as unknown as TransitionLike[]) out.push({ ...t, eventType: '' });
  return out;
}

/** All descendants of `node`, depth first, in definition order. */
export function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

/** The Mermaid diagram (without the code fence) of top-level states `tops` and what they lead to. */
export function stateDiagram(tops: AnyStateNode[]): string {
  const lines = ['stateDiagram-v2', '  direction LR'];
  const nodes = tops.flatMap((top) => [top, ...descendants(top)]);
  const inside = new Set(nodes.map(pathOf));
  const outside = new Set<string>();
  const declare = (node: AnyStateNode, indent: string): void => {
    const children = Object.values(node.states);
    const id = nodeId(pathOf(node));
    if (children.length === 0) {
      lines.push(`${indent}state "${node.key}" as ${id}`);
      return;
    }
    lines.push(`${indent}state ${id} {`);
    const initial = (node.config as { initial?: string }).initial;
    if (initial) lines.push(`${indent}  [*] --> ${nodeId(`${pathOf(node)}.${initial}`)}`);
    for (const child of children) declare(child, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const top of tops) declare(top, '  ');
  const edges = new Set<string>();
  for (const node of nodes) {
    for (const t of transitionsOf(node)) {
      for (const target of t.target ?? []) {
        const to = pathOf(target);
        if (!inside.has(to)) outside.add(to);
        const guard = guardName(t.guard);
        const label = guard ? `${eventLabel(t.eventType)} (${guard})` : eventLabel(t.eventType);
        edges.add(`  ${nodeId(pathOf(node))} --> ${nodeId(to)} : ${label}`);
      }
    }
  }
  for (const to of [...outside].sort()) lines.push(`  state "${to}" as ${nodeId(to)}`);
  lines.push(...edges);
  return lines.join('\n');
}
