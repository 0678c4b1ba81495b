/**
 * The org objects a flow names (queues, prompts, data actions, other flows...): the one table of
 * where each kind sits in Archy YAML (with the real file each place was seen in), and the collector
 * that check/walk.ts calls for every key of the document during its single walk. Pure.
 *
 * A name is taken only when it is written literally (`lit`, a map key, the string argument of a
 * `Find*` call); an expression without a literal is listed as dynamic (its text), never guessed.
 * Positions are worked out afterwards (check/index.ts), from the paths collected here.
 */
import type { OrgObjectKind } from './types.js';

type Path = Array<string | number>;

/** One object named, before its position is known. */
export interface FoundReference {
  kind: OrgObjectKind;
  name?: string;
  integration?: string;
  flowTypes?: string[];
  expression?: string;
  path: Path;
  /** The name is a map key: its position is the key's. */
  atKey?: boolean;
}

/** What a transfer may land on, by the action that transfers (Archy's transferToFlow targets flows of the caller's channel, and workflows). */
const TRANSFER_TARGETS = ['inboundcall', 'inboundemail', 'inboundshortmessage', 'inboundchat', 'workflow'];
const IN_QUEUE_FLOWS = ['inqueuecall', 'inqueueemail', 'inqueueshortmessage'];

/**
 * Where each kind of object is named, in one place: `where` is the path in Archy YAML (`<x>` a map
 * key that is the name, `*` any action), `source` the real file it was seen in
 * (shared/reference/org-references.md). The collector below implements exactly these rows.
 */
export const OBJECT_REFERENCE_TABLE: ReadonlyArray<{ kind: OrgObjectKind; where: string; source: string }> = [
  {
    kind: 'queue',
    where:
      '*.targetQueue.lit.name (transferToAcd, menuTransferToAcd, transferToVoicemail.destination.queue, settingsErrorHandling.errorHandling.queue), findQueue.findName.lit, FindQueue("...")',
    source: 'simple-ivr-deploy-with-cx-as-code-blueprint blueprint/SimpleFinancialIvr_v2-0.yaml',
  },
  {
    kind: 'prompt',
    where:
      'a value `Prompt.<name>` (audio.prompt, *.lit.name), `Prompt.<name>` or FindUserPrompt("...") in an expression',
    source: 'genesys-cloud-call-park terraform/modules/flows/in-queue-flow-orbit-park-hold/*.yaml',
  },
  {
    kind: 'systemPrompt',
    where:
      'a value `PromptSystem.<name>` (settingsInQueueCall.holdMusic.lit.name), `PromptSystem.<name>` or FindSystemPrompt("...") in an expression',
    source: 'automated-callback-blueprint files/automated-powershell-script/flows/Proactive callback offer.yaml',
  },
  {
    kind: 'dataAction',
    where: 'callData.category.<integration>.dataAction.<action>',
    source: 'set-emergency-group-lambda-blueprint blueprint/terraform/flows/main_flow.yaml',
  },
  {
    kind: 'dataTable',
    where: 'dataTableLookup.dataTable.<table>',
    source: 'ani-blacklist terraform/modules/flow/blacklist.yaml',
  },
  {
    kind: 'scheduleGroup',
    where: 'evaluateScheduleGroup.scheduleGroup.lit.name, FindScheduleGroup("...")',
    source: 'webmessaging-chatbot-that-differentiates-on-and-off-hour-schedules modules/flows/webmessage_flow.yaml',
  },
  {
    kind: 'schedule',
    where: '*.selectedSchedule.lit.name, FindSchedule("...")',
    source: 'webmessaging-chatbot-that-differentiates-on-and-off-hour-schedules modules/flows/webmessage_flow.yaml',
  },
  {
    kind: 'emergencyGroup',
    where: 'evaluateScheduleGroup.emergencyGroup.lit.name, FindEmergencyGroup("...")',
    source: 'dr-fallback-ivr blueprint/terraform-ivr/DR-Emergency-IVR.yaml',
  },
  {
    kind: 'language',
    where:
      '*.languageSkill.lit.name, supportedLanguages.<lang>.defaultLanguageSkill.lit.name, FindLanguageSkill("...")',
    source: 'exported inbound flows (merge-external-contact fixtures in shared/fixtures/)',
  },
  {
    kind: 'skill',
    where: 'transferToAcd.acdSkills[].lit.name, FindSkill("...")',
    source: 'shared/reference/org-references.md (skill lists)',
  },
  {
    kind: 'wrapupCode',
    where: '*.wrapupCode.lit.name (settingsOutboundCall, setWrapupCode), FindWrapupCode("...")',
    source: 'terraform-provider-genesyscloud examples/resources/genesyscloud_flow/outboundcall_flow_example.yaml',
  },
  {
    kind: 'contactList',
    where: 'settingsOutboundCall.contactList.lit.name',
    source: 'terraform-provider-genesyscloud examples/resources/genesyscloud_flow/outboundcall_flow_example.yaml',
  },
  {
    kind: 'user',
    where: 'transferToUser.targetUser.lit(.name), FindUser("...")',
    source: 'shared/reference/org-references.md',
  },
  {
    kind: 'group',
    where: 'transferToGroup.targetGroup.lit(.name), FindGroup("...")',
    source: 'shared/reference/org-references.md',
  },
  {
    kind: 'flow',
    where:
      'callCommonModule.commonModule.<module>, callBotFlow.botFlow.<bot>, callDigitalBotFlow.botFlow.<bot>, transferToFlow(Secure).targetFlow.name, *.overrideInQueueFlow(.name)',
    source:
      'merge-external-contact fixtures in shared/fixtures/; automated-callback-blueprint files/automated-powershell-script/flows/*.yaml',
  },
  { kind: 'division', where: "the flow body's top-level division", source: 'most files' },
];

