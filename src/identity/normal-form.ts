/**
 * The normal form both sides of a comparison are brought to, when identity cannot decide
 * (own-version.ts): a file and the export Architect writes of it again are equal here, while a
 * person's edit stays exactly what they changed. Pure. What Architect changes on the way, from
 * shared/reference/architect-export.md:
 * - refIds are regenerated and references made absolute (§2): every reference is replaced by what it
 *   points at (`menu "Main Menu"`), and refIds are dropped;
 * - unnamed actions and menu choices get a default name (§1, §2): filled in;
 * - settings blocks and filled-in keys are added with defaults (§2, §3, §4): filled in from the one
 *   table in architect-defaults.ts, where either side lacks them;
 * - variable lists are sorted by name ignoring case (§2), an empty description is none, a flow
 *   without a division is in Home, comments and formatting are gone (parsing drops them).
 * Lists Architect is not known to reorder (menus, tasks, actions, menu choices) keep their order.
 */
import type { PathSegment } from '../check/locate.js';
import { resolveReference } from '../check/resolve-reference.js';
import { collectFacts, isObject } from '../check/walk.js';
import {
  CHOICE_ITEM_DEFAULTS,
  DEFAULT_DIVISION,
  defaultItemName,
  FLOW_SETTINGS,
  ITEM_DEFAULTS,
  LANGUAGE_DEFAULTS,
  MENU_SETTINGS,
  VARIABLE_DEFAULTS,
} from './architect-defaults.js';
import { canonicalize, hashDocument } from './canonical-form.js';

/**
 * Bump whenever normalForm gives another result for some document: normal hashes are kept between
 * runs (the live-hash cache), and must not be compared across revisions.
 */
export const NORMAL_FORM_REVISION = 1;

const NAMED_LISTS = new Set(['actions', 'startUpTaskActions', 'choices']);
/** A default that is one value (a wrapper or a one-of), filled whole or not at all. */
const VALUE_KEYS = ['lit', 'exp', 'noValue', 'tts', 'prompt', 'none', 'var'];
const ONE_OF_KEYS = new Set(['errorHandling', 'preHandlingAudio', 'holdMusic']);

/** The normal form of a flow document (desired, or parsed from an export). */
export function normalForm(document: Record<string, unknown>): Record<string, unknown> {
  const data = structuredClone(document);
  const flowKey = Object.keys(data)[0];
  const body = flowKey === undefined ? undefined : data[flowKey];
  if (flowKey === undefined || !isObject(body)) return canonicalize(data);
  replaceReferences(data, flowKey);
  normalizeNode(body, undefined);
  fillDefaults(body, FLOW_SETTINGS[flowKey] ?? {});
  if (isObject(body.supportedLanguages)) {
    for (const language of Object.values(body.supportedLanguages))
      if (isObject(language) && language.none !== true) fillDefaults(language, LANGUAGE_DEFAULTS);
  }
  if (body.division === undefined || body.division === null || body.division === '') body.division = DEFAULT_DIVISION;
  return canonicalize(data);
}

/**
 * sha256 of the normal form: equal for a file and its export, different for any edit (of a form
 * already worked out: hashDocument).
 */
export function normalHash(document: Record<string, unknown>): string {
  return hashDocument(normalForm(document));
}

/**
 * Every internal reference becomes what it points at: the target's kind and name when that pair is
 * unique in the flow, else its kind and place. A reference that does not resolve (external, broken)
 * stays as written.
 */
function replaceReferences(data: Record<string, unknown>, flowKey: string): void {
  const facts = collectFacts(data, flowKey);
  const names = new Map<string, number>();
  for (const decl of facts.refIds) {
    const label = targetLabel(data, decl.path, decl.kind);
    names.set(label, (names.get(label) ?? 0) + 1);
  }
  const replacements: Array<[PathSegment[], string]> = [];
  for (const use of facts.references) {
    if (use.value.includes('#')) continue;
    const target = resolveReference(data, flowKey, use, facts);
    if (!target.ok) continue;
    const label = targetLabel(data, target.path, target.kind);
    replacements.push([use.path, (names.get(label) ?? 0) > 1 ? `${target.kind} at /${target.path.join('/')}` : label]);
  }
  for (const [path, value] of replacements) setAt(data, path, value);
}

function targetLabel(data: unknown, path: readonly PathSegment[], kind: string): string {
  const name = (getAt(data, path) as Record<string, unknown> | undefined)?.name;
  return typeof name === 'string' || typeof name === 'number'
    ? `${kind} "${String(name)}"`
    : `${kind} at /${path.join('/')}`;
}

/** Drops refIds, names unnamed items, fills items' defaults and sorts variables, everywhere below. */
function normalizeNode(node: unknown, listKey: string | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      const entries = isObject(item) ? Object.entries(item) : [];
      if (entries.length === 1 && isObject(entries[0]![1])) normalizeItem(entries[0]![0], entries[0]![1], listKey);
      else normalizeNode(item, undefined);
    }
    if (listKey === 'variables') node.sort((a, b) => compareNames(itemName(a), itemName(b)));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) normalizeNode(value, key);
}

function normalizeItem(kind: string, body: Record<string, unknown>, listKey: string | undefined): void {
  delete body.refId;
  if (
    listKey !== undefined &&
    NAMED_LISTS.has(listKey) &&
    (body.name === undefined || body.name === null || body.name === '')
  )
    body.name = defaultItemName(kind);
  const defaults = ITEM_DEFAULTS[kind];
  if (defaults) fillDefaults(body, defaults);
  if (listKey === 'choices') fillDefaults(body, CHOICE_ITEM_DEFAULTS);
  if (listKey === 'variables') fillDefaults(body, VARIABLE_DEFAULTS);
  if (listKey === 'menus' && kind === 'menu') fillDefaults(body, MENU_SETTINGS);
  normalizeNode(body, undefined);
}

/** Adds what `defaults` has and `target` lacks, going into blocks but never into one value. */
function fillDefaults(target: Record<string, unknown>, defaults: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(defaults)) {
    const current = target[key];
    if (current === undefined || current === null) target[key] = structuredClone(value);
    else if (isObject(current) && isObject(value) && !isOneValue(key, value)) fillDefaults(current, value);
  }
}

function isOneValue(key: string, value: Record<string, unknown>): boolean {
  return ONE_OF_KEYS.has(key) || VALUE_KEYS.some((k) => k in value);
}

function itemName(item: unknown): string {
  const body = isObject(item) ? Object.values(item)[0] : undefined;
  const name = isObject(body) ? body.name : undefined;
  return typeof name === 'string' ? name : '';
}

function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function getAt(data: unknown, path: readonly PathSegment[]): unknown {
  let node = data;
  for (const seg of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

function setAt(data: unknown, path: readonly PathSegment[], value: unknown): void {
  const parent = getAt(data, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object')
    (parent as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}
