/**
 * What Architect adds to a flow when it stores and exports it, as far as public exports show
 * (shared/reference/architect-export.md). ONE table: the normal form (normal-form.ts) fills
 * these into both sides, so a file that leaves them out equals its own export, and a person who
 * changes one of them is shown the change. Each entry names its source: a section of the reference
 * ("export.md §3"), or "choice" where the facts stop and flowops decided.
 *
 * Keys an exporter revision adds or drops (callBridge before 2023; promptMediaToValidate,
 * suppressRecording and directAgent after) are filled too, so the two revisions compare equal
 * (export.md §4).
 */

const noValue = { noValue: true } as const;
const seconds = (n: number) => ({ lit: { seconds: n } });

/** Settings blocks of call flows (inboundCall; outboundCall and inqueueCall share them: choice). */
const CALL_FLOW_SETTINGS: Record<string, unknown> = {
  // export.md §3, every exported inboundCall (26 files); callBridge: §4 (2021-22 exports).
  settingsActionDefaults: {
    playAudioOnSilence: { timeout: seconds(40) },
    detectSilence: { timeout: seconds(40) },
    callData: { processingPrompt: noValue },
    callBridge: { processingPrompt: noValue },
    collectInput: { noEntryTimeout: seconds(5) },
    dialByExtension: { interDigitTimeout: seconds(6) },
    transferToUser: { connectTimeout: noValue },
    transferToNumber: { connectTimeout: noValue },
    transferToGroup: { connectTimeout: noValue },
    transferToFlowSecure: { connectTimeout: seconds(15) },
  },
  // export.md §3.
  settingsErrorHandling: {
    errorHandling: { disconnect: { none: true } },
    preHandlingAudio: { tts: 'Sorry, an error occurred. Please try your call again.' },
  },
  settingsMenu: {
    extensionDialingMaxDelay: seconds(1),
    listenForExtensionDialing: { lit: true },
    menuSelectionTimeout: seconds(10),
    repeatCount: { lit: 3 },
  },
  // promptMediaToValidate: export.md §3 and §4 (2023 and later), written as a list of
  // `- mediaType: audio` items (a 2023+ inboundCall export in a public repository).
  settingsPrompts: {
    ensureAudioInPrompts: false,
    promptMediaToValidate: [{ mediaType: 'audio' }, { mediaType: 'tts' }],
  },
  // suppressRecording: export.md §3 and §4 (2023 and later; false: choice of the two values seen).
  // asrEnabledOnFlow varies between files (§3): true, as SimpleFinancialIvr's export has it (choice).
  settingsSpeechRec: {
    completeMatchTimeout: { lit: { ms: 100 } },
    incompleteMatchTimeout: { lit: { ms: 1500 } },
    maxSpeechLengthTimeout: seconds(20),
    minConfidenceLevel: { lit: 50 },
    asrCompanyDir: 'none',
    asrEnabledOnFlow: true,
    suppressRecording: false,
  },
};

/** Flow-level blocks by the flow's top-level key (export.md §3 "Other types"). */
export const FLOW_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = {
  inboundCall: CALL_FLOW_SETTINGS,
  outboundCall: CALL_FLOW_SETTINGS, // choice: a call flow like inboundCall
  inqueueCall: {
    ...CALL_FLOW_SETTINGS,
    settingsInQueueCall: { holdMusic: { lit: { name: 'PromptSystem.on_hold_music' } } }, // export.md §3
  },
  // export.md §3 ("action defaults", no error handling, menus or startUpRef); which blocks: those of
  // a real commonModule export (shared/fixtures/archy-blueprints/merge-external-contact/ResolveContact.yaml).
  commonModule: {
    settingsActionDefaults: { callData: { processingPrompt: noValue }, callDataSecure: { processingPrompt: noValue } },
    settingsPrompts: CALL_FLOW_SETTINGS.settingsPrompts,
  },
  // export.md §3 (3 tries, 7 s); the `none` blocks as the real export MergeExternalContactBot.yaml has them.
  botFlow: {
    settingsBotFlow: { none: true },
    settingsUserInput: { noMatchesMax: { lit: 3 }, noInputsMax: { lit: 3 }, noInputsTimeout: seconds(7) },
    settingsKnowledge: { none: true },
  },
  inboundShortMessage: { settingsErrorHandling: { errorHandling: { disconnect: { none: true } } } }, // export.md §3
  workflow: { settingsErrorHandling: { errorHandling: { endWorkflow: { none: true } } } }, // export.md §3
};

/** Each menu gets these, all unset (export.md §2 "settings blocks"). */
export const MENU_SETTINGS: Readonly<Record<string, unknown>> = {
  settingsMenu: {
    extensionDialingMaxDelay: noValue,
    listenForExtensionDialing: noValue,
    menuSelectionTimeout: noValue,
    repeatCount: noValue,
  },
  settingsSpeechRec: {
    completeMatchTimeout: noValue,
    incompleteMatchTimeout: noValue,
    maxSpeechLengthTimeout: noValue,
    minConfidenceLevel: noValue,
  },
};

/** Keys filled into items by their kind (export.md §2 "filled-in keys"; directAgent: "newer"). */
const TRANSFER_DEFAULTS = {
  priority: { lit: 0 },
  preferredAgents: noValue,
  languageSkill: noValue,
  directAgent: noValue,
  failureOutputs: { errorType: noValue, errorMessage: noValue },
};
const CHOICE_DEFAULTS = { globalDtmf: false, globalSpeechRecTerms: false };
export const ITEM_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = {
  transferToAcd: TRANSFER_DEFAULTS,
  menuTransferToAcd: { ...TRANSFER_DEFAULTS, ...CHOICE_DEFAULTS },
};
/** Every menu choice (an item of a `choices` list). */
export const CHOICE_ITEM_DEFAULTS: Readonly<Record<string, unknown>> = CHOICE_DEFAULTS;
/** Every variable (an item of a `variables` list). */
export const VARIABLE_DEFAULTS: Readonly<Record<string, unknown>> = {
  initialValue: noValue,
  isInput: false,
  isOutput: false,
};
/** Every language of `supportedLanguages` that is not `{none: true}` (export.md §3). */
export const LANGUAGE_DEFAULTS: Readonly<Record<string, unknown>> = { defaultLanguageSkill: noValue };
/** A flow without a division is in Home, and exports say so (export.md §2 "division"). */
export const DEFAULT_DIVISION = 'Home';

/** Labels Architect gives unnamed actions (export.md §1, from a decoded stored flow). */
const ACTION_LABELS: Readonly<Record<string, string>> = {
  playAudio: 'Play Audio',
  transferToAcd: 'Transfer to ACD',
  decision: 'Decision',
  callData: 'Call Data Action',
  updateData: 'Update Data',
  dataTableLookup: 'Data Table Lookup',
  disconnect: 'Disconnect',
};

/**
 * The name of an unnamed action or menu choice of this kind: the label the reference shows, else
 * (choice) the kind's camelCase words capitalized, with "Acd" as "ACD": callCommonModule ->
 * "Call Common Module", menuDisconnect -> "Menu Disconnect", setUUIData -> "Set UUI Data".
 */
export function defaultItemName(kind: string): string {
  const known = ACTION_LABELS[kind];
  if (known) return known;
  // Words start at a capital after a lower-case letter or digit, and at the last capital of a run
  // followed by a lower-case letter (setUUIData -> Set UUI Data).
  const words = kind
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ');
  return words.map((w) => (w === 'Acd' || w === 'acd' ? 'ACD' : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}
