/**
 * Cutting a markdown plan into pieces that fit GitHub's limits without breaking its structure: the
 * plan is cut only between top-level blocks (never inside a `<details>` section or a code fence),
 * and a single block too long for any piece is shortened at a line and its open fence and sections
 * are closed. Pure.
 */

export type Measure = (text: string) => number;

/** JavaScript string length: UTF-16 code units, never fewer than the characters GitHub counts. */
export const utf16Length: Measure = (text) => text.length;

export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, 'utf8');

interface BlockState {
  inFence: boolean;
  depth: number;
}

function scanLine(line: string, state: BlockState): BlockState {
  const t = line.trimStart();
  if (t.startsWith('```') || t.startsWith('~~~')) return { inFence: !state.inFence, depth: state.depth };
  if (state.inFence) return state;
  const opens = t.match(/<details[\s>]/gi)?.length ?? 0;
  const closes = t.match(/<\/details>/gi)?.length ?? 0;
  return { inFence: false, depth: Math.max(0, state.depth + opens - closes) };
}

/** Top-level blocks: runs of lines separated by blank lines that are outside fences and sections. */
export function markdownBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let state: BlockState = { inFence: false, depth: 0 };
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === '' && !state.inFence && state.depth === 0) {
      if (current.length) blocks.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
    state = scanLine(line, state);
  }
  if (current.length) blocks.push(current.join('\n'));
  return blocks;
}

export const CUT_NOTE =
  '_… this section is longer than one comment can hold and is cut here; the job summary has all of it._';

function closers(state: BlockState, note: string): string {
  return ['', ...(state.inFence ? ['```'] : []), ...Array<string>(state.depth).fill('</details>'), '', note].join('\n');
}

/** The block's first lines that fit in `budget` with its open fence and sections closed and a note. */
export function cutBlock(block: string, budget: number, measure: Measure = utf16Length, note = CUT_NOTE): string {
  const lines = block.split('\n');
  const taken: string[] = [];
  let used = 0;
  let state: BlockState = { inFence: false, depth: 0 };
  for (const line of lines) {
    const next = scanLine(line, state);
    const grown = used + (taken.length ? 1 : 0) + measure(line);
    if (grown + 1 + measure(closers(next, note)) > budget) break;
    taken.push(line);
    used = grown;
    state = next;
  }
  if (taken.length === 0) {
    // One line longer than the budget: keep what fits of it, as plain text.
    const room = Math.max(0, budget - measure(closers(state, note)) - 1);
    const line = (lines[0] ?? '').replace(/</g, '&lt;');
    let n = Math.min(line.length, room);
    while (n > 0 && measure(line.slice(0, n)) > room) n = Math.floor(n * 0.9);
    return `${line.slice(0, n).replace(/[\uD800-\uDBFF]$/, '')}\n${closers(state, note)}`;
  }
  return `${taken.join('\n')}\n${closers(state, note)}`;
}

export interface Packed {
  /** The blocks of each piece, in order. */
  parts: string[][];
  /** Blocks left out because `maxParts` pieces were full. */
  omitted: number;
}

/**
 * Fills pieces of at most `budget` (blocks joined by a blank line) in order, shortening a block
 * that alone exceeds the budget, and stops after `maxParts` pieces.
 */
export function packBlocks(
  blocks: readonly string[],
  budget: number,
  maxParts: number,
  measure: Measure = utf16Length,
): Packed {
  const parts: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = measure(blocks[i]!) > budget ? cutBlock(blocks[i]!, budget, measure) : blocks[i]!;
    const grown = used + (current.length ? 2 : 0) + measure(block);
    if (current.length && grown > budget) {
      parts.push(current);
      if (parts.length >= maxParts) return { parts, omitted: blocks.length - i };
      current = [block];
      used = measure(block);
    } else {
      current.push(block);
      used = grown;
    }
  }
  if (current.length) parts.push(current);
  return { parts, omitted: 0 };
}
