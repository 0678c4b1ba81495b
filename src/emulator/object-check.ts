/**
 * What Archy does with the org objects a flow names when it publishes it: each one must exist in the
 * org, or the publish fails with one message per missing object, naming its kind and name. The
 * wording is the emulator's (Archy's own for this case was not found in public sources: README.md,
 * table of choices), after Architect's "cannot be published due to missing dependencies".
 * Only when the emulator models the org's objects (an objects file): otherwise nothing is checked.
 */
import { LineCounter, parseDocument } from 'yaml';
import { locate } from '../check/locate.js';
import { type FlowReference, flowReferences } from './flow-references.js';
import { type ObjectKind, type OrgCatalog, sameName } from './org-catalog.js';
import type { EmulatorState } from './state-store.js';

/** How messages name each kind (Architect's words in its UI). */
export const KIND_LABELS: Record<ObjectKind, string> = {
  queue: 'queue',
  prompt: 'user prompt',
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
};

/** What a missing object is called in messages: `queue "Support"`, `data action "Lookup" of the integration "X"`. */
function described(ref: FlowReference): string {
  return ref.kind === 'dataAction'
    ? `data action "${ref.name}" of the integration "${ref.integration ?? ''}"`
    : `${KIND_LABELS[ref.kind]} "${ref.name}"`;
}

/** The object of the org a reference names, by id and name; undefined when the org lacks it. */
export function resolveReference(
  state: EmulatorState,
  catalog: OrgCatalog,
  ref: Pick<FlowReference, 'kind' | 'name' | 'integration'>,
): { id: string; name: string } | undefined {
  if (ref.kind === 'queue') return Object.values(state.queues).find((q) => sameName(q.name, ref.name));
  return catalog.find(ref.kind, ref.name, ref.kind === 'dataAction' ? ref.integration : undefined);
}

/** One reference per object (kind, integration and name regardless of case), the first kept. */
export function distinctReferences(refs: FlowReference[]): FlowReference[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}\0${(r.integration ?? '').toLowerCase()}\0${r.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The messages of a publish of `document` (parsed from `text`) naming objects the org lacks: a first
 * one that lists them all (a client showing one message shows what is missing), then
 * `line:col: The <kind> "<name>" does not exist in this org.` per missing object.
 */
export function missingObjectMessages(
  state: EmulatorState,
  catalog: OrgCatalog,
  document: Record<string, unknown>,
  text: string,
): string[] {
  const missing = distinctReferences(flowReferences(document)).filter((r) => !resolveReference(state, catalog, r));
  if (missing.length === 0) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return [
    `The flow cannot be published due to missing dependencies: ${missing.map(described).join(', ')}.`,
    ...missing.map((r) => {
      const { line, col } = lines.linePos(locate(doc, r.path, r.atKey));
      return `${line}:${col}: The ${described(r)} does not exist in this org.`;
    }),
  ];
}