/** Keys holding a value wrapper (`{lit: {name}}`, `{lit: name}`, `{exp}`) that names an object of a kind. */
const WRAPPED: Readonly<Record<string, OrgObjectKind>> = {
  targetQueue: 'queue',
  scheduleGroup: 'scheduleGroup',
  emergencyGroup: 'emergencyGroup',
  selectedSchedule: 'schedule',
  languageSkill: 'language',
  defaultLanguageSkill: 'language',
  wrapupCode: 'wrapupCode',
  contactList: 'contactList',
  targetUser: 'user',
  targetGroup: 'group',
};

/** Find* actions (`findQueue: {findName: {lit: ...}}`) and the kind they look up. */
const FIND_ACTIONS: Readonly<Record<string, OrgObjectKind>> = {
  findQueue: 'queue',
  findSkill: 'skill',
  findLanguageSkill: 'language',
  findUser: 'user',
  findGroup: 'group',
  findScheduleGroup: 'scheduleGroup',
  findSchedule: 'schedule',
  findEmergencyGroup: 'emergencyGroup',
  findWrapupCode: 'wrapupCode',
};

/** Find* functions of Archy expressions whose argument is an object's name, by the kind they find. */
export const FIND_FUNCTIONS: Readonly<Record<string, OrgObjectKind>> = {
  FindQueue: 'queue',
  FindSkill: 'skill',
  FindLanguageSkill: 'language',
  FindUser: 'user',
  FindGroup: 'group',
  FindScheduleGroup: 'scheduleGroup',
  FindSchedule: 'schedule',
  FindEmergencyGroup: 'emergencyGroup',
  FindWrapupCode: 'wrapupCode',
  FindUserPrompt: 'prompt',
  FindSystemPrompt: 'systemPrompt',
};
// `Find<Kind>(` then a string literal (Archy's, double-quoted, `\"` inside) or anything else (dynamic).
const FIND_CALL = new RegExp(
  `\\b(${Object.keys(FIND_FUNCTIONS).join('|')})\\s*\\(\\s*(?:"((?:[^"\\\\]|\\\\.)*)"\\s*[,)]|([^,)]*))`,
  'g',
);
const PROMPT_TOKEN = /\b(PromptSystem|Prompt)\.([A-Za-z_][A-Za-z0-9_]*)/g;
const PROMPT_VALUE = /^(PromptSystem|Prompt)\.(\S(?:.*\S)?)$/;

/** Map keys that are flow names, by the action holding them and the flow types the callee may be. */
const CALLED_FLOWS: Readonly<Record<string, { key: string; flowTypes: string[] }>> = {
  callCommonModule: { key: 'commonModule', flowTypes: ['commonmodule'] },
  callBotFlow: { key: 'botFlow', flowTypes: ['bot'] },
  callDigitalBotFlow: { key: 'botFlow', flowTypes: ['digitalbot'] },
};

/**
 * The objects named by `key: value` of the mapping at `path` (whose last segment is the action or
 * setting holding it). Called by check/walk.ts for every key it passes: one map look-up for most.
 */
export function collectObjectReferences(key: string, value: unknown, path: Path, out: FoundReference[]): void {
  if (typeof value === 'string') {
    if (key === 'exp') scanExpression(value, [...path, key], out);
    else if (value.startsWith('Prompt')) promptValue(value, [...path, key], out);
    return;
  }
  const parent = path[path.length - 1];
  const wrapped = WRAPPED[key];
  if (wrapped && Object.hasOwn(WRAPPED, key)) {
    wrappedName(wrapped, value, [...path, key], out);
    return;
  }
  switch (key) {
    case 'findName': {
      const kind = typeof parent === 'string' && Object.hasOwn(FIND_ACTIONS, parent) ? FIND_ACTIONS[parent] : undefined;
      if (kind) wrappedName(kind, value, [...path, key], out);
      return;
    }
    case 'category':
      if (parent === 'callData' && isMapping(value)) dataActions(value, [...path, key], out);
      return;
    case 'dataTable':
      if (parent === 'dataTableLookup' && isMapping(value))
        for (const table of Object.keys(value))
          out.push({ kind: 'dataTable', name: table, path: [...path, key, table], atKey: true });
      return;
    case 'targetFlow':
      if (parent === 'transferToFlow' || parent === 'transferToFlowSecure') {
        const flowTypes = parent === 'transferToFlow' ? TRANSFER_TARGETS : ['securecall'];
        flowName(flowTypes, value, [...path, key], out);
      }
      return;
    case 'overrideInQueueFlow':
      flowName(IN_QUEUE_FLOWS, value, [...path, key], out);
      return;
    case 'acdSkills':
      if (Array.isArray(value)) value.forEach((item, i) => wrappedName('skill', item, [...path, key, i], out));
      return;
  }
  const called = typeof parent === 'string' && Object.hasOwn(CALLED_FLOWS, parent) ? CALLED_FLOWS[parent] : undefined;
  if (called && key === called.key && isMapping(value)) {
    for (const name of Object.keys(value))
      out.push({ kind: 'flow', name, flowTypes: called.flowTypes, path: [...path, key, name], atKey: true });
  }
}

