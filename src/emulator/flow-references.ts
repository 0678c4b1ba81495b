/**
 * The org objects a flow document names, as the emulator (playing Archy) resolves them at publish.
 * Deliberately the emulator's own small reader, independent of flowops' (src/check): the emulator is
 * the oracle flowops is tested against, so it must not share flowops' mistakes. It reads literal
 * names only (shared/reference/org-references.md): `{lit: {name}}` under the keys of LITERAL_KEYS,
 * `find*.findName.lit`, the map keys of `callData.category.<integration>.dataAction.<action>` and
 * `dataTableLookup.dataTable.<table>`, `Prompt.<name>` and `PromptSystem.<name>` anywhere in a
 * string, `Find*("literal")` in expressions, and the flow's top-level `division`. An expression
 * without a literal names nothing the emulator can check: Architect resolves it when the flow runs.
 */
import type { PathSegment } from '../check/locate.js';
import type { ObjectKind } from './org-catalog.js';

export interface FlowReference {
  kind: ObjectKind;
  name: string;
  /** dataAction: the integration (its category). */
  integration?: string;
  /** Where the name sits in the document; `atKey` when the name is a map key. */
  path: PathSegment[];
  atKey: boolean;
}

/** Keys whose value is `{lit: {name: X}}` (or `{lit: X}`) naming an object of the kind. */
const LITERAL_KEYS: Record<string, ObjectKind> = {
  targetQueue: 'queue',
  queue: 'queue',
  scheduleGroup: 'scheduleGroup',
  emergencyGroup: 'emergencyGroup',
  schedule: 'schedule',
  selectedSchedule: 'schedule',
  languageSkill: 'language',
  defaultLanguageSkill: 'language',
  skill: 'skill',
  skills: 'skill',
  wrapupCode: 'wrapupCode',
};

/** Actions `findX: {findName: {lit: "..."}}` and expression functions `FindX("...")`. */
const FIND_KINDS: Record<string, ObjectKind> = {
  queue: 'queue',
  skill: 'skill',
  languageskill: 'language',
  schedulegroup: 'scheduleGroup',
  schedule: 'schedule',
  emergencygroup: 'emergencyGroup',
  userprompt: 'prompt',
  systemprompt: 'systemPrompt',
  wrapupcode: 'wrapupCode',
};

const PROMPT_PATTERN = /(?<![\w.])(Prompt|PromptSystem)\.([A-Za-z0-9_]+)/g;
const FIND_PATTERN = /(?<![\w.])Find([A-Za-z]+)\(\s*"([^"]*)"\s*[,)]/g;

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every object reference of the document, in document order (repeats included). */
export function flowReferences(document: Record<string, unknown>): FlowReference[] {
  const found: FlowReference[] = [];
  const flowKey = Object.keys(document)[0];
  const body = flowKey === undefined ? undefined : document[flowKey];
  if (flowKey === undefined || !isMap(body)) return found;
  if (typeof body.division === 'string' && body.division.trim() !== '')
    found.push({ kind: 'division', name: body.division, path: [flowKey, 'division'], atKey: false });
  walk(body, [flowKey], found);
  return found;
}

function walk(node: unknown, path: PathSegment[], out: FlowReference[]): void {
  if (typeof node === 'string') {
    strings(node, path, out);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...path, index], out));
    return;
  }
  if (!isMap(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const here = [...path, key];
    const kind = LITERAL_KEYS[key];
    if (kind) literal(value, here, kind, out);
    const find = /^find([A-Za-z]+)$/.exec(key);
    const findKind = find ? FIND_KINDS[find[1]!.toLowerCase()] : undefined;
    if (findKind && isMap(value) && isMap(value.findName) && typeof value.findName.lit === 'string')
      out.push({ kind: findKind, name: value.findName.lit, path: [...here, 'findName', 'lit'], atKey: false });
    if (key === 'category' && isMap(value)) dataActions(value, here, out);
    if (key === 'dataTable' && isMap(value) && !('lit' in value) && !('exp' in value)) {
      for (const table of Object.keys(value))
        out.push({ kind: 'dataTable', name: table, path: [...here, table], atKey: true });
    }
    walk(value, here, out);
  }
}

/** `{lit: {name: X}}`, `{lit: X}`, or a list of those (a skill list). */
function literal(value: unknown, path: PathSegment[], kind: ObjectKind, out: FlowReference[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => literal(item, [...path, index], kind, out));
    return;
  }
  if (!isMap(value)) return;
  const lit = value.lit;
  if (typeof lit === 'string' && lit !== '') out.push({ kind, name: lit, path: [...path, 'lit'], atKey: false });
  if (isMap(lit) && typeof lit.name === 'string' && lit.name !== '')
    out.push({ kind, name: lit.name, path: [...path, 'lit', 'name'], atKey: false });
}

/** `category: {<integration>: {dataAction: {<action>: ...}}}`: both names are map keys. */
function dataActions(category: Record<string, unknown>, path: PathSegment[], out: FlowReference[]): void {
  for (const [integration, value] of Object.entries(category)) {
    if (!isMap(value) || !isMap(value.dataAction)) continue;
    for (const action of Object.keys(value.dataAction)) {
      out.push({
        kind: 'dataAction',
        name: action,
        integration,
        path: [...path, integration, 'dataAction', action],
        atKey: true,
      });
    }
  }
}

/** `Prompt.X` / `PromptSystem.X` in any string; `FindX("...")` in expressions. */
function strings(text: string, path: PathSegment[], out: FlowReference[]): void {
  for (const match of text.matchAll(PROMPT_PATTERN)) {
    out.push({ kind: match[1] === 'Prompt' ? 'prompt' : 'systemPrompt', name: match[2]!, path, atKey: false });
  }
  if (path[path.length - 1] !== 'exp') return;
  for (const match of text.matchAll(FIND_PATTERN)) {
    const kind = FIND_KINDS[match[1]!.toLowerCase()];
    if (kind && match[2] !== '') out.push({ kind, name: match[2]!, path, atKey: false });
  }
}
