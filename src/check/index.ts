/**
 * The check of a repository's flow files: checkFlowSources, the one entry point, and checkFile and
 * fileCheckKey, the piece of it a cache or another thread works out per file. Pure and synchronous:
 * reading the files, keeping answers between runs and sharing the work between threads are
 * workspace/'s (test/architecture/purity.test.ts keeps it so).
 */
import { apiTypeForKey, COMMON_MODULE_TYPE } from './flow-types.js';
import { buildGraph } from './graph.js';
import { parseDocument, type Document } from 'yaml';
import { locate, type PathSegment } from './locate.js';
import { blockLocator } from './locate-block.js';
import type { FoundReference } from './object-references.js';
import { createHash } from 'node:crypto';
import { loadPlainYaml } from './fast-yaml.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  desiredDocument,
  keepDocument,
  parseFlowSource,
  YAML_OPTIONS,
  type ParsedFile,
} from './parse.js';
import { checkReferences } from './references.js';
import { checkSchema, schemaFingerprint } from './schema-check.js';
import { SourceFile } from './source.js';
import { secretPlacesOf } from './secret-places.js';
import { substitute } from './substitute.js';
import { flowId, flowKey, idOf, keyOf } from '../identity/flow-key.js';
import type {
  CheckOptions,
  DocumentHash,
  FlowIdentity,
  FileCheckRecord,
  CheckResult,
  DesiredFlow,
  Diagnostic,
  FlowSource,
  ObjectReference,
} from './types.js';
import type { ModuleCall } from './walk.js';
import { isObject } from './walk.js';

export * from './types.js';
export { apiTypeForKey, keyForApiType, FLOW_KEYS, COMMON_MODULE_TYPE } from './flow-types.js';
export { describePath } from './describe-path.js';
export { desiredDocument } from './parse.js';
export { OBJECT_REFERENCE_TABLE } from './object-references.js';

/** Bump when what checkFile reports changes, so answers kept from an older flowops are not reused. */
const FILE_CHECK_REVISION = 8;

/**
 * What the checks across files need of one file. The YAML Document (with every node's range) is
 * not kept: on a thousand large flows, holding them all at once costs more in garbage collection
 * than parsing them did, and most files are read without one (check/fast-yaml.ts). A position the
 * checks across files need (a duplicate flow, an unknown module) is found by reading the text again.
 */
interface Loaded {
  file: { source: SourceFile; key: string };
  flow: DesiredFlow;
  calls: ModuleCall[];
  /** FileCheckRecord's `compatibleFlowTypes` (undefined: not known, read the document). */
  compatibleFlowTypes: string[] | null | undefined;
  /** The offset of the node at `path` in the substituted text. */
  offsetOf(path: readonly PathSegment[], atKey?: boolean): number;
}

/**
 * Validates a set of flow files together, like a compiler: each file on its own (checkFile:
 * substitution, YAML, schema, internal references), then across files (duplicate flows, common
 * module calls), and builds the module -> callers graph. Pure: the caller reads the files.
 *
 * `fileChecks`: each source's checkFile answer (same index), when the caller has it already (a cache,
 * other threads); a source without one is checked here. How those answers are kept and shared out is
 * the caller's business (workspace/check-cache.ts, workspace/check-in-worker.ts): the result is the
 * same either way.
 */
