/**
 * Archy replaces `{{key}}` as plain text before it parses the YAML (so unquoted placeholders, even
 * map keys, are legal input). We do the same, and remember where every replacement happened so that
 * an offset in the substituted text maps back to the file the user wrote.
 */
import type { Replacement, SubstitutionValue } from './types.js';

export type { Replacement };

export interface PlaceholderProblem {
  offset: number;
  code: 'missing-substitution' | 'bad-placeholder';
  key: string;
  placeholder: string;
}

export interface Substituted {
  text: string;
  replacements: Replacement[];
  problems: PlaceholderProblem[];
  /** Keys used, in order of first use. */
  keys: string[];
}

// A candidate is anything `{{ ... }}` on one line whose inside looks like a key; anything else
// (`{{a: 1}: 2}` is valid YAML) is left alone for the YAML parser.
const PLACEHOLDER = /\{\{([ \t]*)([A-Za-z0-9_.-]*)([ \t]*)\}\}/g;

export function substitute(text: string, values: Record<string, SubstitutionValue>): Substituted {
  const replacements: Replacement[] = [];
  const problems: PlaceholderProblem[] = [];
  const keys: string[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const [whole, lead = '', key = '', trail = ''] = m;
    const start = m.index;
    const known = key !== '' && Object.hasOwn(values, key);
    if (key === '' || lead !== '' || trail !== '') {
      problems.push({ offset: start, code: 'bad-placeholder', key, placeholder: whole });
    } else if (!known) {
      problems.push({ offset: start, code: 'missing-substitution', key, placeholder: whole });
    }
    if (key !== '' && !keys.includes(key)) keys.push(key);
    // Unknown keys are replaced by the key itself, so that one missing value is one error, not a
    // cascade of YAML errors; diagnostics that land on such a spot are dropped later.
    const value = known ? String(values[key]) : key;
    out += text.slice(last, start);
    replacements.push({
      origStart: start,
      origEnd: start + whole.length,
      newStart: out.length,
      newEnd: out.length + value.length,
      key,
      missing: !known,
    });
    out += value;
    last = start + whole.length;
  }
  out += text.slice(last);
  return { text: out, replacements, problems, keys };
}

/** Maps an offset in the substituted text back to the original text. */
export function toOriginalOffset(replacements: readonly Replacement[], offset: number): number {
  // Binary search for the last replacement starting at or before the offset.
  let lo = 0;
  let hi = replacements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (replacements[mid]!.newStart <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return offset;
  const r = replacements[found]!;
  if (offset < r.newEnd) return r.origStart; // inside an inserted value: point at its placeholder
  return offset - r.newEnd + r.origEnd;
}
