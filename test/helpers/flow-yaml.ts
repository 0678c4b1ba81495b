/**
 * Small Archy YAML flows that tests publish into the emulator and plan: an inbound call flow and a
 * common module, with the few variations the tests need. (Generated orgs of many flows come from
 * bench/generate-org.ts.)
 */

/**
 * An inbound call flow: a greeting, then (with `module`) a call of that common module's latest
 * published version, then `actions` (Archy YAML list items, indented as a task's actions), then a
 * disconnect.
 */
export function inboundCall(
  name: string,
  options: { greeting?: string; module?: string; division?: string; description?: string; actions?: string } = {},
): string {
  const call = options.module
    ? `        - callCommonModule:
            name: Shared step
            commonModule:
              ${options.module}:
                ver_latestPublished:
                  none: true
`
    : '';
  return `inboundCall:
  name: ${name}
  description: ${options.description ?? `Test flow ${name}`}
  division: ${options.division ?? 'Home'}
  startUpRef: "/inboundCall/tasks/task[start]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  initialGreeting:
    tts: ${options.greeting ?? 'Welcome'}
  tasks:
    - task:
        name: Start
        refId: start
        actions:
${call}${options.actions ?? ''}        - disconnect:
            name: Bye
`;
}

/** A common module for inbound calls that greets (and with `calls`, first calls that module). */
export function commonModule(name: string, options: { calls?: string } = {}): string {
  const call = options.calls
    ? `    - callCommonModule:
        name: Nested
        commonModule:
          ${options.calls}:
            ver_latestPublished:
              none: true
`
    : '';
  return `commonModule:
  name: ${name}
  division: Home
  supportedLanguages:
    en-us:
      none: true
  settingsCommonModule:
    compatibleFlowTypes:
      - flowType: inboundcall
  startUpTaskActions:
${call}    - playAudio:
        name: Greet
        audio:
          tts: Hello from ${name}
    - endTask:
        name: Exit Common Module
`;
}

// Fragments that several tests' hand-written flows share, to put in a template literal where the
// test's own text goes on (each ends with a newline, at the indentation it is written for).

/** A hand-written inbound call flow's settings after its description: bare start reference, Jill's voice, two string variables (one unsorted, one capitalised). */
export const HAND_WRITTEN_OPENING = `  startUpRef: start\n  defaultLanguage: en-us\n  supportedLanguages:\n    en-us:\n      textToSpeech: {defaultEngine: {voice: Jill}}\n  variables:\n    - stringVariable: {name: Flow.zeta}\n    - stringVariable: {name: Flow.Alpha, initialValue: {lit: a}}\n`;

/** `tasks:` with one task, Start (refId `start`), up to its `actions:`: the test's actions follow. */
export const START_TASK = `  tasks:\n    - task:\n        name: Start\n        refId: start\n        actions:\n`;

/** `menus:` with Main Menu (refId `main`, "Press 1"), whose first choice transfers to Sales: the test's other choices follow. */
export const SALES_MENU = `  menus:\n    - menu:\n        name: Main Menu\n        refId: main\n        audio: {tts: Press 1}\n        choices:\n          - menuTransferToAcd:\n              dtmf: digit_1\n              targetQueue: {lit: {name: Sales}}\n`;

/** A task's action calling the data action Partner > Lookup, up to its inputs' clientId: the test's other inputs (its client secret) follow. */
export const PARTNER_LOOKUP = `          - callData:\n              name: Ask partner\n              processingPrompt: {noValue: true}\n              category:\n                Partner:\n                  dataAction:\n                    Lookup:\n                      inputs:\n                        clientId: {lit: partner-client}\n`;
