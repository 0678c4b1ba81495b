/**
 * The org objects that changed and created flows name, checked against what the environment's org
 * has (pure): each missing one is a problem at its place in the file as written, with the closest
 * existing name when one is close. The caller lists the org (one listing per kind named); this
 * module decides which kinds those are and what is missing.
 */
import { distance } from 'fastest-levenshtein';
import type { DesiredFlow, Diagnostic, ObjectReference, OrgObjectKind } from '../check/types.js';
import { kindLabel } from './reference-words.js';

export { kindLabel, uncheckedNotes } from './reference-words.js';

/** `references:` of an environment in flowops.yaml: missing objects fail the plan, or only warn. */
export type ReferenceMode = 'error' | 'warn';

/** One named object the org lacks, where the flow names it. */
export interface ReferenceProblem {
  severity: 'error' | 'warning';
  code: 'missing-reference';
  kind: OrgObjectKind;
  name: string;
  /** A data action's integration (category). */
  integration?: string;
  /** The closest existing name, when one is close. */
  suggestion?: string;
  /** A data action: the integration of the suggested one, when it is another integration. */
  suggestionIntegration?: string;
  message: string;
  file: string;
  line: number;
  col: number;
}

/** A kind the changed flows name that was not checked, and why. */
export interface UncheckedKind {
  kind: OrgObjectKind;
  /** `unlisted`: the org answers 404 (it models none); `forbidden`: 403; `unsupported`: flowops does not list the kind. */
  reason: 'unlisted' | 'forbidden' | 'unsupported';
  /** For `forbidden`: the permission the OAuth client lacks. */
  permission?: string;
  /** How many references of the kind went unchecked. */
  references: number;
}

/** The reference check of a plan: saved with it, shown by every view. */
export interface PlanReferences {
  /** Kinds listed and compared, in order. */
  checked: OrgObjectKind[];
  unchecked: UncheckedKind[];
  /** Dynamic references among the checked flows (computed at run time): listed, never checked. */
  dynamic: number;
  problems: ReferenceProblem[];
}

/** An object of the org as references match it. */
export interface OrgObject {
  name: string;
  /** Data actions: the integration (category). */
  integration?: string;
  /** Flows: the lowercase flow type. */
  type?: string;
}

/** What the caller learnt of one kind. */
export type KindListing =
  | { outcome: 'listed'; objects: readonly OrgObject[] }
  | { outcome: 'unlisted' }
  | { outcome: 'forbidden'; permission: string }
  | { outcome: 'unsupported' };

export interface ReferenceCheckInput {
  environment: string;
  mode: ReferenceMode;
  /** The flows to check: those the plan creates, updates or renames (their files changed). */
  flows: ReadonlyArray<Pick<DesiredFlow, 'path'> & { references?: readonly ObjectReference[] }>;
  /**
   * Per kind named: what the org has. `flow` is the org's flows (the plan's listing, and more types
   * when references name them) together with the flows the same plan creates.
   */
  listings: ReadonlyMap<OrgObjectKind, KindListing>;
}

/**
 * Whether names of a kind match regardless of case (README, table of choices). Genesys refuses a
 * second queue, flow... whose name differs only in case, and its data table filter says "Matches are
 * case-insensitive" (SDK docs of getFlowsDatatables); for the other kinds no source says, and a
 * false error blocks a merge while a missed one fails at publish as it does today: regardless of
 * case (choice).
 */
export const CASE_INSENSITIVE: Readonly<Record<OrgObjectKind, boolean>> = {
  queue: true,
  prompt: true,
  systemPrompt: true,
  dataAction: true,
  dataTable: true,
  scheduleGroup: true,
  schedule: true,
  emergencyGroup: true,
  language: true,
  skill: true,
  wrapupCode: true,
  division: true,
  user: true,
  group: true,
  contactList: true,
  flow: true,
};

