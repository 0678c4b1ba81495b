/**
 * Secret places in the plan's terms: the check says where in a flow's document the values of secret
 * substitutions landed (DesiredFlow.secretPlaces); changes and patches are made in the normal form
 * (identity/normal-form.ts), whose paths differ (variables sorted, defaults filled). Here the places are
 * found again in the normal form, and values there are masked: on the desired side (the current
 * secret) and on the live side at the place the diff pairs with it (a rotated secret's old value,
 * known to nobody else as a secret). Pure.
 */
import type { SecretPlace } from '../check/types.js';
import { normalForm } from '../identity/index.js';

/** What a masked value is written as, here and by the output (cli/output.ts). */
export const MASK = '***';

type Segment = string | number;

/** A tag appended to the values at the secret places, found again in the normal form. */
const TAG = /\u0000flowops-secret:(\d+)\u0000/g;
const tag = (i: number) => `\u0000flowops-secret:${i}\u0000`;

/** An RFC 6901 JSON Pointer. */
export function pointer(path: readonly Segment[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function segmentsOf(p: string): string[] {
  return p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The secret places of a flow in its normal form: the values there, and everything below them. */
export class SecretMask {
  /** Pointer -> the secret substitutions whose values are there. */
  private readonly places: ReadonlyMap<string, readonly string[]>;
  private readonly segments: ReadonlyArray<readonly [string[], readonly string[]]>;

  constructor(places: ReadonlyMap<string, readonly string[]>) {
    this.places = places;
    this.segments = [...places].map(([p, keys]) => [segmentsOf(p), keys] as const);
  }

  static readonly none = new SecretMask(new Map());

  get empty(): boolean {
    return this.places.size === 0;
  }

  /** The pointers, for tests and messages. */
  get pointers(): string[] {
    return [...this.places.keys()];
  }

  /** The keys of the secret place at or above `path`, when there is one. */
  covering(path: readonly Segment[]): readonly string[] | undefined {
    for (let n = path.length; n >= 0; n--) {
      const keys = this.places.get(pointer(path.slice(0, n)));
      if (keys) return keys;
    }
    return undefined;
  }

  /** The secret places strictly below `path`, relative to it. */
  below(path: readonly Segment[]): string[][] {
    const at = path.map(String);
    return this.segments
      .filter(([s]) => s.length > at.length && at.every((x, i) => s[i] === x))
      .map(([s]) => s.slice(at.length));
  }

  /**
   * `value` as an output may show it, when it stands at `paths` (the place on each side of a
   * comparison): `***` at or under a secret place; a structure keeps what is not secret, a scalar
   * where the other side holds secrets below is masked whole.
   */
  value(value: unknown, paths: ReadonlyArray<readonly Segment[]>): unknown {
    if (this.empty) return value;
    if (paths.some((p) => this.covering(p) !== undefined)) return MASK;
    const inside = paths.flatMap((p) => this.below(p));
    if (inside.length === 0) return value;
    if (value === null || typeof value !== 'object') return MASK;
    const copy = structuredClone(value);
    for (const rel of inside) setExisting(copy, rel, MASK);
    return copy;
  }

  /** A copy of a document with `***` at every secret place it has (for the words naming a place). */
  document<T>(document: T): T {
    if (this.empty) return document;
    const copy = structuredClone(document);
    for (const [s] of this.segments) setExisting(copy, s, MASK);
    return copy;
  }
}

/**
 * The secret places of a desired document in its normal form: the values at the places are tagged,
 * the tagged document is brought to the normal form, and the tags are looked for there. Only flows
 * with secret places pay for the second normal form.
 */
export function secretMaskOf(
  document: Record<string, unknown>,
  places: readonly SecretPlace[] | undefined,
): SecretMask {
  if (!places?.length) return SecretMask.none;
  const tagged = structuredClone(document);
  places.forEach((place, i) => {
    if (place.path.length === 0) return;
    const parent = getAt(tagged, place.path.slice(0, -1));
    const last = place.path[place.path.length - 1]!;
    if (parent !== null && typeof parent === 'object' && last in parent) {
      (parent as Record<string | number, unknown>)[last] = tagLeaves(
        (parent as Record<string | number, unknown>)[last],
        i,
      );
    }
  });
  const found = new Map<string, string[]>();
  const visit = (node: unknown, path: Segment[]): void => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(TAG)) {
        const p = pointer(path);
        const keys = found.get(p) ?? [];
        for (const k of places[Number(m[1])]?.keys ?? []) if (!keys.includes(k)) keys.push(k);
        found.set(p, keys);
      }
    } else if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
  };
  visit(normalForm(tagged), []);
  return new SecretMask(found);
}

