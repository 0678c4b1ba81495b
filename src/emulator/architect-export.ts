/**
 * Writes the YAML an Architect export gives for a stored flow (shared/reference/architect-export.md):
 * Architect keeps the flow as data and writes the export afresh, so the uploaded text (comments,
 * refIds, key order, quoting) does not survive, and defaults the file never wrote appear. Pure.
 */
import type { PathSegment } from '../check/locate.js';
import { REFERENCE_KEYS, isObject } from '../check/walk.js';
import {
  defaultsFor,
  fillDefaults,
  orderKeys,
  setOwn,
  type DefaultScope,
  type ExportRevision,
} from './export-defaults.js';
import {
  absoluteReference,
  ACTION_LISTS,
  asItem,
  CONTAINER_LISTS,
  defaultName,
  exportRefId,
  flowKeyOf,
  itemName,
  pathKey,
  referenceTargets,
} from './export-items.js';
import { toExportYaml } from './export-yaml.js';
import { assignTracking, type Tracking } from './tracking.js';

/** Section 2, "order": the flow's keys; keys not listed follow the settings, before the containers. */
const FLOW_KEY_ORDER = [
  'name',
  'description',
  'division',
  'startUpRef',
  'defaultLanguage',
  'supportedLanguages',
  'initialGreeting',
  'variables',
  'settingsCommonModule',
  'settingsInQueueCall',
  'settingsOutboundCall',
  'settingsActionDefaults',
  'settingsErrorHandling',
  'settingsMenu',
  'settingsPrompts',
  'settingsSpeechRec',
  'settingsBotFlow',
  'settingsUserInput',
  'settingsKnowledge',
];
/** Last, in this order (the bot blueprint writes its language model after `bots`). */
const FLOW_KEYS_LAST = [
  'startUpTaskActions',
  'menus',
  'tasks',
  'states',
  'bots',
  'settingsNaturalLanguageUnderstanding',
];
/**
 * Inside items (choice, in the order the blueprint exports show): name, refId, these keys, the
 * others alphabetically, then ITEM_KEYS_LAST.
 */
const ITEM_KEYS_FIRST = [
  'name',
  'refId',
  'description',
  'audio',
  'settingsMenu',
  'settingsSpeechRec',
  'dtmf',
  'globalDtmf',
  'globalSpeechRecTerms',
  'targetQueue',
  'destination',
  'targetFlow',
  'preTransferAudio',
  'failureTransferAudio',
  'priority',
  'preferredAgents',
  'languageSkill',
  'directAgent',
  'inServiceSchedules',
  'evaluate',
  'scheduleGroup',
  'emergencyGroup',
  'processingPrompt',
  'category',
  'condition',
  'variable',
  'initialValue',
  'isInput',
  'isOutput',
];
const ITEM_KEYS_LAST = ['failureOutputs', 'task', 'speechRecTerms', 'choices', 'actions', 'outputs'];
/** Section 2, "division": by name; a flow without one is in Home. */
const HOME_DIVISION = 'Home';

interface Context {
  flowKey: string;
  revision: ExportRevision;
  /** Item path -> the refId the export gives it. */
  refIds: Map<string, string>;
  /** Reference property path -> the absolute reference it becomes. */
  references: Map<string, string>;
}

/**
 * The export of `document` (a stored flow, `{inboundCall: {...}}`) with the tracking numbers of its
 * version (missing ones are numbered as a first version would be), as Architect revision `revision`
 * writes it. A document that names no known flow type is written as it is.
 */
export function writeArchitectExport(
  document: Record<string, unknown>,
  tracking: Tracking | undefined,
  revision: ExportRevision,
): string {
  const flowKey = flowKeyOf(document);
  if (!flowKey) return toExportYaml(document);
  const context = contextOf(document, flowKey, tracking, revision);
  const body = transform(document[flowKey], [flowKey], context) as Record<string, unknown>;
  // Section 2: an empty description comes back as `""` or not at all; always writing it is the choice.
  if (body.description === undefined || body.description === null) body.description = '';
  if (body.division === undefined || body.division === null || body.division === '') body.division = HOME_DIVISION;
  fillLanguages(body, flowKey, revision);
  fillDefaults(body, defaultsFor('flow', flowKey, revision));
  return toExportYaml({ [flowKey]: orderFlowKeys(body) });
}

function contextOf(
  document: Record<string, unknown>,
  flowKey: string,
  tracking: Tracking | undefined,
  revision: ExportRevision,
): Context {
  // Resolved once: tracking numbers referenced items too, and every reference is written again.
  const targets = referenceTargets(document, flowKey);
  const { numbers, keys } = assignTracking(document, tracking, undefined, targets);
  const refIds = new Map<string, string>();
  for (const [itemPath, key] of keys) {
    const path = JSON.parse(itemPath) as PathSegment[];
    const kind = String(path[path.length - 1]);
    refIds.set(itemPath, exportRefId(itemName(kind, bodyAt(document, path)), numbers[key]!));
  }
  const references = new Map<string, string>();
  for (const [use, target] of targets.targets) {
    const absolute = absoluteReference(target, (itemPath) => refIds.get(pathKey(itemPath)));
    if (absolute !== undefined) references.set(use, absolute);
  }
  return { flowKey, revision, refIds, references };
}

