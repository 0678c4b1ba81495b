/**
 * Small Archy YAML flows that tests publish into the emulator and plan: an inbound call flow and a
 * common module, with the few variations the tests need. (Generated orgs of many flows come from
 * bench/generate-org.ts.)
 */

/** An inbound call flow: a greeting, then (with `module`) a call of that common module's latest published version. */
export function inboundCall(name: string, options: { greeting?: string; module?: string; division?: string; description?: string } = {}): string {
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
${call}        - disconnect:
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
