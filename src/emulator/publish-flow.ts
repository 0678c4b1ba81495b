/**
 * What Archy does with one uploaded flow file, in the org: validate it (flowops' own validator in
 * src/spec, since Archy validates at publish), check its module dependencies against the modules
 * published in the org, respect locks, then create or update the flow and publish a new version that
 * keeps the flow as the validator parsed it (Architect keeps data, not the file: exports are written
 * from it by architect-export.ts). Used by Architect jobs and by `--seed DIR`.
 */
import {
  checkFile,
  checkFlowSources,
  desiredDocument,
  type DesiredFlow,
  type FileCheckRecord,
} from '../check/index.js';
import {
  addVersion,
  COMMON_MODULE,
  createFlow,
  divisionIdFor,
  findByTypeName,
  publish,
  publishedFlowNames,
  publishedModuleNames,
  releaseLock,
} from './org.js';
import type { OrgCatalog } from './org-catalog.js';
import { missingObjectMessages } from './object-check.js';
import type { EmulatorState, StoredFlow } from './state-store.js';

export type PublishOutcome =
  | { ok: true; flow: StoredFlow; created: boolean; version: string }
  | { ok: false; messages: string[] };

/** Messages name no file, only `line:col`. */
const UPLOAD = 'upload.yaml';

/** An uploaded file's own checks: what needs nothing of the org (done by a job's worker thread). */
export function checkJobFile(text: string): FileCheckRecord {
  return checkFile({ path: UPLOAD, text });
}

/**
 * Checks one uploaded file against the org as it is now (`own`: checkJobFile's answer, when worked
 * out already); error diagnostics become `line:col: message` lines.
 */
export function checkUpload(
  state: EmulatorState,
  text: string,
  own?: FileCheckRecord,
): { flow?: DesiredFlow; messages: string[] } {
  const result = checkFlowSources(
    [{ path: UPLOAD, text }],
    { externalModules: publishedModuleNames(state), externalFlows: publishedFlowNames(state) },
    [own],
  );
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const messages = errors.map((d) => `${d.line}:${d.col}: ${d.message}`);
  if (errors.some((d) => d.code === 'unknown-module')) {
    messages.unshift(
      'The flow cannot be published due to missing dependencies: it calls common modules that are not published in this org.',
    );
  } else if (errors.some((d) => d.code === 'unknown-flow')) {
    messages.unshift(
      'The flow cannot be published due to missing dependencies: it names flows that are not published in this org.',
    );
  }
  const flow = result.flows[0];
  if (errors.length === 0 && !flow) messages.push('1:1: the file holds no flow');
  return errors.length === 0 && flow ? { flow, messages: [] } : { messages };
}

/** Genesys' org-level rules that the file alone cannot show: the called modules allow this flow type. */
export function checkModuleCompatibility(state: EmulatorState, flow: DesiredFlow): string[] {
  const messages: string[] = [];
  for (const name of flow.calls) {
    const module = findByTypeName(state, COMMON_MODULE, name);
    const allowed = module?.compatibleFlowTypes;
    if (allowed && allowed.length > 0 && !allowed.includes(flow.type)) {
      messages.push(
        `Common module "${module.name}" does not allow ${flow.type} flows to call it (compatibleFlowTypes: ${allowed.join(', ')}).`,
      );
    }
  }
  return messages;
}

export function lockMessage(flow: StoredFlow): string {
  return (
    `The flow "${flow.name}" (${flow.type}) is locked by another entity: client "${flow.lockedBy ?? ''}". ` +
    'You can use the --forceUnlock command line parameter if you wish to publish flows locked by another entity.'
  );
}

/**
 * Creates or updates `desired` and publishes a new version holding its document. With `catalog` (the
 * emulator models the org's objects), every object the flow names must exist (object-check.ts).
 */
export function publishDesired(
  state: EmulatorState,
  desired: DesiredFlow,
  clientId: string,
  now: number,
  catalog?: OrgCatalog,
): PublishOutcome {
  const incompatible = checkModuleCompatibility(state, desired);
  if (incompatible.length > 0) return { ok: false, messages: incompatible };
  if (catalog) {
    const missing = missingObjectMessages(state, catalog, desiredDocument(desired), desired.text);
    if (missing.length > 0) return { ok: false, messages: missing };
  }
  let flow = findByTypeName(state, desired.type, desired.name);
  if (flow?.lockedBy !== undefined && flow.lockedBy !== clientId) return { ok: false, messages: [lockMessage(flow)] };
  const created = !flow;
  if (!flow) {
    const input = { name: desired.name, type: desired.type };
    flow = createFlow(state, desired.division ? { ...input, divisionName: desired.division } : input, now);
  }
  flow.name = desired.name;
  if (desired.division) {
    flow.divisionName = desired.division;
    flow.divisionId = divisionIdFor(desired.division);
  }
  if (desired.description !== undefined) flow.description = desired.description;
  else delete flow.description;
  const compatible = compatibleFlowTypes(desired);
  if (compatible) flow.compatibleFlowTypes = compatible;
  else delete flow.compatibleFlowTypes;
  // Publishing checks the flow in: a draft of the caller's own is superseded, the lock released.
  delete flow.draft;
  releaseLock(flow);
  const version = addVersion(
    flow,
    { type: 'PUBLISH', document: desiredDocument(desired), calls: desired.calls, clientId },
    now,
  );
  publish(flow, version, now);
  // An IVR of the objects file waiting for this flow routes to it now.
  if (created) catalog?.resolveIvrs(state);
  return { ok: true, flow, created, version: version.id };
}

function compatibleFlowTypes(desired: DesiredFlow): string[] | undefined {
  if (desired.type !== COMMON_MODULE) return undefined;
  const body = desiredDocument(desired)[desired.key] as Record<string, unknown> | undefined;
  const settings = body?.settingsCommonModule as Record<string, unknown> | undefined;
  const list = settings?.compatibleFlowTypes;
  if (!Array.isArray(list)) return undefined;
  return list
    .map((item: unknown) =>
      item && typeof item === 'object' ? String((item as Record<string, unknown>).flowType ?? '') : '',
    )
    .map((t) => t.toLowerCase())
    .filter((t) => t !== '');
}