/** The references of these flows that name an object literally (dynamic ones have no name). */
function literalReferences(
  flows: ReferenceCheckInput['flows'],
): Array<{ file: string; ref: ObjectReference & { name: string } }> {
  return flows.flatMap((f) =>
    (f.references ?? []).flatMap((ref) =>
      ref.name === undefined ? [] : [{ file: f.path, ref: { ...ref, name: ref.name } }],
    ),
  );
}

/** The kinds these flows name literally, each once, sorted: what to list. */
export function kindsNamed(flows: ReferenceCheckInput['flows']): OrgObjectKind[] {
  return [...new Set(literalReferences(flows).map((r) => r.ref.kind))].sort();
}

/**
 * The flow types these flows' references to flows may be (lowercase, sorted), or `all` when one of
 * them says no type: what the org's flows must be listed of.
 */
export function flowTypesNamed(flows: ReferenceCheckInput['flows']): string[] | 'all' {
  const types = new Set<string>();
  for (const { ref } of literalReferences(flows)) {
    if (ref.kind !== 'flow') continue;
    if (!ref.flowTypes?.length) return 'all';
    for (const t of ref.flowTypes) types.add(t.toLowerCase());
  }
  return [...types].sort();
}

/** A name as a kind compares it: Unicode NFC (a name typed decomposed is the same name), and the case per kind. */
function keyOf(kind: OrgObjectKind, name: string): string {
  const normal = name.normalize('NFC');
  return CASE_INSENSITIVE[kind] ? normal.toLowerCase() : normal;
}

/** The objects a reference may name: a data action within its integration, a flow among its types. */
function candidatesFor(ref: ObjectReference, objects: readonly OrgObject[]): readonly OrgObject[] {
  if (ref.kind === 'dataAction' && ref.integration !== undefined) {
    const integration = keyOf('dataAction', ref.integration);
    return objects.filter((o) => o.integration !== undefined && keyOf('dataAction', o.integration) === integration);
  }
  if (ref.kind === 'flow' && ref.flowTypes?.length) {
    const types = ref.flowTypes.map((t) => t.toLowerCase());
    return objects.filter((o) => o.type === undefined || types.includes(o.type));
  }
  return objects;
}

/**
 * The closest name to `name` among `names`, when it is close: an edit distance (of the names as the
 * kind compares them) of at most a third of the name's length, and at least 1 (TypeScript's
 * spelling suggestions use about the same bound).
 */
