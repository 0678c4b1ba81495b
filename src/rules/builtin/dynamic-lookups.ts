/**
 * `dynamic-lookups`: more run-time lookups (`Find*` functions in expressions, Find actions) in one
 * flow than Genesys allows, and lookups inside a loop. Genesys' limits (help.mypurecloud.com, Find
 * User action, article 189812): 25 unique lookups of one type, 100 in all per flow; looking up the
 * same object again counts once. Two lookups are the same when they name the same function's type
 * and the same argument as written (a literal name, or the same expression).
 */
import type { DocumentPath, Rule } from '../types.js';
import { actionLabel, documentFacts } from './document-walk.js';
import { checkOptions, isBoolean, isPositiveInteger } from './rule-options.js';

/** Lookup functions of Archy expressions by the type of object they look up (the action is the same name, lower camel case). */
const LOOKUP_TYPES: Readonly<Record<string, string>> = {
  FindQueue: 'queue',
  FindQueueById: 'queue',
  FindUser: 'user',
  FindUserById: 'user',
  FindUsersById: 'user',
  FindGroup: 'group',
  FindGroupById: 'group',
  FindSkill: 'skill',
  FindLanguageSkill: 'language skill',
  FindScheduleGroup: 'schedule group',
  FindSchedule: 'schedule',
  FindEmergencyGroup: 'emergency group',
  FindWrapupCode: 'wrap-up code',
  FindUserPrompt: 'user prompt',
  FindSystemPrompt: 'system prompt',
};
const ACTION_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LOOKUP_TYPES).map(([fn, type]) => [fn[0]!.toLowerCase() + fn.slice(1), type]),
);
const CALL = new RegExp(`\\b(${Object.keys(LOOKUP_TYPES).join('|')})\\s*\\(`, 'g');

export const GENESYS_LIMITS = { maxPerType: 25, maxTotal: 100 } as const;

export interface DynamicLookupsOptions {
  maxPerType?: number;
  maxTotal?: number;
  /** Report a lookup inside a loop (default true). */
  inLoop?: boolean;
}

interface Lookup {
  /** Document order (document-walk.ts). */
  order: number;
  type: string;
  /** What is looked up, as written: one object counts once. */
  key: string;
  label: string;
  path: DocumentPath;
  inLoop: boolean;
}

export const dynamicLookups: Rule<DynamicLookupsOptions> = {
  id: 'dynamic-lookups',
  description:
    'More Find* lookups in one flow than Genesys allows (25 unique of one type, 100 in all), or a lookup inside a loop.',
  help: [
    'Genesys limits the run-time lookups of one flow (Find functions and Find actions): 25 unique lookups of one type',
    'and 100 in all; the same object looked up again counts once (help.mypurecloud.com, article 189812).',
    'A lookup inside a loop looks the object up on every turn: look it up once before the loop and keep it in a variable.',
    'Options: `maxPerType` (default 25), `maxTotal` (default 100), `inLoop` (report lookups in loops, default true).',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) =>
    checkOptions(options as Record<string, unknown>, {
      maxPerType: isPositiveInteger,
      maxTotal: isPositiveInteger,
      inLoop: isBoolean,
    }),
  check(flow, ctx) {
    const maxPerType = ctx.options.maxPerType ?? GENESYS_LIMITS.maxPerType;
    const maxTotal = ctx.options.maxTotal ?? GENESYS_LIMITS.maxTotal;
    const seen = new Set<string>();
    const perType = new Map<string, number>();
    for (const lookup of lookupsOf(flow.document)) {
      if (lookup.inLoop && ctx.options.inLoop !== false)
        ctx.report(
          lookup.path,
          `${lookup.label} inside a loop looks the object up on every turn: look it up once before the loop`,
        );
      const id = `${lookup.type}\n${lookup.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const ofType = (perType.get(lookup.type) ?? 0) + 1;
      perType.set(lookup.type, ofType);
      if (ofType === maxPerType + 1)
        ctx.report(
          lookup.path,
          `${lookup.label} is unique ${lookup.type} lookup ${ofType} of this flow: Genesys allows ${maxPerType} of one type`,
        );
      if (seen.size === maxTotal + 1)
        ctx.report(
          lookup.path,
          `${lookup.label} is unique lookup ${seen.size} of this flow: Genesys allows ${maxTotal} in all`,
        );
    }
  },
};

/** Every lookup of the document in document order: Find actions and Find calls inside expressions. */
function lookupsOf(document: Record<string, unknown>): Lookup[] {
  const lookups: Lookup[] = [];
  const facts = documentFacts(document);
  for (const site of facts.actions) {
    const type = Object.hasOwn(ACTION_TYPES, site.kind) ? ACTION_TYPES[site.kind]! : undefined;
    if (!type) continue;
    const { name: _name, outputs: _outputs, ...rest } = site.body;
    const args = Object.entries(rest).filter(([key]) => key.startsWith('find'));
    const key = JSON.stringify(args.length ? args : Object.entries(rest));
    lookups.push({ order: site.order, type, key, label: actionLabel(site), path: site.itemPath, inLoop: site.inLoop });
  }
  for (const { value, path, inLoop, order } of facts.expressions) {
    if (!value.includes('Find')) continue;
    for (const m of value.matchAll(CALL)) {
      const argument = argumentAt(value, m.index + m[0].length);
      lookups.push({ order, type: LOOKUP_TYPES[m[1]!]!, key: argument, label: `${m[1]}(${argument})`, path, inLoop });
    }
  }
  // Actions and expressions in one document order (the sort is stable: calls of one expression stay in order).
  return lookups.sort((a, b) => a.order - b.order);
}

/** The text of a call's arguments from just after its `(` to the matching `)`, quotes respected. */
function argumentAt(text: string, start: number): string {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) return text.slice(start, i).trim();
      depth--;
    }
  }
  return text.slice(start).trim();
}
