/**
 * What the export needs to know of a stored flow's items: which lists hold containers and actions,
 * the name an item is exported under (the default label when the file left it unnamed), and which
 * items references land on (shared/reference/architect-export.md sections 1 and 2). Pure.
 */
import { FLOW_KEYS } from '../check/index.js';
import type { PathSegment } from '../check/locate.js';
import { resolveReference } from '../check/resolve-reference.js';
import { collectFacts, isObject } from '../check/walk.js';

/** Lists whose items are containers, and the item kind each holds (section 2: refIds "only on containers"). */
export const CONTAINER_LISTS: Readonly<Record<string, string>> = {
  menus: 'menu',
  tasks: 'task',
  states: 'state',
  bots: 'bot',
};
/** Lists whose items are actions or menu choices: each one is named in an export (section 2: 526 of 526). */
export const ACTION_LISTS: ReadonlySet<string> = new Set(['actions', 'startUpTaskActions', 'choices']);

/** Section 1: Architect's default labels, read off a decoded stored flow. */
const DEFAULT_LABELS: Readonly<Record<string, string>> = {
  playAudio: 'Play Audio',
  transferToAcd: 'Transfer to ACD',
  decision: 'Decision',
  callData: 'Call Data Action',
  updateData: 'Update Data',
  dataTableLookup: 'Data Table Lookup',
  disconnect: 'Disconnect',
};

/**
 * The label of an unnamed item. Kinds the reference has no label for (choice): the key's camelCase
 * words, each capitalized, with "Acd" written "ACD" (callCommonModule -> "Call Common Module").
 */
export function defaultName(kind: string): string {
  const label = DEFAULT_LABELS[kind];
  if (label) return label;
  const words = kind.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [kind];
  return words.map((w) => (w.toLowerCase() === 'acd' ? 'ACD' : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/** The item's own name when it has one, else its default label. */
export function itemName(kind: string, body: unknown): string {
  const name = isObject(body) ? body.name : undefined;
  if (typeof name === 'string' && name !== '') return name;
  if (typeof name === 'number' || typeof name === 'boolean') return String(name);
  return defaultName(kind);
}

/**
 * A refId as Architect writes it: `<name>_<N>` (section 2), with `/` written `_SLASH_` (fact). Archy
 * forbids `[ ] # ~` in refIds too (section 1); writing those as `_LBRACKET_`, `_RBRACKET_`,
 * `_HASH_`, `_TILDE_` is the emulator's choice.
 */
export function exportRefId(name: string, trackingNumber: number): string {
  const safe = name
    .replaceAll('/', '_SLASH_')
    .replaceAll('[', '_LBRACKET_')
    .replaceAll(']', '_RBRACKET_')
    .replaceAll('#', '_HASH_')
    .replaceAll('~', '_TILDE_');
  return `${safe}_${trackingNumber}`;
}

/** The document's flow key (`inboundCall`, ...), or undefined when it names no known flow type. */
export function flowKeyOf(document: Record<string, unknown>): string | undefined {
  const keys = Object.keys(document);
  return keys.length === 1 && FLOW_KEYS.includes(keys[0]!) && isObject(document[keys[0]!]) ? keys[0] : undefined;
}

export function pathKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

/** A list item that is an item: one key (its kind) whose value is a mapping (or nothing, in action lists). */
export function asItem(
  item: unknown,
  listKey: PathSegment | undefined,
): { kind: string; body: Record<string, unknown> | null } | undefined {
  if (!isObject(item)) return undefined;
  const entries = Object.entries(item);
  if (entries.length !== 1) return undefined;
  const [kind, body] = entries[0]!;
  if (isObject(body)) return { kind, body };
  if (body === null && typeof listKey === 'string' && ACTION_LISTS.has(listKey)) return { kind, body: null };
  return undefined;
}

export interface ReferenceTargets {
  /** Path of each reference property (`[..., 'targetMenuRef']`) -> path of the item it lands on. */
  targets: Map<string, PathSegment[]>;
  /** Items that must carry a refId in the export: every item on the way to a reference's target. */
  referenced: Set<string>;
}

/** Resolves every internal reference of the document with the validator's own resolver. */
export function referenceTargets(document: Record<string, unknown>, flowKey: string): ReferenceTargets {
  const facts = collectFacts(document, flowKey);
  const targets = new Map<string, PathSegment[]>();
  const referenced = new Set<string>();
  for (const use of facts.references) {
    if (use.value.includes('#')) continue; // another file: left as written
    const resolved = resolveReference(document, flowKey, use, facts);
    if (!resolved.ok) continue;
    targets.set(pathKey(use.path), resolved.path);
    for (const itemPath of itemPathsOn(resolved.path)) referenced.add(pathKey(itemPath));
  }
  return { targets, referenced };
}

/** The item paths along `path` (`[..., list, index, kind]` prefixes), outermost first. */
function itemPathsOn(path: readonly PathSegment[]): PathSegment[][] {
  const out: PathSegment[][] = [];
  for (let i = 1; i + 1 < path.length; i++) {
    if (typeof path[i] === 'number' && typeof path[i + 1] === 'string') out.push(path.slice(0, i + 2));
  }
  return out;
}

/**
 * The absolute reference to the item at `target`, as exports write them (section 2):
 * `/inboundCall/menus/menu[Main Menu_10]`, one `kind[refId]` step per item on the way.
 */
export function absoluteReference(
  target: readonly PathSegment[],
  refIdOf: (itemPath: PathSegment[]) => string | undefined,
): string | undefined {
  let out = `/${String(target[0])}`;
  for (let i = 1; i < target.length; i++) {
    const seg = target[i]!;
    if (typeof seg === 'number') {
      const refId = refIdOf(target.slice(0, i + 2) as PathSegment[]);
      if (refId === undefined) return undefined;
      out += `/${String(target[i + 1])}[${refId}]`;
      i++;
    } else out += `/${seg}`;
  }
  return out;
}
