import { describePath } from '../check/describe-path.js';
import { pointer, SecretMask } from './secrets.js';
import type { Change, PatchOperation } from './types.js';

type Segment = string | number;

interface DiffContext {
  /** The documents the words naming a place are read from (secret places masked). */
  live: unknown;
  desired: unknown;
  secrets: SecretMask;
  ops: PatchOperation[];
  changes: Change[];
  masked: MaskedPair[];
}

/** A replaced value at a secret place, as it was before masking: how a rotated secret's old value is learnt. */
export interface MaskedPair {
  from: unknown;
  to: unknown;
  /** Where `from` is, in the first document given (the live one). */
  fromPath: Segment[];
  /** The secret substitutions of the place. */
  keys: readonly string[];
}

export interface DiffResult {
  patch: PatchOperation[];
  changes: Change[];
  /** Each scalar replaced at a secret place, unmasked: never for output (plan/secrets.ts previousSecretValues). */
  masked: MaskedPair[];
}

/**
 * An RFC 6902 patch from `live` to `desired`, with a `test` before every value it replaces or
 * removes, and the same changes in words. Lists are aligned by their items' identity (an action's
 * kind and name) before they are compared, so inserting one action reads as one addition rather
 * than as every later action being replaced, which is what a plain index-by-index diff shows.
 *
 * With `secrets` (the places of secret substitutions, as pointers into either side's normal form),
 * every value at or under such a place is `***` in the patch and the changes, on both sides: the
 * live value at the place the alignment pairs with a secret place is a secret too (the old value of
 * a rotated one), and so is one at the same pointer.
 */
export function diffDocuments(
  live: Record<string, unknown>,
  desired: Record<string, unknown>,
  options: { secrets?: SecretMask } = {},
): DiffResult {
  const secrets = options.secrets ?? SecretMask.none;
  const ctx: DiffContext = {
    live: secrets.document(live),
    desired: secrets.document(desired),
    secrets,
    ops: [],
    changes: [],
    masked: [],
  };
  diffValue(ctx, live, desired, [], [], []);
  return { patch: ctx.ops, changes: ctx.changes, masked: ctx.masked };
}

function diffValue(
  ctx: DiffContext,
  a: unknown,
  b: unknown,
  opPath: Segment[],
  livePath: Segment[],
  desiredPath: Segment[],
): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of Object.keys(a)) {
      if (!Object.hasOwn(b, key)) remove(ctx, a[key], [...opPath, key], [...livePath, key]);
    }
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(a, key))
        diffValue(ctx, a[key], b[key], [...opPath, key], [...livePath, key], [...desiredPath, key]);
      else add(ctx, b[key], [...opPath, key], [...desiredPath, key]);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArray(ctx, a, b, opPath, livePath, desiredPath);
    return;
  }
  const path = pointer(opPath);
  const sides = [livePath, desiredPath];
  const from = ctx.secrets.value(a, sides);
  const to = ctx.secrets.value(b, sides);
  const keys = ctx.secrets.covering(desiredPath) ?? ctx.secrets.covering(livePath);
  if (keys && (a === null || typeof a !== 'object') && (b === null || typeof b !== 'object'))
    ctx.masked.push({ from: a, to: b, fromPath: livePath, keys });
  ctx.ops.push({ op: 'test', path, value: from }, { op: 'replace', path, value: to });
  ctx.changes.push({
    kind: 'replace',
    where: describePath(ctx.desired, desiredPath),
    path: pointer(desiredPath),
    from,
    to,
  });
}

function diffArray(
  ctx: DiffContext,
  a: unknown[],
  b: unknown[],
  opPath: Segment[],
  livePath: Segment[],
  desiredPath: Segment[],
): void {
  const matches = alignLists(a, b);
  let cursor = 0; // index in the array as the patch has transformed it so far
  let li = 0;
  let di = 0;
  for (const [ml, md] of [...matches, [a.length, b.length] as const]) {
    // The gap before the next match: pair same-kind items (an edit), then remove and add the rest.
    const liveGap = range(li, ml);
    const desiredGap = range(di, md);
    const paired = pairByKind(a, b, liveGap, desiredGap);
    for (const l of liveGap) {
      const d = paired.get(l);
      if (d !== undefined) {
        // Keep relative order: removals of unpaired items that come before are done already.
        diffValue(ctx, a[l], b[d], [...opPath, cursor], [...livePath, l], [...desiredPath, d]);
        cursor++;
      } else remove(ctx, a[l], [...opPath, cursor], [...livePath, l]);
    }
    const pairedDesired = new Set(paired.values());
    // Unpaired desired items are inserted after the paired ones of this gap, at their final index.
    for (const d of desiredGap) {
      if (pairedDesired.has(d)) continue;
      add(ctx, b[d], [...opPath, d], [...desiredPath, d]);
      cursor++;
    }
    if (ml < a.length && md < b.length) {
      diffValue(ctx, a[ml], b[md], [...opPath, cursor], [...livePath, ml], [...desiredPath, md]);
      cursor++;
    }
    li = ml + 1;
    di = md + 1;
  }
}

