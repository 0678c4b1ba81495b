/**
 * `no-hardcoded-ids`: a GUID written where Archy takes an object's name (a queue, a user, a data
 * action, a module...), or a GUID string inside an expression. Archy resolves names in the org it
 * publishes to; an id belongs to one org, so the same file fails (or reaches the wrong object) in the
 * next environment. Names come from the check's list of the org objects a flow names (ctx.references).
 */
import { OBJECT_REFERENCE_TABLE, type OrgObjectKind } from '../../check/index.js';
import type { DocumentPath, Rule } from '../types.js';
import { documentFacts, isMapping } from './document-walk.js';
import { checkOptions, isBoolean, stringList } from './rule-options.js';

const KINDS: readonly OrgObjectKind[] = OBJECT_REFERENCE_TABLE.map((row) => row.kind);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A GUID as an Archy string literal inside an expression: `FindUserById("0b5e...")`.
const QUOTED_GUID = /"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/gi;

/** How messages name a kind of object. */
const KIND_WORDS: Partial<Record<OrgObjectKind, string>> = {
  systemPrompt: 'system prompt',
  dataAction: 'data action',
  dataTable: 'data table',
  scheduleGroup: 'schedule group',
  emergencyGroup: 'emergency group',
  language: 'language skill',
  wrapupCode: 'wrap-up code',
  contactList: 'contact list',
};

export interface NoHardcodedIdsOptions {
  /** The kinds of object checked (default: every kind the check lists). */
  kinds?: OrgObjectKind[];
  /** Also look for GUID strings inside expressions (default true). */
  expressions?: boolean;
  /** GUIDs that may be written (compared regardless of case). */
  allow?: string[];
  /**
   * More keys whose value must not be a GUID, wherever they are (`value`, `attributes`...): a team's
   * own places for ids, beyond the objects the check lists. A string, or a `lit` string, is checked.
   */
  keys?: string[];
}

export const noHardcodedIds: Rule<NoHardcodedIdsOptions> = {
  id: 'no-hardcoded-ids',
  description: 'A GUID written where Archy takes a name (queue, user, group, data action, flow...).',
  help: [
    'Archy finds queues, users, groups, prompts, data actions and flows by name in the org it publishes to.',
    'An id belongs to one org: the same file fails, or reaches another object, in the next environment.',
    'Write the name (with a `{{placeholder}}` where it differs per environment).',
    'Options: `kinds` (which kinds of object), `expressions` (also GUID strings inside expressions, default true), `allow` (GUIDs that may stay),',
    '`keys` (more keys whose string or `lit` value must not be a GUID).',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) =>
    checkOptions(options as Record<string, unknown>, {
      kinds: stringList(KINDS),
      expressions: isBoolean,
      allow: stringList(),
      keys: stringList(),
    }),
  check(flow, ctx) {
    const kinds = new Set(ctx.options.kinds ?? KINDS);
    const allowed = new Set((ctx.options.allow ?? []).map((id) => id.toLowerCase()));
    const isReported = (id: string) => GUID.test(id) && !allowed.has(id.toLowerCase());
    const reportedAt = new Set<string>();
    for (const ref of ctx.references) {
      if (ref.name === undefined || !kinds.has(ref.kind) || !isReported(ref.name)) continue;
      const kind = KIND_WORDS[ref.kind] ?? ref.kind;
      ctx.report(
        ref.path,
        `${kind} "${ref.name}" is an id where Archy takes the ${kind}'s name: ids differ between orgs, name it instead`,
      );
      reportedAt.add(JSON.stringify(ref.path));
    }
    if (ctx.options.keys?.length)
      for (const { key, value, path } of valuesUnder(flow.document, new Set(ctx.options.keys)))
        if (isReported(value) && !reportedAt.has(JSON.stringify(path))) {
          ctx.report(path, `${key} is the id "${value}": ids differ between orgs, use a name or a placeholder instead`);
          reportedAt.add(JSON.stringify(path));
        }
    if (ctx.options.expressions === false) return;
    for (const { value, path } of documentFacts(flow.document).expressions) {
      if (!value.includes('-') || reportedAt.has(JSON.stringify(path))) continue;
      for (const m of value.matchAll(QUOTED_GUID))
        if (isReported(m[1]!))
          ctx.report(
            path,
            `the expression holds the id "${m[1]}": ids differ between orgs, look the object up by name instead`,
          );
    }
  },
};

/** The string values (or `lit` strings) of `keys` anywhere in the document, with their paths. */
function valuesUnder(
  document: Record<string, unknown>,
  keys: ReadonlySet<string>,
): Array<{ key: string; value: string; path: DocumentPath }> {
  const found: Array<{ key: string; value: string; path: DocumentPath }> = [];
  const visit = (node: unknown, path: DocumentPath): void => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (isMapping(node))
      for (const [key, value] of Object.entries(node)) {
        if (keys.has(key)) {
          if (typeof value === 'string') found.push({ key, value, path: [...path, key] });
          else if (isMapping(value) && typeof value.lit === 'string')
            found.push({ key, value: value.lit, path: [...path, key, 'lit'] });
        }
        visit(value, [...path, key]);
      }
  };
  visit(document, []);
  return found;
}
