/**
 * The settings and keys an export writes wherever the stored flow has none: the ONE table of them,
 * each row with its source (shared/reference/architect-export.md, "§N"; a blueprint file of
 * /work/shared/fixtures/archy-blueprints; or "choice" where the reference has no fact). A key the
 * flow has keeps the flow's value in every revision; only missing keys are filled, leaf by leaf.
 */
import { FLOW_KEYS } from '../check/index.js';
import { isObject } from '../check/walk.js';

/** 1: as 2021-22 exports; 2: as 2023 and later ones (§4). */
export type ExportRevision = 1 | 2;
export const DEFAULT_EXPORT_REVISION: ExportRevision = 2;
export const EXPORT_REVISIONS: readonly ExportRevision[] = [1, 2];

/** Where a row applies: the flow's body, each supportedLanguages entry, each menu, choice, transfer or variable. */
export type DefaultScope = 'flow' | 'language' | 'menu' | 'choice' | 'transfer' | 'variable';

export interface DefaultRow {
  scope: DefaultScope;
  /** Flow keys (`inboundCall`, ...) the row applies to; '*' for all. */
  flows: readonly string[] | '*';
  /** Path below the scope's mapping. */
  path: readonly string[];
  value: unknown;
  /** Only in this revision (absent: in both). */
  revision?: ExportRevision;
  source: string;
}

const CALL = ['inboundCall', 'inqueueCall', 'outboundCall'];
const CALL_AND_MODULE = [...CALL, 'commonModule'];
const MESSAGING = ['inboundShortMessage', 'inboundChat', 'inboundEmail'];
const NO_VALUE = { noValue: true };
const seconds = (n: number) => ({ lit: { seconds: n } });

function rows(
  scope: DefaultScope,
  flows: readonly string[] | '*',
  source: string,
  entries: Array<[string, unknown, ExportRevision?]>,
): DefaultRow[] {
  return entries.map(([path, value, revision]) => ({
    scope,
    flows,
    path: path.split('.'),
    value,
    source,
    ...(revision ? { revision } : {}),
  }));
}

export const EXPORT_DEFAULTS: readonly DefaultRow[] = [
  // §3 for inboundCall; for inqueueCall and outboundCall a choice (§3's "inqueueCall adds" read as on
  // top of these).
  ...rows('flow', CALL, '§3 (inqueueCall, outboundCall: choice)', [
    ['settingsActionDefaults.playAudioOnSilence.timeout', seconds(40)],
    ['settingsActionDefaults.detectSilence.timeout', seconds(40)],
    ['settingsActionDefaults.callData.processingPrompt', NO_VALUE], // §3: varies (noValue or PromptSystem.processing); noValue is the choice
  ]),
  ...rows('flow', CALL, '§4, SimpleFinancialIvr_v2-0.yaml', [
    ['settingsActionDefaults.callBridge.processingPrompt', NO_VALUE, 1],
  ]),
  ...rows('flow', CALL, '§3 (inqueueCall, outboundCall: choice)', [
    ['settingsActionDefaults.collectInput.noEntryTimeout', seconds(5)],
    ['settingsActionDefaults.dialByExtension.interDigitTimeout', seconds(6)],
    ['settingsActionDefaults.transferToUser.connectTimeout', NO_VALUE],
    ['settingsActionDefaults.transferToNumber.connectTimeout', NO_VALUE],
    ['settingsActionDefaults.transferToGroup.connectTimeout', NO_VALUE],
    ['settingsActionDefaults.transferToFlowSecure.connectTimeout', seconds(15)],
  ]),
  // §3: a commonModule has "action defaults"; which ones is a choice: those of ResolveContact.yaml.
  ...rows('flow', ['commonModule'], '§3, ResolveContact.yaml', [
    ['settingsActionDefaults.callData.processingPrompt', NO_VALUE],
    ['settingsActionDefaults.callDataSecure.processingPrompt', NO_VALUE],
  ]),
  ...rows('flow', CALL, '§3', [
    ['settingsErrorHandling.errorHandling', { disconnect: { none: true } }],
    ['settingsErrorHandling.preHandlingAudio', { tts: 'Sorry, an error occurred. Please try your call again.' }],
    ['settingsMenu.extensionDialingMaxDelay', seconds(1)],
    ['settingsMenu.listenForExtensionDialing', { lit: true }],
    ['settingsMenu.menuSelectionTimeout', seconds(10)],
    ['settingsMenu.repeatCount', { lit: 3 }],
  ]),
  ...rows('flow', CALL_AND_MODULE, '§3 (commonModule: choice, as ResolveContact.yaml)', [
    ['settingsPrompts.ensureAudioInPrompts', false],
    // §3 writes the list as [audio, tts]; its form in exports is DR-Emergency-IVR.yaml's.
    ['settingsPrompts.promptMediaToValidate', [{ mediaType: 'audio' }, { mediaType: 'tts' }], 2],
  ]),
  ...rows('flow', CALL, '§3', [
    ['settingsSpeechRec.completeMatchTimeout', { lit: { ms: 100 } }],
    ['settingsSpeechRec.incompleteMatchTimeout', { lit: { ms: 1500 } }],
    ['settingsSpeechRec.maxSpeechLengthTimeout', seconds(20)],
    ['settingsSpeechRec.minConfidenceLevel', { lit: 50 }],
    ['settingsSpeechRec.asrCompanyDir', 'none'],
  ]),
  ...rows('flow', CALL, 'choice (§3: varies; true in every blueprint)', [['settingsSpeechRec.asrEnabledOnFlow', true]]),
  ...rows('flow', CALL, '§3 (true or false: false is the choice)', [['settingsSpeechRec.suppressRecording', false, 2]]),
  ...rows('flow', ['inqueueCall'], '§3', [
    ['settingsInQueueCall.holdMusic', { lit: { name: 'PromptSystem.on_hold_music' } }],
  ]),
  ...rows('flow', ['inboundShortMessage'], '§3', [
    ['settingsErrorHandling.errorHandling', { disconnect: { none: true } }],
  ]),
  ...rows('flow', ['workflow'], '§3', [['settingsErrorHandling.errorHandling', { endWorkflow: { none: true } }]]),
  ...rows('flow', ['botFlow'], '§3 (3 tries, 7 s); the `none` blocks as MergeExternalContactBot.yaml', [
    ['settingsBotFlow', { none: true }],
    ['settingsUserInput.noMatchesMax', { lit: 3 }],
    ['settingsUserInput.noInputsMax', { lit: 3 }],
    ['settingsUserInput.noInputsTimeout', seconds(7)],
    ['settingsKnowledge', { none: true }],
  ]),
  ...rows('language', CALL, '§3 (inqueueCall, outboundCall: choice)', [['defaultLanguageSkill', NO_VALUE]]),
  ...rows(
    'language',
    ['inboundShortMessage', 'inboundChat', 'inboundEmail', 'botFlow', 'digitalBot'],
    'choice (as the merge-external-contact blueprints)',
    [['defaultLanguageSkill', NO_VALUE]],
  ),
  ...rows('menu', '*', '§2', [
    ['settingsMenu.extensionDialingMaxDelay', NO_VALUE],
    ['settingsMenu.listenForExtensionDialing', NO_VALUE],
    ['settingsMenu.menuSelectionTimeout', NO_VALUE],
    ['settingsMenu.repeatCount', NO_VALUE],
    ['settingsSpeechRec.completeMatchTimeout', NO_VALUE],
    ['settingsSpeechRec.incompleteMatchTimeout', NO_VALUE],
    ['settingsSpeechRec.maxSpeechLengthTimeout', NO_VALUE],
    ['settingsSpeechRec.minConfidenceLevel', NO_VALUE],
  ]),
  ...rows('choice', '*', '§2', [
    ['globalDtmf', false],
    ['globalSpeechRecTerms', false],
  ]),
  ...rows('transfer', '*', '§2', [
    ['priority', { lit: 0 }],
    ['preferredAgents', NO_VALUE],
    ['languageSkill', NO_VALUE],
  ]),
  // MergeExternalContactMessageFlow.yaml, an export, has a transferToAcd without failureOutputs: messaging
  // flows get none (choice, extended to chat and email).
  ...rows(
    'transfer',
    FLOW_KEYS.filter((key) => !MESSAGING.includes(key)),
    '§2 (not in messaging flows: choice)',
    [
      ['failureOutputs.errorType', NO_VALUE],
      ['failureOutputs.errorMessage', NO_VALUE],
    ],
  ),
  ...rows('transfer', '*', '§2 ("newer": 2023 and later)', [['directAgent', NO_VALUE, 2]]),
  ...rows('variable', '*', '§2', [
    ['initialValue', NO_VALUE],
    ['isInput', false],
    ['isOutput', false],
  ]),
];

