/**
 * The emulator's Architect export writer (src/emulator/architect-export.ts), against the facts of
 * shared/reference/architect-export.md and the real exports among the blueprints.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { writeArchitectExport } from '../../src/emulator/architect-export.js';
import { defaultName } from '../../src/emulator/export-items.js';
import { assignTracking } from '../../src/emulator/tracking.js';
import { checkFlowSources, desiredDocument, type FlowSource } from '../../src/check/index.js';
import { resolveReference } from '../../src/check/resolve-reference.js';
import { collectFacts } from '../../src/check/walk.js';
import { blueprintsDir, blueprintSubstitutions, listYaml, readSource, repoRoot } from '../helpers/fixtures.js';
import { HAND_WRITTEN_OPENING, START_TASK } from '../helpers/flow-yaml.js';

type Doc = Record<string, unknown>;
type Body = Record<string, any>;

/** A flow as a person writes it: comments, hand-made refIds, relative and bare references, unnamed actions. */
const handWritten = `# the main number
inboundCall:
  name: Main Line
  description: Routes calls [flowops abc1234]   # the audit note must survive
${HAND_WRITTEN_OPENING}    - integerVariable: {name: flow.beta, isInput: true}
  settingsMenu:
    repeatCount: {lit: 1}
  settingsErrorHandling:
    errorHandling: {transferToAcd: {targetQueue: {lit: {name: Help}}}}
  menus:
    - menu:
        name: Main Menu
        refId: main
        audio: {tts: "Press 9: goodbye, or 1 # for sales"}
        defaultChildMenuRef: ./choices/menuDisconnect[bye]
        choices:
          - menuDisconnect:
              name: Hang up
              refId: bye
              dtmf: digit_9
          - menuTransferToAcd:
              refId: sales
              dtmf: digit_1
              targetQueue: {lit: {name: Sales}}
              priority: {lit: 5}
          - menuJumpToTask:
              name: Help
              dtmf: digit_2
              targetTaskRef: ../../tasks/task[start]
${START_TASK}          - playAudio: {audio: {tts: "Hello\\nthere"}}
          - transferToAcd: {targetQueue: {lit: {name: Support}}}
          - callCommonModule: {commonModule: {Greeter: {ver_latestPublished: {none: true}}}}
          - disconnect: {none: true}
          - jumpToMenu: {targetMenuRef: "/inboundCall/menus/menu[main]"}
    - task:
        name: Billing/Payments
        refId: billing
        actions:
          - jumpToTask: {name: Back, targetTaskRef: start}
`;

const docOf = (text: string, substitutions: Record<string, string> = {}, externalModules = ['Greeter']): Doc => {
  const result = checkFlowSources([{ path: 'f.yaml', text }], { substitutions, externalModules });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return desiredDocument(result.flows[0]!);
};
const bodyOf = (text: string): Body => Object.values(parse(text) as Doc)[0] as Body;
const errorsOf = (sources: FlowSource[], externalModules: string[] = []) =>
  checkFlowSources(sources, { externalModules }).diagnostics.filter((d) => d.severity === 'error');

