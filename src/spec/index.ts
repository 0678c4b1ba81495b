import { apiTypeForKey, COMMON_MODULE_TYPE } from './flow-types.js';
import { buildGraph } from './graph.js';
import { locate } from './locate.js';
import { DEFAULT_MAX_FILE_BYTES, parseFlowSource, type ParsedFile } from './parse.js';
import { checkReferences } from './references.js';
import { checkSchema } from './schema-check.js';
import { flowId, type CheckOptions, type CheckResult, type DesiredFlow, type Diagnostic, type FlowSource } from './types.js';
import type { ModuleCall } from './walk.js';
import { isObject } from './walk.js';

export * from './types.js';
export { apiTypeForKey, keyForApiType, FLOW_KEYS, COMMON_MODULE_TYPE } from './flow-types.js';
export { describePath } from './describe-path.js';

interface Loaded {
  file: ParsedFile;
  flow: DesiredFlow;
  calls: ModuleCall[];
  botCalls: string[];
}

/**
 * Validates a set of flow files together, like a compiler: each file on its own (substitution,
 * YAML, schema, internal references), then across files (duplicate flows, common module calls),
 * and builds the module -> callers graph. Pure: the caller reads the files.
 */
export function checkFlowSources(sources: readonly FlowSource[], options: CheckOptions = {}): CheckResult {
  const parseOptions = {
    substitutions: options.substitutions ?? {},
    environment: options.environment ?? 'default',
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  const diagnostics: Diagnostic[][] = [];
  const loaded: Loaded[] = [];
  for (const input of sources) {
    const { source, parsed } = parseFlowSource(input, parseOptions);
    diagnostics.push(source.diagnostics);
    if (!parsed) continue;
    checkSchema(parsed);
    const facts = checkReferences(parsed);
    const flow = toDesiredFlow(parsed, facts.moduleCalls);
    if (flow) loaded.push({ file: parsed, flow, calls: facts.moduleCalls, botCalls: facts.botCalls });
  }
  checkAcrossFiles(loaded, options.externalModules ?? []);
  const { graph, cycles } = buildGraph(
    loaded.map((l) => flowId(l.flow.type, l.flow.name)),
    Object.fromEntries(loaded.map((l) => [flowId(l.flow.type, l.flow.name), dependencyIds(l)])),
  );
  for (const cycle of cycles) {
    const first = loaded.find((l) => flowId(l.flow.type, l.flow.name) === cycle[0]);
    first?.file.source.add('error', 'dependency-cycle', `dependency cycle: ${cycle.join(' -> ')}`, locate(first.file.doc, [first.file.key, 'name']));
  }
  return { flows: loaded.map((l) => l.flow), diagnostics: diagnostics.flat().sort(byPosition), graph };
}

/** What must be published before this flow: the modules it calls, and the bot flows it calls. */
function dependencyIds(l: Loaded): string[] {
  const ids = [...l.flow.calls.map((m) => flowId(COMMON_MODULE_TYPE, m)), ...l.botCalls.map((b) => flowId('bot', b))];
  return [...new Set(ids)];
}

function toDesiredFlow(file: ParsedFile, calls: ModuleCall[]): DesiredFlow | undefined {
  const body = file.data[file.key];
  const type = apiTypeForKey(file.key);
  if (!isObject(body) || !type) return undefined;
  const name = body.name;
  if (typeof name !== 'string' && typeof name !== 'number') return undefined;
  const flow: DesiredFlow = {
    path: file.source.path,
    key: file.key,
    type,
    name: String(name),
    document: file.data,
    text: file.source.text,
    calls: [...new Set(calls.map((c) => c.module))],
  };
  if (typeof body.description === 'string' && body.description !== '') flow.description = body.description;
  if (typeof body.division === 'string' || typeof body.division === 'number') flow.division = String(body.division);
  return flow;
}

function checkAcrossFiles(loaded: Loaded[], externalModules: readonly string[]): void {
  const byId = new Map<string, Loaded>();
  for (const l of loaded) {
    const id = flowId(l.flow.type, l.flow.name);
    const first = byId.get(id);
    if (first) {
      const at = first.file.source.positionOf(locate(first.file.doc, [first.file.key, 'name']));
      l.file.source.add('error', 'duplicate-flow', `${l.file.key} "${l.flow.name}" is also defined in ${first.flow.path}:${at.line}:${at.col}`, locate(l.file.doc, [l.file.key, 'name']));
    } else byId.set(id, l);
  }
  const external = new Set(externalModules);
  for (const l of loaded) {
    for (const call of l.calls) {
      const at = locate(l.file.doc, call.path, true);
      const action = call.actionName ? `callCommonModule "${call.actionName}"` : 'callCommonModule';
      if (l.flow.type === COMMON_MODULE_TYPE) {
        l.file.source.add('error', 'module-calls-module', `${action}: a common module cannot call another common module ("${call.module}")`, at);
        continue;
      }
      const module = byId.get(flowId(COMMON_MODULE_TYPE, call.module));
      if (!module) {
        if (!external.has(call.module)) {
          l.file.source.add('error', 'unknown-module', `${action} calls unknown common module "${call.module}": no commonModule of that name among the flows${external.size ? ' or externalModules' : ''} (list modules kept elsewhere under externalModules in flowops.yaml)`, at);
        }
        continue;
      }
      const compatible = compatibleTypes(module.flow.document[module.file.key]);
      if (compatible && !compatible.includes(l.flow.type)) {
        l.file.source.add('error', 'incompatible-module', `${action}: common module "${call.module}" does not allow ${l.flow.type} flows to call it (its compatibleFlowTypes: ${compatible.join(', ')})`, at);
      }
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

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file === b.file ? a.line - b.line || a.col - b.col : 0;
}

/**
 * Only the document of one file (substituted and parsed), for reading an older version of a flow
 * from git; undefined when it does not parse as a flow.
 */
export function parseFlowDocument(source: FlowSource, substitutions: CheckOptions['substitutions'] = {}): Record<string, unknown> | undefined {
  const { parsed } = parseFlowSource(source, { substitutions, environment: 'git', maxFileBytes: DEFAULT_MAX_FILE_BYTES });
  return parsed?.data;
}
