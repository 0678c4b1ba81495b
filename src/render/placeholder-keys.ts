/**
 * The `{{key}}` an exported name is written as (`export --substitute`): readable (`queue_support`,
 * `data_action_lookup_order`), valid for the substitution key syntax (check/substitute.ts:
 * letters, digits, `_`, `.`, `-`), and stable from one export to the next, so that exporting twice
 * changes nothing. Pure.
 */
import { createHash } from 'node:crypto';
import type { OrgObjectKind } from '../check/types.js';

/** What can be written as a placeholder: the kinds of org object, and a data action's integration (its category key). */
export type PlaceholderKind = OrgObjectKind | 'integration';

export interface NamedObject {
  kind: PlaceholderKind;
  name: string;
}

export interface PlaceholderAssignment {
  /** The key of each name, by nameId(kind, name). */
  keys: Map<string, string>;
  /** Names whose readable key holds another value already: written under the next free one. */
  moved: Array<NamedObject & { key: string; taken: string }>;
}

/** Long names make unwieldy keys; the rest of the name adds little once this much is there. */
const MAX_SLUG = 48;

export function nameId(kind: PlaceholderKind, name: string): string {
  return `${kind}\u0000${name}`;
}

/**
 * `<kind>_<name>`, both in snake case, accents dropped (`Café` -> `cafe`). A name with nothing left
 * (all CJK, all punctuation) is named by a short hash of it: stable, if not readable.
 */
export function placeholderBase(kind: PlaceholderKind, name: string): string {
  const prefix = kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, MAX_SLUG)
    .replace(/^_+|_+$/g, '');
  return `${prefix}_${slug || createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * One key per (kind, name), however many flows name it. `existing`: the environment's keys, each
 * with its plain value, or undefined where the key may not be reused (a secret, a value read from a
 * variable, a `files` entry's key). A name keeps a key that already holds exactly it (so a second
 * export changes nothing); otherwise it takes the first of `base`, `base_2`, `base_3`... that is
 * free. A key is never given a second value: names that slug the same get distinct keys, in the
 * order of the names (sorted, so the same names always get the same keys).
 */
export function assignPlaceholders(
  names: readonly NamedObject[],
  existing: ReadonlyMap<string, string | undefined>,
): PlaceholderAssignment {
  const unique = new Map<string, NamedObject>();
  for (const n of names) unique.set(nameId(n.kind, n.name), { kind: n.kind, name: n.name });
  const sorted = [...unique.values()].sort((a, b) => compare(a.kind, b.kind) || compare(a.name, b.name));
  const keys = new Map<string, string>();
  const given = new Set<string>();
  const candidates = function* (base: string) {
    yield base;
    for (let i = 2; ; i++) yield `${base}_${i}`;
  };
  // First the names the environment holds already, wherever they sit in their base's sequence.
  for (const n of sorted) {
    for (const key of candidates(placeholderBase(n.kind, n.name))) {
      if (!existing.has(key)) break;
      if (existing.get(key) === n.name) {
        keys.set(nameId(n.kind, n.name), key);
        given.add(key);
        break;
      }
    }
  }
  const moved: PlaceholderAssignment['moved'] = [];
  for (const n of sorted) {
    if (keys.has(nameId(n.kind, n.name))) continue;
    const base = placeholderBase(n.kind, n.name);
    for (const key of candidates(base)) {
      if (existing.has(key) || given.has(key)) continue;
      keys.set(nameId(n.kind, n.name), key);
      given.add(key);
      if (existing.has(base)) moved.push({ ...n, key, taken: base });
      break;
    }
  }
  return { keys, moved };
}

/** By UTF-16 code units: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