export function closestName(kind: OrgObjectKind, name: string, names: readonly string[]): string | undefined {
  const wanted = keyOf(kind, name);
  const bound = Math.max(1, Math.floor(wanted.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const candidate of names) {
    const d = distance(wanted, keyOf(kind, candidate));
    if (d <= bound && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}

/** What a missing reference may have meant: a close name, or the same action in another integration. */
function suggestionFor(
  ref: ObjectReference & { name: string },
  objects: readonly OrgObject[],
): { name: string; integration?: string } | undefined {
  const close = closestName(
    ref.kind,
    ref.name,
    candidatesFor(ref, objects).map((o) => o.name),
  );
  if (close !== undefined) return { name: close };
  if (ref.kind !== 'dataAction' || ref.integration === undefined) return undefined;
  const wanted = keyOf('dataAction', ref.name);
  const elsewhere = objects.flatMap((o) =>
    o.integration !== undefined && keyOf('dataAction', o.name) === wanted ? [o.integration] : [],
  );
  const integration = closestName('dataAction', ref.integration, elsewhere) ?? elsewhere[0];
  if (integration === undefined) return undefined;
  const action = objects.find((o) => o.integration === integration && keyOf('dataAction', o.name) === wanted)!;
  return { name: action.name, integration };
}

function quoteSuggestion(s: { name: string; integration?: string }): string {
  return `"${s.name}"${s.integration !== undefined ? ` of integration "${s.integration}"` : ''}`;
}

function describe(ref: ObjectReference & { name: string }): string {
  const of = ref.kind === 'dataAction' && ref.integration !== undefined ? ` of integration "${ref.integration}"` : '';
  return `${kindLabel(ref.kind, ref.flowTypes)} "${ref.name}"${of}`;
}

/** Checks every literal reference of `flows` against the listings: the plan's `references`. Pure. */
export function checkOrgReferences(input: ReferenceCheckInput): PlanReferences {
  const severity = input.mode === 'warn' ? 'warning' : 'error';
  const checked = new Set<OrgObjectKind>();
  const unchecked = new Map<OrgObjectKind, UncheckedKind>();
  const problems: ReferenceProblem[] = [];
  const keys = new Map<OrgObjectKind, Set<string>>();
  for (const { file, ref } of literalReferences(input.flows)) {
    const listing = input.listings.get(ref.kind) ?? { outcome: 'unsupported' };
    if (listing.outcome !== 'listed') {
      const seen = unchecked.get(ref.kind);
      if (seen) seen.references += 1;
      else
        unchecked.set(ref.kind, {
          kind: ref.kind,
          reason: listing.outcome,
          ...(listing.outcome === 'forbidden' ? { permission: listing.permission } : {}),
          references: 1,
        });
      continue;
    }
    checked.add(ref.kind);
    if (existsIn(ref, listing.objects, keys)) continue;
    const suggestion = suggestionFor(ref, listing.objects);
    problems.push({
      severity,
      code: 'missing-reference',
      kind: ref.kind,
      name: ref.name,
      ...(ref.integration !== undefined ? { integration: ref.integration } : {}),
      ...(suggestion ? { suggestion: suggestion.name } : {}),
      ...(suggestion?.integration !== undefined ? { suggestionIntegration: suggestion.integration } : {}),
      message: `${describe(ref)} does not exist in environment ${input.environment}${suggestion ? ` (did you mean ${quoteSuggestion(suggestion)}?)` : ''}`,
      file,
      line: ref.line,
      col: ref.column,
    });
  }
  const dynamic = input.flows.reduce((n, f) => n + (f.references ?? []).filter((r) => r.name === undefined).length, 0);
  return {
    checked: [...checked].sort(),
    unchecked: [...unchecked.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1)),
    dynamic,
    problems: problems.sort((a, b) =>
      a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
    ),
  };
}

/** Whether the org has what `ref` names (a set of keys per kind and integration, built once). */
function existsIn(
  ref: ObjectReference & { name: string },
  objects: readonly OrgObject[],
  cache: Map<OrgObjectKind, Set<string>>,
): boolean {
  if (ref.kind === 'flow')
    return candidatesFor(ref, objects).some((o) => keyOf('flow', o.name) === keyOf('flow', ref.name));
  let keys = cache.get(ref.kind);
  if (!keys) {
    keys = new Set(objects.map((o) => scopedKey(ref.kind, o.name, o.integration)));
    cache.set(ref.kind, keys);
  }
  return keys.has(scopedKey(ref.kind, ref.name, ref.kind === 'dataAction' ? ref.integration : undefined));
}

/** A data action is its integration and its name; other kinds their name. */
function scopedKey(kind: OrgObjectKind, name: string, integration: string | undefined): string {
  return kind === 'dataAction' ? `${keyOf(kind, integration ?? '')}\u0000${keyOf(kind, name)}` : keyOf(kind, name);
}

/** The problems as diagnostics (the one shape the command line prints and annotates). */
export function referenceDiagnostics(references: PlanReferences | undefined): Diagnostic[] {
  return (references?.problems ?? []).map(({ severity, code, message, file, line, col }) => ({
    severity,
    code,
    message,
    file,
    line,
    col,
  }));
}

/** Whether the plan has missing references that fail it (not only warnings). */
export function hasReferenceErrors(references: PlanReferences | undefined): boolean {
  return (references?.problems ?? []).some((p) => p.severity === 'error');
}
