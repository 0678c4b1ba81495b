/**
 * Runs one rule's check on one flow file's text, as the engine would: the flow read by the real
 * check (its document and the org objects it names), and the reports collected as paths and messages.
 */
import { checkFile } from '../../../src/check/index.js';
import type { DocumentPath, Rule } from '../../../src/rules/types.js';

export interface Report {
  path: DocumentPath;
  message: string;
}

export function runRule<Options>(rule: Rule<Options>, text: string, options = {} as Options): Report[] {
  const record = checkFile({ path: 'flow.yaml', text }, { substitutions: {} });
  const flow = record.flow;
  if (!flow?.data || !flow.identity) throw new Error(`not a flow: ${JSON.stringify(record.diagnostics)}`);
  const reports: Report[] = [];
  rule.check(
    { type: flow.identity.type, name: flow.identity.name, path: 'flow.yaml', document: flow.data },
    { options, references: flow.references ?? [], report: (path, message) => reports.push({ path, message }) },
  );
  return reports;
}

/** An inbound call flow whose startup task holds `actions` (YAML lines indented for the list), and more tasks and menus after it. */
export function inboundCall(actions: string, more = ''): string {
  return `inboundCall:
  name: Test Line
  startUpRef: "/inboundCall/tasks/task[start]"
  tasks:
    - task:
        name: Start
        refId: start
        actions:
${indent(actions, 10)}
${more}`;
}

/** An updateData action that sets Task.Agent (a user) to `exp`: YAML lines at column 0. */
export function assignUser(exp: string): string {
  return `- updateData:
    name: Agent
    statements:
      - user:
          variable: Task.Agent
          value:
            exp: ${exp}`;
}

/** The flow-level `menus:` of one menu, "Main" (refId main), with `choices` (YAML lines, any indentation). */
export function mainMenu(choices: string): string {
  return `  menus:
    - menu:
        name: Main
        refId: main
        audio:
          tts: Press 1.
        choices:
${indent(choices, 10)}`;
}

/** `text` with its common indentation replaced by `spaces` spaces (blank lines at its ends dropped). */
export function indent(text: string, spaces: number): string {
  const lines = text.replace(/^\s*\n|\s+$/g, '').split('\n');
  const common = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((line) => ' '.repeat(spaces) + line.slice(common)).join('\n');
}