/**
 * Where each scalar of a document is in its normal form: normal-form pointer -> the path in the
 * document (for writing a value found in the normal form back into the document's text).
 */
export function documentPathsOf(document: Record<string, unknown>): Map<string, Segment[]> {
  const paths: Segment[][] = [];
  const tagAll = (value: unknown, path: Segment[]): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => tagAll(v, [...path, i]));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagAll(v, [...path, k])]));
    if (value === null || value === undefined) return value;
    paths.push(path);
    return `${String(value)}${tag(paths.length - 1)}`;
  };
  const found = new Map<string, Segment[]>();
  const visit = (node: unknown, path: Segment[]): void => {
    if (typeof node === 'string') {
      const m = /\u0000flowops-secret:(\d+)\u0000$/.exec(node);
      if (m) found.set(pointer(path), paths[Number(m[1])]!);
    } else if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
  };
  visit(normalForm(tagAll(document, []) as Record<string, unknown>), []);
  return found;
}

/** A value's scalars with the tag appended (its text kept in front: variables are sorted by name). */
function tagLeaves(value: unknown, i: number): unknown {
  if (Array.isArray(value)) return value.map((v) => tagLeaves(v, i));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagLeaves(v, i)]));
  if (value === null || value === undefined) return value;
  return `${String(value)}${tag(i)}`;
}

/**
 * A value a secret had before it was rotated, worked out from a masked pair: the live value (`from`)
 * read against the desired one (`to`) with the current values of the place's secrets cut out as
 * wildcards. `Partner key NEW.` and `Partner key OLD.` give OLD for the key. Nothing when the parts
 * around the secrets differ too (an edit besides the rotation).
 */
export function previousSecretValues(
  pair: { from: unknown; to: unknown; keys: readonly string[] },
  values: Readonly<Record<string, unknown>>,
): Array<{ key: string; value: string }> {
  if (pair.from === null || typeof pair.from === 'object' || pair.to === null || typeof pair.to === 'object') return [];
  const from = String(pair.from);
  const to = String(pair.to);
  const current = pair.keys.map((key) => ({ key, value: String(values[key] ?? '') })).filter((s) => s.value !== '');
  current.sort((a, b) => b.value.length - a.value.length);
  if (current.length === 0) return [];
  const order: string[] = [];
  const alternatives = current.map((s) => escapeRegExp(s.value)).join('|');
  const pieces = to.split(new RegExp(`(${alternatives})`));
  let source = '^';
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) source += escapeRegExp(piece);
    else {
      order.push(current.find((s) => s.value === piece)!.key);
      source += '([\\s\\S]+?)';
    }
  });
  const m = new RegExp(`${source}$`).exec(from);
  if (!m) return [];
  const out: Array<{ key: string; value: string }> = [];
  order.forEach((key, i) => {
    const value = m[i + 1]!;
    if (value !== String(values[key]) && !out.some((o) => o.key === key && o.value === value)) out.push({ key, value });
  });
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function getAt(data: unknown, path: readonly Segment[]): unknown {
  let node = data;
  for (const seg of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

function setExisting(data: unknown, path: readonly Segment[], value: unknown): void {
  if (path.length === 0) return;
  const parent = getAt(data, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last))
    (parent as Record<string | number, unknown>)[last] = value;
}
