import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/plan/diff.js';
import { normalForm, normalHash } from '../../src/identity/index.js';
import { checkFlowSources, desiredDocument } from '../../src/check/index.js';
import { writeArchitectExport } from '../../src/emulator/architect-export.js';
import { blueprintsDir, blueprintSubstitutions, listYaml, readSource, repoRoot } from '../helpers/fixtures.js';
import { HAND_WRITTEN_OPENING, SALES_MENU, START_TASK } from '../helpers/flow-yaml.js';

/** A flow as a person writes it: relative and bare references, unnamed actions, no settings, comments. */
const handWritten = `# the main number
inboundCall:
  name: Main Line
  description: Routes calls   # a comment
${HAND_WRITTEN_OPENING}${SALES_MENU}          - menuJumpToTask:
              name: Help
              dtmf: digit_2
              targetTaskRef: ../../tasks/task[start]
${START_TASK}          - playAudio: {audio: {tts: Hello}}
          - jumpToMenu: {name: Go, targetMenuRef: "/inboundCall/menus/menu[main]"}
`;

/** The same flow as Architect exports it (shared/reference/architect-export.md sections 2 and 3). */
const exported = `inboundCall:
  name: Main Line
  description: "Routes calls [flowops abc1234 f1:AAAAAAAAAAAAAAAAAAAAAA]"
  division: Home
  startUpRef: "/inboundCall/tasks/task[Start_14]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
      textToSpeech:
        defaultEngine:
          voice: Jill
  variables:
    - stringVariable:
        name: Flow.Alpha
        initialValue:
          lit: a
        isInput: false
        isOutput: false
    - stringVariable:
        name: Flow.zeta
        initialValue:
          noValue: true
        isInput: false
        isOutput: false
  settingsActionDefaults:
    playAudioOnSilence: {timeout: {lit: {seconds: 40}}}
    detectSilence: {timeout: {lit: {seconds: 40}}}
    callData: {processingPrompt: {noValue: true}}
    collectInput: {noEntryTimeout: {lit: {seconds: 5}}}
    dialByExtension: {interDigitTimeout: {lit: {seconds: 6}}}
    transferToUser: {connectTimeout: {noValue: true}}
    transferToNumber: {connectTimeout: {noValue: true}}
    transferToGroup: {connectTimeout: {noValue: true}}
    transferToFlowSecure: {connectTimeout: {lit: {seconds: 15}}}
  settingsErrorHandling:
    errorHandling: {disconnect: {none: true}}
    preHandlingAudio: {tts: "Sorry, an error occurred. Please try your call again."}
  settingsMenu:
    extensionDialingMaxDelay: {lit: {seconds: 1}}
    listenForExtensionDialing: {lit: true}
    menuSelectionTimeout: {lit: {seconds: 10}}
    repeatCount: {lit: 3}
  settingsPrompts:
    ensureAudioInPrompts: false
    promptMediaToValidate: [{mediaType: audio}, {mediaType: tts}]
  settingsSpeechRec:
    completeMatchTimeout: {lit: {ms: 100}}
    incompleteMatchTimeout: {lit: {ms: 1500}}
    maxSpeechLengthTimeout: {lit: {seconds: 20}}
    minConfidenceLevel: {lit: 50}
    asrCompanyDir: none
    asrEnabledOnFlow: true
    suppressRecording: false
  menus:
    - menu:
        name: Main Menu
        refId: Main Menu_10
        audio:
          tts: Press 1
        settingsMenu: {extensionDialingMaxDelay: {noValue: true}, listenForExtensionDialing: {noValue: true}, menuSelectionTimeout: {noValue: true}, repeatCount: {noValue: true}}
        settingsSpeechRec: {completeMatchTimeout: {noValue: true}, incompleteMatchTimeout: {noValue: true}, maxSpeechLengthTimeout: {noValue: true}, minConfidenceLevel: {noValue: true}}
        choices:
          - menuTransferToAcd:
              name: Menu Transfer To ACD
              dtmf: digit_1
              globalDtmf: false
              globalSpeechRecTerms: false
              targetQueue: {lit: {name: Sales}}
              priority: {lit: 0}
              preferredAgents: {noValue: true}
              languageSkill: {noValue: true}
              directAgent: {noValue: true}
              failureOutputs: {errorType: {noValue: true}, errorMessage: {noValue: true}}
          - menuJumpToTask:
              name: Help
              dtmf: digit_2
              globalDtmf: false
              globalSpeechRecTerms: false
              targetTaskRef: "/inboundCall/tasks/task[Start_14]"
  tasks:
    - task:
        name: Start
        refId: Start_14
        actions:
          - playAudio:
              name: Play Audio
              audio:
                tts: Hello
          - jumpToMenu:
              name: Go
              targetMenuRef: "/inboundCall/menus/menu[Main Menu_10]"
`;

const doc = (text: string) => parse(text) as Record<string, unknown>;