/** The division a flow's body names (`division:` at its top), when it names one. */
export function divisionReference(body: unknown, rootKey: string): FoundReference | undefined {
  if (!isMapping(body)) return undefined;
  const division = body.division;
  if (typeof division !== 'string' && typeof division !== 'number') return undefined;
  return { kind: 'division', name: String(division), path: [rootKey, 'division'] };
}

function dataActions(category: Record<string, unknown>, path: Path, out: FoundReference[]): void {
  for (const [integration, body] of Object.entries(category)) {
    if (!isMapping(body) || !isMapping(body.dataAction)) continue;
    for (const name of Object.keys(body.dataAction))
      out.push({
        kind: 'dataAction',
        name,
        integration,
        path: [...path, integration, 'dataAction', name],
        atKey: true,
      });
  }
}

/** A flow named by `name: X`, by a value wrapper, or by the value itself. */
function flowName(flowTypes: string[], value: unknown, path: Path, out: FoundReference[]): void {
  if (isMapping(value) && !('lit' in value) && !('exp' in value)) {
    if (isName(value.name)) out.push({ kind: 'flow', name: String(value.name), flowTypes, path: [...path, 'name'] });
    return;
  }
  wrappedName('flow', value, path, out, flowTypes);
}

/**
 * A name in a value wrapper: `{lit: {name: X}}`, `{lit: X}` or the bare value; `{exp: ...}` is dynamic
 * unless it calls a Find function of this kind (scanExpression lists those, when the walk reaches it).
 */
function wrappedName(
  kind: OrgObjectKind,
  value: unknown,
  path: Path,
  out: FoundReference[],
  flowTypes?: string[],
): void {
  const types = flowTypes ? { flowTypes } : {};
  if (isName(value)) {
    out.push({ kind, name: String(value), ...types, path });
    return;
  }
  if (!isMapping(value)) return;
  const lit = value.lit;
  if (isName(lit)) out.push({ kind, name: String(lit), ...types, path: [...path, 'lit'] });
  else if (isMapping(lit) && isName(lit.name)) {
    // A prompt-valued name (`PromptSystem.x`) is a prompt, listed when the walk reaches it.
    if (typeof lit.name === 'string' && PROMPT_VALUE.test(lit.name)) return;
    out.push({ kind, name: String(lit.name), ...types, path: [...path, 'lit', 'name'] });
  } else if (typeof value.exp === 'string' && !callsFind(value.exp, kind))
    out.push({ kind, ...types, expression: value.exp, path: [...path, 'exp'] });
}

function callsFind(expression: string, kind: OrgObjectKind): boolean {
  if (!expression.includes('Find')) return false;
  for (const m of expression.matchAll(FIND_CALL)) if (FIND_FUNCTIONS[m[1]!] === kind) return true;
  return false;
}

/** `Find<Kind>("name")` calls (dynamic when the argument is not a literal) and `Prompt.<name>` tokens of an expression. */
function scanExpression(expression: string, path: Path, out: FoundReference[]): void {
  if (expression.includes('Find')) {
    for (const m of expression.matchAll(FIND_CALL)) {
      const kind = FIND_FUNCTIONS[m[1]!]!;
      if (m[2] !== undefined) out.push({ kind, name: m[2].replace(/\\(.)/g, '$1'), path });
      else out.push({ kind, expression, path });
    }
  }
  if (expression.includes('Prompt')) {
    for (const m of expression.matchAll(PROMPT_TOKEN))
      out.push({ kind: m[1] === 'Prompt' ? 'prompt' : 'systemPrompt', name: m[2]!, path });
  }
}

function promptValue(value: string, path: Path, out: FoundReference[]): void {
  const m = PROMPT_VALUE.exec(value);
  if (m) out.push({ kind: m[1] === 'Prompt' ? 'prompt' : 'systemPrompt', name: m[2]!, path });
}

function isName(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

// check/walk.ts has the same test; it imports this module, so this one cannot import it back.
function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