export function checkFlowSources(
  sources: readonly FlowSource[],
  options: CheckOptions = {},
  fileChecks: ReadonlyArray<FileCheckRecord | undefined> = [],
): CheckResult {
  const diagnostics: Diagnostic[][] = [];
  const loaded: Loaded[] = [];
  sources.forEach((input, i) => {
    const parseOptions = parseOptionsOf(options, input.path);
    const record = fileChecks[i] ?? checkOneFile(input, parseOptions, options.documentHash);
    // The texts are worked out when first asked for: a file the cache answered is not even read
    // unless a position in it or its content is needed (a plan of unchanged flows needs neither).
    const source = new SourceFile(
      input.path,
      () => input.text,
      () =>
        record.text ??
        (record.replacements.length ? substitute(input.text, parseOptions.substitutions).text : input.text),
      record.replacements,
    );
    source.diagnostics.push(...record.diagnostics);
    diagnostics.push(source.diagnostics);
    const flow = record.flow && desiredFlowOf(input.path, record.flow, () => source.text);
    if (flow && record.flow) {
      let doc: Document.Parsed | undefined;
      const offsetOf = (path: readonly PathSegment[], atKey = false): number =>
        locate((doc ??= parseDocument(source.text, YAML_OPTIONS)), path, atKey);
      loaded.push({
        file: { source, key: record.flow.key },
        flow,
        calls: record.flow.calls,
        compatibleFlowTypes: record.flow.compatibleFlowTypes,
        offsetOf,
      });
    }
  });
  checkAcrossFiles(loaded, options.externalModules ?? []);
  checkCalledFlows(loaded, options.externalFlows ?? []);
  const idByKey = new Map(loaded.map((l) => [keyOf(l.flow), idOf(l.flow)]));
  const edges = loaded.map((l) => [idOf(l.flow), dependencyIds(l, idByKey)] as const);
  const { graph, cycles } = buildGraph(
    loaded.map((l) => idOf(l.flow)),
    Object.fromEntries(edges.map(([id, deps]) => [id, deps.required])),
    Object.fromEntries(edges.map(([id, deps]) => [id, deps.ordersOnly])),
  );
  for (const cycle of cycles) {
    const first = loaded.find((l) => flowId(l.flow.type, l.flow.name) === cycle[0]);
    first?.file.source.add(
      'error',
      'dependency-cycle',
      `dependency cycle: ${cycle.join(' -> ')}`,
      first.offsetOf(namePath(first)),
    );
  }
  return { flows: loaded.map((l) => l.flow), diagnostics: diagnostics.flat().sort(byPosition), graph };
}

/**
 * Everything one file says on its own (nothing across files): a pure function of its text and the
 * options, plain JSON, so it can be kept between runs (under fileCheckKey) or worked out on another
 * thread and handed to checkFlowSources.
 */
export function checkFile(input: FlowSource, options: CheckOptions = {}): FileCheckRecord {
  return checkOneFile(input, parseOptionsOf(options, input.path), options.documentHash);
}

/**
 * What checkFile's answer depends on, as a key: the file's path and text, the options, and what the
 * checks themselves are made of (this code's revision and the flow schema), so a new flowops never
 * trusts an old answer.
 */
export function fileCheckKey(input: FlowSource, options: CheckOptions = {}): string {
  return keyOfFileCheck(input, parseOptionsOf(options, input.path), options.documentHash);
}

/**
 * The options one file is read with: its own substitutions when `files` entries give it some, else
 * the environment's. They are all of the cache key's options, so a changed value of the file's
 * checks it again.
 */
function parseOptionsOf(options: CheckOptions, path: string): Parameters<typeof parseFlowSource>[1] {
  const own = options.files && Object.hasOwn(options.files, path) ? options.files[path] : undefined;
  return {
    substitutions: own?.values ?? options.substitutions ?? {},
    environment: options.environment ?? 'default',
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    secretKeys: [...(own?.secretKeys ?? options.secretKeys ?? [])].sort(),
  };
}

/**
 * A quick guess at the flow a file describes (its type and name), from two lines of its substituted
 * text, without checking it: lets a caller start reading the org while the files are checked. The
 * check decides; a wrong guess or none costs only a few more requests. Pure.
 */