describe('normal form: a file and the export Architect writes of it compare equal', () => {
  it('references by target, refIds, default names, settings, filled-in keys, variable order, division, the note', () => {
    for (const text of [handWritten, exported]) {
      expect(checkFlowSources([{ path: 'f.yaml', text }]).diagnostics.filter((d) => d.severity === 'error')).toEqual(
        [],
      );
    }
    const { changes } = diffDocuments(normalForm(doc(exported)), normalForm(doc(handWritten)));
    expect(changes).toEqual([]);
    expect(normalHash(doc(exported))).toBe(normalHash(doc(handWritten)));
  });

  it('an export of 2021-22 (callBridge, no promptMediaToValidate, suppressRecording or directAgent) equals one of 2023+', () => {
    const old = exported
      .replace(
        '    callData: {processingPrompt: {noValue: true}}\n',
        '    callData: {processingPrompt: {noValue: true}}\n    callBridge: {processingPrompt: {noValue: true}}\n',
      )
      .replace('    promptMediaToValidate: [{mediaType: audio}, {mediaType: tts}]\n', '')
      .replace('    suppressRecording: false\n', '')
      .replace('              directAgent: {noValue: true}\n', '');
    expect(old).not.toBe(exported);
    expect(normalHash(doc(old))).toBe(normalHash(doc(exported)));
  });

  it("shows a person's edit as exactly what they changed", () => {
    const edits: Array<[string, string, string]> = [
      ['tts: Hello', 'tts: Hello there', 'task "Start" > action 1 "Play Audio" (playAudio) > audio.tts'],
      [
        'priority: {lit: 0}',
        'priority: {lit: 5}',
        'menu "Main Menu" > choice "Menu Transfer To ACD" (menuTransferToAcd) > priority.lit',
      ],
      ['suppressRecording: false', 'suppressRecording: true', 'settingsSpeechRec.suppressRecording'],
      ['repeatCount: {lit: 3}', 'repeatCount: {lit: 2}', 'settingsMenu.repeatCount.lit'],
    ];
    for (const [from, to, where] of edits) {
      const edited = exported.replace(from, to);
      expect(edited).not.toBe(exported);
      const { changes } = diffDocuments(normalForm(doc(handWritten)), normalForm(doc(edited)));
      expect(changes.map((c) => c.where)).toEqual([where]);
    }
  });

  it('a reference that points elsewhere is a change, named by its target', () => {
    const retargeted = handWritten
      .replace('targetTaskRef: ../../tasks/task[start]', 'targetMenuRef: "/inboundCall/menus/menu[main]"')
      .replace('menuJumpToTask', 'menuJumpToMenu');
    const withTwoTasks = handWritten.replace(
      'targetMenuRef: "/inboundCall/menus/menu[main]"}',
      'targetMenuRef: "/inboundCall/menus/menu[main]"}\n    - task:\n        name: Other\n        refId: other\n        actions: []',
    );
    const pointingOther = withTwoTasks.replace('startUpRef: start', 'startUpRef: other');
    const { changes } = diffDocuments(normalForm(doc(withTwoTasks)), normalForm(doc(pointingOther)));
    expect(changes).toMatchObject([{ kind: 'replace', from: 'task "Start"', to: 'task "Other"' }]);
    expect(normalHash(doc(retargeted))).not.toBe(normalHash(doc(handWritten)));
  });

  it("a value a file sets differently from Architect's default is kept, not replaced by the default", () => {
    const own = handWritten.replace('  menus:\n', '  settingsMenu:\n    repeatCount: {lit: 1}\n  menus:\n');
    const normal = normalForm(doc(own)) as { inboundCall: { settingsMenu: Record<string, unknown> } };
    expect(normal.inboundCall.settingsMenu.repeatCount).toEqual({ lit: 1 });
    expect(normal.inboundCall.settingsMenu.menuSelectionTimeout).toEqual({ lit: { seconds: 10 } });
    // One value is never merged with the default's: an error handling of its own stays just that.
    const transfer = handWritten.replace(
      '  menus:\n',
      '  settingsErrorHandling:\n    errorHandling: {transferToAcd: {targetQueue: {lit: {name: Help}}}}\n  menus:\n',
    );
    const handling = (
      normalForm(doc(transfer)) as { inboundCall: { settingsErrorHandling: { errorHandling: unknown } } }
    ).inboundCall.settingsErrorHandling.errorHandling;
    expect(handling).toEqual({ transferToAcd: { targetQueue: { lit: { name: 'Help' } } } });
  });

  it('is idempotent on the real exports of the blueprints, and leaves the input alone', () => {
    for (const name of listYaml(blueprintsDir)) {
      const flow = checkFlowSources([readSource(blueprintsDir, name)], { substitutions: blueprintSubstitutions })
        .flows[0]!;
      const before = JSON.stringify(desiredDocument(flow));
      const once = normalForm(desiredDocument(flow));
      expect(JSON.stringify(desiredDocument(flow))).toBe(before);
      expect(normalForm(once), name).toEqual(once);
    }
  });

  it("every real blueprint and demo flow equals the emulator's Architect export of it, in both exporter revisions", () => {
    const sources = [
      ...listYaml(blueprintsDir).map((name) => ({
        source: readSource(blueprintsDir, name),
        substitutions: blueprintSubstitutions,
      })),
      ...listYaml(`${blueprintsDir}merge-external-contact/`).map((name) => ({
        source: readSource(`${blueprintsDir}merge-external-contact/`, name),
        substitutions: blueprintSubstitutions,
      })),
      ...[
        'modules/tag-and-greet.yaml',
        'inbound/main-line.yaml',
        'inbound/billing-line.yaml',
        'inbound/support-line.yaml',
      ].map((name) => ({ source: readSource(`${repoRoot}flows/`, name), substitutions: demoValues })),
    ];
    expect(sources.length).toBe(10);
    for (const { source, substitutions } of sources) {
      const r = checkFlowSources([source], {
        substitutions,
        externalModules: ['Resolve Contact', 'Shared Common Module - Tag and Greet'],
      });
      const flow = r.flows[0]!;
      for (const revision of [1, 2] as const) {
        const text = writeArchitectExport(desiredDocument(flow), undefined, revision);
        const { changes } = diffDocuments(normalForm(desiredDocument(flow)), normalForm(doc(text)));
        expect(changes, `${source.path} revision ${revision}`).toEqual([]);
      }
    }
  });
});

const demoValues = {
  division: 'Home',
  greeting: 'Welcome',
  support_queue: 'Support',
  billing_queue: 'Billing',
  sales_queue: 'Sales',
  business_hours: 'Hours',
};