/**
 * Pairs, inside one gap, live and desired items of the same kind in order (a renamed action is an
 * edit of that action). Only when the pairing keeps the order, so the cursor arithmetic holds.
 */
function pairByKind(a: unknown[], b: unknown[], liveGap: number[], desiredGap: number[]): Map<number, number> {
  const paired = new Map<number, number>();
  let d = 0;
  for (const l of liveGap) {
    const kind = kindOf(a[l]);
    if (kind === undefined) continue;
    while (d < desiredGap.length && kindOf(b[desiredGap[d]!]) !== kind) d++;
    if (d >= desiredGap.length) break;
    paired.set(l, desiredGap[d]!);
    d++;
  }
  // Adds are placed at their final desired index after all pairs; that is only right when every
  // paired desired item precedes every unpaired one in the gap.
  const pairedSet = new Set(paired.values());
  const firstUnpaired = desiredGap.find((x) => !pairedSet.has(x));
  if (firstUnpaired !== undefined && [...pairedSet].some((x) => x > firstUnpaired)) return new Map();
  return paired;
}

/**
 * Every pair the diff makes between two lists, in order: the items aligned by identity and, in the
 * gaps between them, same-kind items (an edit). The flow graph's diff pairs nodes with it, so a
 * drawing and the plan's changes agree on what was edited, added or removed.
 */
export function pairListItems(a: unknown[], b: unknown[]): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  let li = 0;
  let di = 0;
  for (const [ml, md] of [...alignLists(a, b), [a.length, b.length] as const]) {
    const paired = pairByKind(a, b, range(li, ml), range(di, md));
    for (const pair of paired) out.push(pair);
    if (ml < a.length && md < b.length) out.push([ml, md]);
    li = ml + 1;
    di = md + 1;
  }
  return out;
}

/** Longest common subsequence of the items' identities: pairs [liveIndex, desiredIndex]. */
function alignLists(a: unknown[], b: unknown[]): Array<readonly [number, number]> {
  const ka = a.map(identity);
  const kb = b.map(identity);
  if (a.length * b.length > 4_000_000) {
    // Too large to align; compare index by index.
    const n = Math.min(a.length, b.length);
    return range(0, n)
      .filter((i) => ka[i] === kb[i])
      .map((i) => [i, i] as const);
  }
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = ka[i] === kb[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ka[i] === kb[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** An item's identity: `kind:name` for Archy's one-key items, else its whole content. */
function identity(item: unknown): string {
  const kind = kindOf(item);
  if (kind !== undefined) {
    const body = (item as Record<string, unknown>)[kind];
    const name = isPlainObject(body) ? (body.refId ?? body.name) : undefined;
    if (name !== undefined) return `${kind}:${String(name)}`;
  }
  return `=${JSON.stringify(item)}`;
}

function kindOf(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const keys = Object.keys(item);
  return keys.length === 1 ? keys[0] : undefined;
}

function remove(ctx: DiffContext, live: unknown, opPath: Segment[], livePath: Segment[]): void {
  const path = pointer(opPath);
  const value = ctx.secrets.value(live, [livePath]);
  ctx.ops.push({ op: 'test', path, value }, { op: 'remove', path });
  ctx.changes.push({ kind: 'remove', where: describePath(ctx.live, livePath), path: pointer(livePath), from: value });
}

function add(ctx: DiffContext, desired: unknown, opPath: Segment[], desiredPath: Segment[]): void {
  const value = ctx.secrets.value(desired, [desiredPath]);
  ctx.ops.push({ op: 'add', path: pointer(opPath), value });
  ctx.changes.push({
    kind: 'add',
    where: describePath(ctx.desired, desiredPath),
    path: pointer(desiredPath),
    to: value,
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