export function guessFlowIdentity(
  text: string,
  substitutions: CheckOptions['substitutions'] = {},
): { type: string; name: string } | undefined {
  const sub = substitute(text, substitutions).text;
  const top = /^([A-Za-z]+):[ \t]*(?:#.*)?$/m.exec(sub);
  const type = top ? apiTypeForKey(top[1]!) : undefined;
  if (!top || !type) return undefined;
  const line = /^[ \t]+name:[ \t]+(\S.*)$/m.exec(sub.slice(top.index + top[0].length));
  const value = line ? loadPlainYaml(`v: ${line[1]}`)?.data : undefined;
  const name = value && typeof value === 'object' ? (value as Record<string, unknown>).v : undefined;
  return typeof name === 'string' || typeof name === 'number' || typeof name === 'boolean'
    ? { type, name: String(name) }
    : undefined;
}

function checkOneFile(
  input: FlowSource,
  parseOptions: Parameters<typeof parseFlowSource>[1],
  documentHash: DocumentHash | undefined,
): FileCheckRecord {
  const { source, parsed } = parseFlowSource(input, parseOptions);
  // The text is kept only where substitution changed it (a cache entry is then half the size).
  const text = source.text === input.text ? {} : { text: source.text };
  if (!parsed) return { diagnostics: source.diagnostics, ...text, replacements: [...source.replacementList] };
  checkSchema(parsed);
  const facts = checkReferences(parsed);
  const secretKeys = parseOptions.secretKeys ?? [];
  // The Document with positions is built only for a file where a secret substitution landed.
  const secretPlaces = source.replacementList.some((r) => secretKeys.includes(r.key))
    ? secretPlacesOf(parsed.doc, source.replacementList, secretKeys)
    : [];
  return {
    diagnostics: source.diagnostics,
    ...text,
    replacements: [...source.replacementList],
    flow: {
      key: parsed.key,
      data: parsed.data,
      calls: facts.moduleCalls,
      references: positioned(parsed, facts.objects),
      ...identityOf(parsed.key, parsed.data),
      ...(documentHash ? { hash: documentHash.of(parsed.data) } : {}),
      ...(secretPlaces.length ? { secretPlaces } : {}),
      ...(parsed.plain ? { plain: true } : {}),
      ...(apiTypeForKey(parsed.key) === COMMON_MODULE_TYPE
        ? { compatibleFlowTypes: compatibleTypes(parsed.data[parsed.key]) ?? null }
        : {}),
    },
  };
}

function keyOfFileCheck(
  input: FlowSource,
  parseOptions: Parameters<typeof parseFlowSource>[1],
  documentHash: DocumentHash | undefined,
): string {
  const context = JSON.stringify([
    FILE_CHECK_REVISION,
    schemaFingerprint(),
    documentHash?.id ?? null,
    input.path,
    parseOptions,
  ]);
  // A source read in full is told apart by its text (the same string: a reference compared), one read
  // when asked for by its text's hash.
  const content = input.textHash ?? input.text;
  const known = knownKeys.get(input);
  if (known && known.context === context && known.content === content) return known.key;
  const key = createHash('sha256')
    .update(context)
    .update(input.textHash ?? textHashOf(input.text))
    .digest('hex');
  knownKeys.set(input, { context, content, key });
  return key;
}

/** The hash of a file's text that FlowSource.textHash holds (and the check's cache key takes). */
export function textHashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keys worked out already, by source (a run asks for each file's key two or three times). */
const knownKeys = new WeakMap<FlowSource, { context: string; content: string; key: string }>();

/**
 * What a flow needs published before it, by the id of the repository's flow each names (names match
 * regardless of case, identity/flow-key.ts): the modules and bots it calls are required (Genesys
 * resolves them at publish; a cycle of these is an error); the flows it transfers to, or names as a
 * transfer's in-queue flow, only order the work (see buildGraph). A flow naming itself waits for
 * nothing.
 */
function dependencyIds(l: Loaded, idByKey: ReadonlyMap<string, string>): { required: string[]; ordersOnly: string[] } {
  const self = idOf(l.flow);
  const required = l.flow.calls.map(
    (m) => idByKey.get(flowKey(COMMON_MODULE_TYPE, m)) ?? flowId(COMMON_MODULE_TYPE, m),
  );
  const ordersOnly: string[] = [];
  for (const ref of l.flow.references) {
    const id = calleeId(ref, idByKey);
    if (!id || id === self) continue;
    (isCall(ref) ? required : ordersOnly).push(id);
  }
  return { required: [...new Set(required)], ordersOnly: [...new Set(ordersOnly)] };
}

/** A module or bot call (the flow runs it inside itself), not a transfer to a flow. */
function isCall(ref: ObjectReference): boolean {
  return ref.flowTypes?.every((t) => CALLED_FLOW_TYPES.has(t)) ?? false;
}
const CALLED_FLOW_TYPES = new Set([COMMON_MODULE_TYPE, 'bot', 'digitalbot']);

/** The id of the repository's flow a flow reference names, if one of its possible types has it. */
function calleeId(ref: ObjectReference, idByKey: ReadonlyMap<string, string>): string | undefined {
  if (ref.kind !== 'flow' || ref.name === undefined) return undefined;
  for (const type of ref.flowTypes ?? []) {
    const id = idByKey.get(flowKey(type, ref.name));
    if (id) return id;
  }
  return undefined;
}

/**
 * Where each object a flow names sits in the file as written. A text the fast reader took is plain
 * block YAML, where check/locate-block.ts finds a path from the lines; anything it is unsure of, and
 * every other text, is asked of the Document (built once, and only then).
 */
function positioned(parsed: ParsedFile, found: readonly FoundReference[]): ObjectReference[] {
  if (found.length === 0) return [];
  const block = parsed.plain ? blockLocator(parsed.source.text) : undefined;
  return found.map(({ atKey, ...ref }) => {
    const offset = block?.find(ref.path, atKey) ?? locate(parsed.doc, ref.path, atKey);
    const { line, col } = parsed.source.positionOf(offset);
    return { ...ref, line, column: col };
  });
}

/** The flow's identity, when its document names a flow of a known type. */
function identityOf(key: string, data: Record<string, unknown>): { identity?: FlowIdentity } {
  const body = data[key];
  const type = apiTypeForKey(key);
  if (!isObject(body) || !type) return {};
  const name = body.name;
  // The schema allows any scalar (a substitution may make it a number or a boolean).
  if (typeof name !== 'string' && typeof name !== 'number' && typeof name !== 'boolean') return {};
  const identity: FlowIdentity = { type, name: String(name) };
  if (typeof body.description === 'string' && body.description !== '') identity.description = body.description;
  if (typeof body.division === 'string' || typeof body.division === 'number') identity.division = String(body.division);
  return { identity };
}

/**
 * The desired flow of one file's checks, plain data. A record read from the cache has no document:
 * desiredDocument (parse.ts) reads it again from the text for a flow that needs it, and a plan that
 * finds a flow unchanged by its hash never does.
 */
function desiredFlowOf(
  path: string,
  record: NonNullable<FileCheckRecord['flow']>,
  text: () => string,
): DesiredFlow | undefined {
  if (!record.identity) return undefined;
  const flow = {
    path,
    key: record.key,
    ...record.identity,
    calls: [...new Set(record.calls.map((c) => c.module))],
    references: record.references ?? [],
  } as DesiredFlow;
  // The substituted text when first read: most desired flows' content is never looked at.
  Object.defineProperty(flow, 'text', { get: text, enumerable: true, configurable: true });
  if (record.data) keepDocument(flow, record.data);
  if (record.hash !== undefined) flow.hash = record.hash;
  if (record.secretPlaces?.length) flow.secretPlaces = record.secretPlaces;
  return flow;
}

function checkAcrossFiles(loaded: Loaded[], externalModules: readonly string[]): void {
  const byId = new Map<string, Loaded>();
  for (const l of loaded) {
    const id = flowKey(l.flow.type, l.flow.name);
    const first = byId.get(id);
    if (first) {
      const firstOffset = first.offsetOf(namePath(first));
      const at = first.file.source.positionOf(firstOffset);
      const offset = l.offsetOf(namePath(l));
      l.file.source.add(
        'error',
        'duplicate-flow',
        `${l.file.key} "${l.flow.name}"${placeholdersAt(l, offset)} is also defined in ${first.flow.path}:${at.line}:${at.col}${placeholdersAt(first, firstOffset)}`,
        offset,
      );
    } else byId.set(id, l);
  }
  const external = new Set(externalModules);
  // A module's compatibleFlowTypes, read once per module: reading it parses the module's document,
  // and a module has many callers.
  const compatibility = new Map<Loaded, readonly string[] | undefined>();
  const compatibleOf = (module: Loaded): readonly string[] | undefined => {
    if (!compatibility.has(module))
      compatibility.set(
        module,
        module.compatibleFlowTypes !== undefined
          ? (module.compatibleFlowTypes ?? undefined)
          : compatibleTypes(desiredDocument(module.flow)[module.file.key]),
      );
    return compatibility.get(module);
  };
  for (const l of loaded) {
    for (const call of l.calls) {
      const at = (): number => l.offsetOf(call.path, true);
      const action = call.actionName ? `callCommonModule "${call.actionName}"` : 'callCommonModule';
      if (l.flow.type === COMMON_MODULE_TYPE) {
        l.file.source.add(
          'error',
          'module-calls-module',
          `${action}: a common module cannot call another common module ("${call.module}")`,
          at(),
        );
        continue;
      }
      const module = byId.get(flowKey(COMMON_MODULE_TYPE, call.module));
      if (!module) {
        if (!external.has(call.module)) {
          l.file.source.add(
            'error',
            'unknown-module',
            `${action} calls unknown common module "${call.module}": no commonModule of that name among the flows${external.size ? ' or externalModules' : ''} (list modules kept elsewhere under externalModules in flowops.yaml)`,
            at(),
          );
        }
        continue;
      }
      const compatible = compatibleOf(module);
      if (compatible && !compatible.includes(l.flow.type)) {
        l.file.source.add(
          'error',
          'incompatible-module',
          `${action}: common module "${call.module}" does not allow ${l.flow.type} flows to call it (its compatibleFlowTypes: ${compatible.join(', ')})`,
          at(),
        );
      }
    }
  }
}

/** How an unknown callee is named in its error, by the flow types the reference may be. */
const CALLEE_KINDS: ReadonlyArray<[string, string]> = [
  ['bot', 'bot flow'],
  ['digitalbot', 'digital bot flow'],
  ['inqueuecall', 'in-queue flow'],
  ['securecall', 'secure call flow'],
];
/** The actions and settings that name another flow, for the error's wording. */
const CALLING_KEYS = [
  'callBotFlow',
  'callDigitalBotFlow',
  'transferToFlowSecure',
  'transferToFlow',
  'overrideInQueueFlow',
];

/**
 * The bots a flow calls, the flows it transfers to and the in-queue flows its transfers name must be
 * among the flows (of a type the reference allows) or listed under externalFlows, as a called module
 * must (checkAcrossFiles): Archy resolves them by name at publish and fails without them. Dynamic ones
 * are not checked.
 */
function checkCalledFlows(loaded: Loaded[], externalFlows: readonly string[]): void {
  const known = new Set(loaded.map((l) => keyOf(l.flow)));
  const external = new Set(externalFlows.map((n) => n.toLowerCase()));
  for (const l of loaded) {
    for (const ref of l.flow.references) {
      const types = ref.flowTypes ?? [];
      if (ref.kind !== 'flow' || ref.name === undefined || types.includes(COMMON_MODULE_TYPE)) continue;
      if (types.some((t) => known.has(flowKey(t, ref.name!))) || external.has(ref.name.toLowerCase())) continue;
      const what = CALLEE_KINDS.find(([type]) => types.includes(type))?.[1] ?? 'flow';
      const action =
        [...ref.path].reverse().find((seg) => typeof seg === 'string' && CALLING_KEYS.includes(seg)) ?? 'flow';
      l.file.source.addAtPosition(
        'error',
        'unknown-flow',
        `${action} names unknown ${what} "${ref.name}": no ${types.join('/')} flow of that name among the flows${external.size ? ' or externalFlows' : ''} (list flows kept elsewhere under externalFlows in flowops.yaml)`,
        ref,
      );
    }
  }
}

/** The flow types a module lets call it (settingsCommonModule.compatibleFlowTypes), if it says. */
function compatibleTypes(body: unknown): string[] | undefined {
  if (!isObject(body) || !isObject(body.settingsCommonModule)) return undefined;
  const list = body.settingsCommonModule.compatibleFlowTypes;
  if (!Array.isArray(list)) return undefined;
  return list.map((item) => (isObject(item) ? String(item.flowType ?? '').toLowerCase() : '')).filter(Boolean);
}

/**
 * ` (from {{key}})` when the value at `offset` (a flow's name) came from placeholders, for messages
 * about it: files that share `name: {{flow_name}}` collide when their values do, and the value is
 * set in flowops.yaml, not where the error points. The value's line is enough: a name is one line.
 */
function placeholdersAt(l: Loaded, offset: number): string {
  const eol = l.flow.text.indexOf('\n', offset);
  const end = eol < 0 ? l.flow.text.length : eol;
  const keys = l.file.source.replacementList.filter((r) => r.newStart >= offset && r.newStart < end).map((r) => r.key);
  return keys.length ? ` (from ${[...new Set(keys)].map((k) => `{{${k}}}`).join(', ')})` : '';
}

function namePath(l: Loaded): PathSegment[] {
  return [l.file.key, 'name'];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file === b.file ? a.line - b.line || a.col - b.col : 0;
}