/** The rows of `scope` for this flow type and revision, in table order. */
export function defaultsFor(scope: DefaultScope, flowKey: string, revision: ExportRevision): DefaultRow[] {
  return EXPORT_DEFAULTS.filter(
    (row) =>
      row.scope === scope &&
      (row.flows === '*' || row.flows.includes(flowKey)) &&
      (row.revision === undefined || row.revision === revision),
  );
}

/**
 * Fills every row's key that `target` lacks (a copy of the row's value), then orders the mappings
 * below `target` that rows reach: the table's keys first, in table order, then the flow's others.
 */
export function fillDefaults(target: Record<string, unknown>, defaults: readonly DefaultRow[]): void {
  for (const row of defaults) setIfAbsent(target, row.path, row.value);
  const orders = new Map<string, string[]>();
  for (const row of defaults) {
    for (let depth = 1; depth < row.path.length; depth++) {
      const at = row.path.slice(0, depth).join('.');
      const keys = orders.get(at) ?? [];
      if (!keys.includes(row.path[depth]!)) keys.push(row.path[depth]!);
      orders.set(at, keys);
    }
  }
  for (const [at, keys] of orders) reorderAt(target, at.split('.'), keys);
}

function setIfAbsent(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const child = node[key];
    if (child === undefined || child === null) node[key] = {};
    else if (!isObject(child)) return; // a scalar or a list where the table has a block: the flow's value wins
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (node[last] !== undefined && node[last] !== null) return;
  // `none: true` marks an empty mapping (archy-format.md "Values"): it goes once the mapping holds a key.
  if (node.none === true) delete node.none;
  node[last] = structuredClone(value);
}

function reorderAt(target: Record<string, unknown>, path: readonly string[], first: readonly string[]): void {
  let parent = target;
  for (let i = 0; i < path.length - 1; i++) {
    const child = parent[path[i]!];
    if (!isObject(child)) return;
    parent = child;
  }
  const key = path[path.length - 1]!;
  const node = parent[key];
  if (isObject(node)) parent[key] = orderKeys(node, first);
}

/** A copy of `node` with the keys of `first` (those present) first, in that order, then the rest. */
export function orderKeys(node: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of first) if (Object.hasOwn(node, key)) setOwn(out, key, node[key]);
  for (const [key, value] of Object.entries(node)) if (!Object.hasOwn(out, key)) setOwn(out, key, value);
  return out;
}

/** `target[key] = value` as an own key, even for `__proto__` (a key a flow file may hold). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