function bodyAt(document: Record<string, unknown>, path: readonly PathSegment[]): unknown {
  let node: unknown = document;
  for (const seg of path)
    node = Array.isArray(node) ? node[seg as number] : isObject(node) ? node[seg as string] : undefined;
  return node;
}

/** A copy of `node` written as the export writes it; `path` is the node's path in the stored document. */
function transform(node: unknown, path: PathSegment[], context: Context): unknown {
  if (Array.isArray(node)) {
    const listKey = path[path.length - 1];
    const out = node.map((entry, index) => transformEntry(entry, [...path, index], listKey, context));
    return listKey === 'variables' ? sortByName(out) : out;
  }
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const isReference =
      (REFERENCE_KEYS as readonly string[]).includes(key) && (typeof value === 'string' || typeof value === 'number');
    setOwn(
      out,
      key,
      isReference
        ? (context.references.get(pathKey([...path, key])) ?? value)
        : transform(value, [...path, key], context),
    );
  }
  return out;
}

/** One list entry; an item (`- kind: {...}`) gets its name, refId, defaults and key order. */
function transformEntry(
  entry: unknown,
  path: PathSegment[],
  listKey: PathSegment | undefined,
  context: Context,
): unknown {
  const item = asItem(entry, listKey);
  if (!item || typeof listKey !== 'string') return transform(entry, path, context);
  const itemPath = [...path, item.kind];
  let body = transform(item.body ?? {}, itemPath, context) as Record<string, unknown>;
  const named = ACTION_LISTS.has(listKey) || CONTAINER_LISTS[listKey] === item.kind;
  // `- disconnect: {none: true}` (one sample): an empty action, written with its name only (choice).
  if (named && Object.keys(body).length === 1 && body.none === true) body = {};
  // Section 1: refIds are not stored; the export writes its own, on containers and reference targets only.
  delete body.refId;
  if (named && (body.name === undefined || body.name === null || body.name === '')) body.name = defaultName(item.kind);
  const refId = context.refIds.get(pathKey(itemPath));
  if (refId !== undefined) body.refId = refId;
  for (const scope of scopesOf(listKey, item.kind))
    fillDefaults(body, defaultsFor(scope, context.flowKey, context.revision));
  return { [item.kind]: orderItemKeys(body) };
}

function scopesOf(listKey: string, kind: string): DefaultScope[] {
  const scopes: DefaultScope[] = [];
  if (listKey === 'menus' && kind === 'menu') scopes.push('menu');
  if (listKey === 'choices') scopes.push('choice');
  if (kind === 'transferToAcd' || kind === 'menuTransferToAcd') scopes.push('transfer');
  if (listKey === 'variables') scopes.push('variable');
  return scopes;
}

/** Section 2: "variable lists sorted by name ignoring case" (stable for equal names). */
function sortByName(list: unknown[]): unknown[] {
  const nameOf = (entry: unknown): string => {
    const body = isObject(entry) ? Object.values(entry)[0] : undefined;
    return isObject(body) && body.name !== undefined && body.name !== null ? String(body.name).toLowerCase() : '';
  };
  return [...list].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
}

/** Section 3: every language carries `defaultLanguageSkill` (in the flow types the table names). */
function fillLanguages(body: Record<string, unknown>, flowKey: string, revision: ExportRevision): void {
  const defaults = defaultsFor('language', flowKey, revision);
  const languages = body.supportedLanguages;
  if (defaults.length === 0 || !isObject(languages)) return;
  for (const [language, settings] of Object.entries(languages)) {
    if (settings !== null && !isObject(settings)) continue;
    const filled = settings ?? {};
    fillDefaults(filled, defaults);
    languages[language] = filled;
  }
}

function orderFlowKeys(body: Record<string, unknown>): Record<string, unknown> {
  const ordered = orderKeys(body, FLOW_KEY_ORDER);
  const last = FLOW_KEYS_LAST.filter((key) => Object.hasOwn(ordered, key));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ordered)) if (!last.includes(key)) out[key] = value;
  for (const key of last) out[key] = ordered[key];
  return out;
}

function orderItemKeys(body: Record<string, unknown>): Record<string, unknown> {
  const rest = Object.keys(body)
    .filter((key) => !ITEM_KEYS_FIRST.includes(key) && !ITEM_KEYS_LAST.includes(key))
    .sort((a, b) => compareKeys(a, b));
  return orderKeys(body, [...ITEM_KEYS_FIRST, ...rest, ...ITEM_KEYS_LAST]);
}

/** Alphabetical ignoring case, then by code unit: the same order on every machine. */
function compareKeys(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