/** Every leaf of a document as `path = value`, to compare two exports key by key. */
function leaves(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (node !== null && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [`${path} = ${JSON.stringify(node)}`];
}

describe('refIds and references', () => {
  test('containers get `<name>_<N>` from the tracking numbers (from 10, actions consume numbers); hand-made refIds go', () => {
    const text = writeArchitectExport(docOf(handWritten), undefined, 2);
    const body = bodyOf(text);
    expect(body.menus[0].menu.refId).toBe('Main Menu_10');
    // Main Menu_10, its three choices 11-13, then the first task: 14; its five actions 15-19.
    expect(body.tasks[0].task.refId).toBe('Start_14');
    expect(body.tasks[1].task.refId).toBe('Billing_SLASH_Payments_20');
    expect(text).not.toMatch(/refId: (main|start|billing|sales)$/m);
    // A choice nobody references loses its refId; the one a reference lands on gets a regenerated one.
    expect(body.menus[0].menu.choices[1].menuTransferToAcd.refId).toBeUndefined();
    expect(body.menus[0].menu.choices[0].menuDisconnect.refId).toBe('Hang up_11');
  });

  test('every reference is written absolute, double-quoted, and lands where the original did', () => {
    const document = docOf(handWritten);
    const text = writeArchitectExport(document, undefined, 2);
    expect(text).toContain('startUpRef: "/inboundCall/tasks/task[Start_14]"');
    expect(text).toContain(
      'defaultChildMenuRef: "/inboundCall/menus/menu[Main Menu_10]/choices/menuDisconnect[Hang up_11]"',
    );
    expect(text).toContain('targetTaskRef: "/inboundCall/tasks/task[Start_14]"');
    expect(text).toContain('targetMenuRef: "/inboundCall/menus/menu[Main Menu_10]"');
    const exported = parse(text) as Doc;
    const targets = (data: Doc) => {
      const facts = collectFacts(data, 'inboundCall');
      return facts.references.map((use) => {
        const to = resolveReference(data, 'inboundCall', use, facts);
        return to.ok ? `${use.prop} -> ${to.kind} ${JSON.stringify(to.path)}` : `${use.prop} broken`;
      });
    };
    expect(targets(exported)).toEqual(targets(document));
    expect(collectFacts(exported, 'inboundCall').references.every((use) => use.value.startsWith('/inboundCall/'))).toBe(
      true,
    );
  });

  test('a republish with a task added keeps every container number and gives the new one a fresh one', () => {
    const v1 = docOf(handWritten);
    const first = assignTracking(v1);
    const withTask = handWritten.replace(
      '  tasks:\n',
      '  tasks:\n    - task:\n        name: Added\n        actions:\n          - disconnect: {name: Bye}\n',
    );
    const v2 = docOf(withTask);
    const second = assignTracking(v2, first.numbers, first.next);
    const body1 = bodyOf(writeArchitectExport(v1, first.numbers, 2));
    const body2 = bodyOf(writeArchitectExport(v2, second.numbers, 2));
    expect(body2.menus[0].menu.refId).toBe(body1.menus[0].menu.refId);
    expect(body2.tasks[1].task.refId).toBe(body1.tasks[0].task.refId); // Start, now second in its list
    expect(body2.tasks[2].task.refId).toBe(body1.tasks[1].task.refId);
    expect(body2.tasks[0].task.refId).toBe(`Added_${first.next}`);
    expect(second.next).toBeGreaterThan(first.next);
    // The version before keeps its own numbers.
    expect(writeArchitectExport(v1, first.numbers, 2)).toBe(writeArchitectExport(v1, undefined, 2));
    // Matching is by kind and name, case-sensitive: a renamed container is a new one.
    const renamed = docOf(handWritten.replace('name: Start', 'name: start'));
    const third = assignTracking(renamed, first.numbers, first.next);
    expect(bodyOf(writeArchitectExport(renamed, third.numbers, 2)).tasks[0].task.refId).toBe(`start_${first.next}`);
  });
});

describe('names, defaults and order', () => {
  test('unnamed actions and choices get the default label of their kind', () => {
    expect(
      ['playAudio', 'transferToAcd', 'decision', 'callData', 'updateData', 'dataTableLookup', 'disconnect'].map(
        defaultName,
      ),
    ).toEqual([
      'Play Audio',
      'Transfer to ACD',
      'Decision',
      'Call Data Action',
      'Update Data',
      'Data Table Lookup',
      'Disconnect',
    ]);
    expect(
      ['callCommonModule', 'jumpToMenu', 'menuDisconnect', 'menuTransferToAcd', 'setUUIData'].map(defaultName),
    ).toEqual(['Call Common Module', 'Jump To Menu', 'Menu Disconnect', 'Menu Transfer To ACD', 'Set UUI Data']);
    const body = bodyOf(writeArchitectExport(docOf(handWritten), undefined, 2));
    const names = body.tasks[0].task.actions.map((a: Body) => Object.values(a)[0].name);
    expect(names).toEqual(['Play Audio', 'Transfer to ACD', 'Call Common Module', 'Disconnect', 'Jump To Menu']);
    expect(body.tasks[0].task.actions[3]).toEqual({ disconnect: { name: 'Disconnect' } });
    expect(body.menus[0].menu.choices.map((c: Body) => Object.values(c)[0].name)).toEqual([
      'Hang up',
      'Menu Transfer To ACD',
      'Help',
    ]);
  });

  test('settings are filled only where the flow has none; a value of its own is kept whole', () => {
    const body = bodyOf(writeArchitectExport(docOf(handWritten), undefined, 2));
    expect(body.settingsMenu).toEqual({
      extensionDialingMaxDelay: { lit: { seconds: 1 } },
      listenForExtensionDialing: { lit: true },
      menuSelectionTimeout: { lit: { seconds: 10 } },
      repeatCount: { lit: 1 },
    });
    expect(body.settingsErrorHandling).toEqual({
      errorHandling: { transferToAcd: { targetQueue: { lit: { name: 'Help' } } } },
      preHandlingAudio: { tts: 'Sorry, an error occurred. Please try your call again.' },
    });
    expect(body.settingsActionDefaults.transferToFlowSecure).toEqual({ connectTimeout: { lit: { seconds: 15 } } });
    expect(body.supportedLanguages['en-us']).toEqual({
      defaultLanguageSkill: { noValue: true },
      textToSpeech: { defaultEngine: { voice: 'Jill' } },
    });
    const transfer = body.menus[0].menu.choices[1].menuTransferToAcd;
    expect(transfer).toMatchObject({
      priority: { lit: 5 },
      globalDtmf: false,
      globalSpeechRecTerms: false,
      preferredAgents: { noValue: true },
      languageSkill: { noValue: true },
    });
    expect(transfer.failureOutputs).toEqual({ errorType: { noValue: true }, errorMessage: { noValue: true } });
    expect(body.menus[0].menu.settingsMenu.repeatCount).toEqual({ noValue: true });
    expect(body.menus[0].menu.settingsSpeechRec.minConfidenceLevel).toEqual({ noValue: true });
    expect(body.variables[1].integerVariable).toEqual({
      name: 'flow.beta',
      initialValue: { noValue: true },
      isInput: true,
      isOutput: false,
    });
  });

  test('variables sorted by name ignoring case; choices keep their order; key order; division, description and its note', () => {
    const text = writeArchitectExport(docOf(handWritten), undefined, 2);
    const body = bodyOf(text);
    expect(body.variables.map((v: Body) => Object.values(v)[0].name)).toEqual(['Flow.Alpha', 'flow.beta', 'Flow.zeta']);
    // SimpleFinancialIvr_v2-0.yaml, a real export, has digit_9 before digit_1: exports do not sort choices.
    expect(body.menus[0].menu.choices.map((c: Body) => Object.values(c)[0].dtmf)).toEqual([
      'digit_9',
      'digit_1',
      'digit_2',
    ]);
    expect(Object.keys(body)).toEqual([
      'name',
      'description',
      'division',
      'startUpRef',
      'defaultLanguage',
      'supportedLanguages',
      'variables',
      'settingsActionDefaults',
      'settingsErrorHandling',
      'settingsMenu',
      'settingsPrompts',
      'settingsSpeechRec',
      'menus',
      'tasks',
    ]);
    expect(Object.keys(body.menus[0].menu.choices[1].menuTransferToAcd).slice(0, 2)).toEqual(['name', 'dtmf']);
    expect(Object.keys(body.menus[0].menu.choices[0].menuDisconnect).slice(0, 2)).toEqual(['name', 'refId']);
    expect(text).toContain('  description: "Routes calls [flowops abc1234]"\n  division: Home\n');
    const bare = bodyOf(writeArchitectExport(docOf(handWritten.replace(/^ {2}description: .*\n/m, '')), undefined, 2));
    expect(bare.description).toBe('');
    expect(
      bodyOf(
        writeArchitectExport(
          docOf(handWritten.replace('  defaultLanguage:', '  division: Sales\n  defaultLanguage:')),
          undefined,
          2,
        ),
      ).division,
    ).toBe('Sales');
  });

  test('no comments; 2-space block style; quoting only where the reference says; parses back to the same data', () => {
    const text = writeArchitectExport(docOf(handWritten), undefined, 2);
    expect(text).not.toMatch(/^\s*#/m);
    expect(text).not.toContain('audit note must survive');
    expect(text).not.toMatch(/[{}]\S/); // no flow-style mappings
    expect(text).toContain('tts: "Press 9: goodbye, or 1 # for sales"');
    expect(text).toContain('tts: "Hello\\nthere"');
    expect(text).toContain('\n  name: Main Line\n');
    expect(text).toContain('\n    - menu:\n        name: Main Menu\n');
    expect(
      parse(writeArchitectExport({ inboundCall: { name: 'x', description: '1.5', variables: [] } }, undefined, 2)),
    ).toMatchObject({
      inboundCall: { description: '1.5' },
    });
    expect(writeArchitectExport({ decision: 1 } as Doc, undefined, 2)).toBe('decision: 1\n');
  });
});

describe('export revisions', () => {
  test('revision 1 and 2 differ exactly in callBridge, promptMediaToValidate, suppressRecording and directAgent', () => {
    const document = docOf(handWritten);
    const one = new Set(leaves(parse(writeArchitectExport(document, undefined, 1))));
    const two = new Set(leaves(parse(writeArchitectExport(document, undefined, 2))));
    expect([...one].filter((l) => !two.has(l))).toEqual([
      '.inboundCall.settingsActionDefaults.callBridge.processingPrompt.noValue = true',
    ]);
    expect([...two].filter((l) => !one.has(l))).toEqual([
      '.inboundCall.settingsPrompts.promptMediaToValidate[0].mediaType = "audio"',
      '.inboundCall.settingsPrompts.promptMediaToValidate[1].mediaType = "tts"',
      '.inboundCall.settingsSpeechRec.suppressRecording = false',
      '.inboundCall.menus[0].menu.choices[1].menuTransferToAcd.directAgent.noValue = true',
      '.inboundCall.tasks[0].task.actions[1].transferToAcd.directAgent.noValue = true',
    ]);
  });
});

describe('the blueprints and the demo flows', () => {
  const blueprintSets: FlowSource[][] = [
    ...listYaml(blueprintsDir).map((name) => [readSource(blueprintsDir, name)]),
    listYaml(`${blueprintsDir}merge-external-contact/`).map((name) =>
      readSource(`${blueprintsDir}merge-external-contact/`, name),
    ),
  ];
  const exportSet = (
    sources: FlowSource[],
    substitutions: Record<string, string | number | boolean>,
    revision: 1 | 2,
    externalModules: string[] = [],
  ) => {
    const result = checkFlowSources(sources, { substitutions, externalModules });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return result.flows.map((f) => ({
      path: f.path,
      text: writeArchitectExport(desiredDocument(f), undefined, revision),
      document: desiredDocument(f),
    }));
  };

  test('every export parses back and passes flowops validate, in both revisions', () => {
    const config = parse(readFileSync(`${repoRoot}flowops.yaml`, 'utf8')) as {
      environments: { local: { substitutions: Record<string, string> } };
    };
    const demo = [
      'inbound/billing-line.yaml',
      'inbound/main-line.yaml',
      'inbound/support-line.yaml',
      'modules/tag-and-greet.yaml',
    ].map((name) => readSource(`${repoRoot}flows/`, name));
    for (const revision of [1, 2] as const) {
      const sets = [
        ...blueprintSets.map((sources) => exportSet(sources, blueprintSubstitutions, revision)),
        exportSet(demo, config.environments.local.substitutions, revision),
      ];
      for (const exported of sets) {
        for (const e of exported) expect(parse(e.text), e.path).toBeTypeOf('object');
        expect(errorsOf(exported), exported.map((e) => e.path).join(', ')).toEqual([]);
      }
    }
  });

  test('a real export comes back as written: SimpleFinancialIvr (2021, revision 1) and ResolveContact (revision 2), byte for byte', () => {
    const simple = readSource(blueprintsDir, 'SimpleFinancialIvr_v2-0.yaml');
    expect(exportSet([simple], {}, 1)[0]!.text).toBe(`${simple.text.trimEnd()}\n`);
    const dir = `${blueprintsDir}merge-external-contact/`;
    const module = exportSet([readSource(dir, 'ResolveContact.yaml')], blueprintSubstitutions, 2)[0]!;
    const expected = readSource(dir, 'ResolveContact.yaml').text.replace(
      /\{\{(\w+)\}\}/g,
      (_, key: string) => blueprintSubstitutions[key]!,
    );
    expect(module.text).toBe(expected);
  });

  test('an export published and exported again is the same text, tracking numbers aside', () => {
    const modNumbers = (text: string) => text.replace(/_\d+(?=[\]"\n])/g, '_N');
    for (const sources of blueprintSets) {
      for (const revision of [1, 2] as const) {
        const once = exportSet(sources, blueprintSubstitutions, revision);
        const twice = exportSet(
          once.map((e) => ({ path: e.path, text: e.text })),
          {},
          revision,
        );
        for (const [i, e] of once.entries()) expect(modNumbers(twice[i]!.text), e.path).toBe(modNumbers(e.text));
      }
    }
  });
});
