/**
 * The reference check in words (plan/org-references.ts): how each kind of org object is named in
 * messages, and the notes that say what was not checked. Pure.
 */
import type { OrgObjectKind } from '../check/types.js';
import type { PlanReferences, UncheckedKind } from './org-references.js';

/** Each kind as messages name it. */
const LABELS: Readonly<Record<OrgObjectKind, string>> = {
  queue: 'queue',
  prompt: 'prompt',
  systemPrompt: 'system prompt',
  dataAction: 'data action',
  dataTable: 'data table',
  scheduleGroup: 'schedule group',
  schedule: 'schedule',
  emergencyGroup: 'emergency group',
  language: 'language skill',
  skill: 'skill',
  wrapupCode: 'wrap-up code',
  division: 'division',
  user: 'user',
  group: 'group',
  contactList: 'contact list',
  flow: 'flow',
};

const FLOW_LABELS: Readonly<Record<string, string>> = {
  commonmodule: 'common module',
  bot: 'bot flow',
  digitalbot: 'digital bot flow',
  inqueuecall: 'in-queue call flow',
};

/** How a kind is named in messages: `queue`, `data action`, `common module`... */
export function kindLabel(kind: OrgObjectKind, flowTypes?: readonly string[]): string {
  if (kind === 'flow' && flowTypes?.length === 1) return FLOW_LABELS[flowTypes[0]!] ?? `${flowTypes[0]} flow`;
  return LABELS[kind];
}

/**
 * What was not checked, in words, said once per plan: the kinds the org does not list (404) and
 * those flowops does not list in one line, and a line per kind the OAuth client may not list (403),
 * naming the permission. Empty when everything named was checked.
 */
export function uncheckedNotes(references: PlanReferences | undefined): string[] {
  const unchecked = references?.unchecked ?? [];
  const plural = (reason: UncheckedKind['reason']): string[] =>
    unchecked.filter((u) => u.reason === reason).map((u) => `${LABELS[u.kind]}s`);
  const notes: string[] = [];
  const unlisted = plural('unlisted');
  const unsupported = plural('unsupported');
  const why = [
    ...(unlisted.length ? [`the org does not list ${unlisted.join(', ')}`] : []),
    ...(unsupported.length ? [`flowops does not list ${unsupported.join(', ')}`] : []),
  ];
  if (why.length) notes.push(`references were not checked: ${why.join('; ')}`);
  for (const u of unchecked.filter((u) => u.reason === 'forbidden'))
    notes.push(
      `${LABELS[u.kind]} references were not checked: the OAuth client may not list ${LABELS[u.kind]}s (it needs the permission ${u.permission})`,
    );
  return notes;
}
