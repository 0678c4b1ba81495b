/**
 * A synthetic org of realistic size: M common modules, each called by about 19 inbound call flows
 * whose tasks hold 20 to 200 actions (prompts, participant data, data updates, decisions with
 * branches, a transfer at the end). Deterministic for a seed, so two runs measure the same org.
 *
 * The same text goes to the emulator's seed folder (the live org) and to the repository's flows/,
 * so a plan right after generation shows no changes. `changeCallers`, `changeModule` and `changeAll`
 * edit the repository's copies the way a person would: one prompt's words.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../src/emulator/faults.js';


const WORDS = ['account', 'balance', 'billing', 'card', 'claim', 'delivery', 'order', 'payment', 'policy', 'refund', 'renewal', 'service', 'support', 'ticket', 'transfer', 'upgrade', 'warranty'];

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One action, indented for a task's action list at `pad` spaces. */
function action(random: () => number, flow: number, task: number, step: number, pad: string): string[] {
  const name = `T${task} step ${step}`;
  const roll = random();
  if (roll < 0.45) {
    return [`${pad}- playAudio:`, `${pad}    name: ${name}`, `${pad}    audio:`, `${pad}      tts: "${sentence(random, int(random, 4, 14))}"`];
  }
  if (roll < 0.6) {
    return [
      `${pad}- setParticipantData:`,
      `${pad}    name: ${name}`,
      `${pad}    attributes:`,
      `${pad}      - attribute:`,
      `${pad}          name:`,
      `${pad}            lit: Step${step}`,
      `${pad}          value:`,
      `${pad}            lit: "Line ${flow} ${WORDS[step % WORDS.length]}"`,
    ];
  }
  if (roll < 0.75) {
    return [
      `${pad}- updateData:`,
      `${pad}    name: ${name}`,
      `${pad}    statements:`,
      `${pad}      - string:`,
      `${pad}          variable: Flow.Step${step}`,
      `${pad}          value:`,
      `${pad}            exp: "Append(\\"${WORDS[step % WORDS.length]}\\", ToString(${step}))"`,
    ];
  }
  return [
    `${pad}- decision:`,
    `${pad}    name: ${name}`,
    `${pad}    condition:`,
    `${pad}      exp: "Call.CalledAddressOriginal == \\"+1555${String(flow).padStart(4, '0')}${String(step % 100).padStart(2, '0')}\\""`,
    `${pad}    outputs:`,
    `${pad}      yes:`,
    `${pad}        actions:`,
    `${pad}          - playAudio:`,
    `${pad}              name: ${name} yes`,
    `${pad}              audio:`,
    `${pad}                tts: "${sentence(random, int(random, 3, 8))}"`,
    `${pad}      no:`,
    `${pad}        actions:`,
    `${pad}          - setParticipantData:`,
    `${pad}              name: ${name} no`,
    `${pad}              attributes:`,
    `${pad}                - attribute:`,
    `${pad}                    name:`,
    `${pad}                      lit: Branch${step}`,
    `${pad}                    value:`,
    `${pad}                      lit: "no"`,
  ];
}

export function moduleName(m: number): string {
  return `Module ${String(m).padStart(3, '0')} - Shared Step`;
}

export function moduleYaml(m: number, seed: number): string {
  const random = createRandom(seed * 7919 + m);
  const lines = [
    'commonModule:',
    `  name: ${moduleName(m)}`,
    `  description: Shared step ${m}, called first by its inbound lines.`,
    '  division: Home',
    '  supportedLanguages:',
    '    en-us:',
    '      none: true',
    '  settingsCommonModule:',
    '    compatibleFlowTypes:',
    '      - flowType: inboundcall',
    '  startUpTaskActions:',
  ];
  const steps = int(random, 20, 60);
  for (let s = 1; s <= steps; s++) lines.push(...action(random, 9000 + m, 0, s, '    '));
  lines.push('    - endTask:', '        name: Exit module', '');
  return lines.join('\n');
}

export function callerName(i: number): string {
  return `Line ${String(i).padStart(4, '0')}`;
}

/** An inbound call flow: a startup task calling its module, 20-200 actions, sometimes a second task. */
export function callerYaml(i: number, module: number, seed: number): string {
  const random = createRandom(seed * 104729 + i);
  const tasks = random() < 0.4 ? 2 : 1;
  const lines = [
    'inboundCall:',
    `  name: ${callerName(i)}`,
    `  description: Inbound line ${i}.`,
    '  division: Home',
    '  startUpRef: "/inboundCall/tasks/task[Startup_1]"',
    '  defaultLanguage: en-us',
    '  supportedLanguages:',
    '    en-us:',
    '      defaultLanguageSkill:',
    '        noValue: true',
    '  initialGreeting:',
    `    tts: "Welcome to line ${i}."`,
    '  tasks:',
  ];
  for (let t = 1; t <= tasks; t++) {
    lines.push('    - task:', `        name: ${t === 1 ? 'Startup' : `Follow up ${t}`}`, `        refId: ${t === 1 ? 'Startup' : 'Follow'}_${t}`, '        actions:');
    const pad = '          ';
    if (t === 1) {
      lines.push(
        `${pad}- callCommonModule:`,
        `${pad}    name: Shared step`,
        `${pad}    commonModule:`,
        `${pad}      ${moduleName(module)}:`,
        `${pad}        ver_latestPublished:`,
        `${pad}          none: true`,
      );
    }
    const steps = int(random, 20, 200);
    for (let s = 1; s <= steps; s++) lines.push(...action(random, i, t, s, pad));
    if (t === 1 && tasks > 1) lines.push(`${pad}- jumpToTask:`, `${pad}    name: To follow up`, `${pad}    targetTaskRef: "/inboundCall/tasks/task[Follow_2]"`);
    else {
      lines.push(
        `${pad}- transferToAcd:`,
        `${pad}    name: To the queue`,
        `${pad}    targetQueue:`,
        `${pad}      lit:`,
        `${pad}        name: Queue ${i % 25}`,
        `${pad}    preTransferAudio:`,
        `${pad}      tts: Please hold.`,
        `${pad}- disconnect:`,
        `${pad}    name: Bye`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

export interface GeneratedOrg {
  /** The flows repository: flowops.yaml, flows/, a git repository with one commit. */
  dir: string;
  /** The same flows, to seed the emulator (the live org). */
  seedDir: string;
  flows: number;
  modules: number;
  /** Caller index -> module index. */
  moduleOfCaller: number[];
  /** Bytes of flow YAML in the repository. */
  bytes: number;
  seed: number;
}

export const BENCH_ENVIRONMENT = 'bench';

/**
 * `flows` flows of which `modules` are common modules; callers are spread evenly over the modules.
 * The repository is a git repository (so apply writes audit notes and drift reads them back).
 */
export function generateOrg(flows: number, modules: number, seed: number): GeneratedOrg {
  const root = mkdtempSync(join(tmpdir(), 'flowops-bench-'));
  const dir = join(root, 'repo');
  const seedDir = join(root, 'seed');
  mkdirSync(join(dir, 'flows', 'modules'), { recursive: true });
  mkdirSync(join(dir, 'flows', 'inbound'), { recursive: true });
  mkdirSync(seedDir);
  writeFileSync(join(dir, 'flowops.yaml'), `flows: flows/**/*.yaml\ndefaultEnvironment: ${BENCH_ENVIRONMENT}\nenvironments:\n  ${BENCH_ENVIRONMENT}:\n    region: mypurecloud.com\n`);
  writeFileSync(join(dir, '.gitignore'), '.flowops/\n*.json\n*.md\n');
  let bytes = 0;
  const write = (rel: string, seedName: string, text: string) => {
    writeFileSync(join(dir, 'flows', rel), text);
    writeFileSync(join(seedDir, seedName), text);
    bytes += Buffer.byteLength(text);
  };
  for (let m = 0; m < modules; m++) write(`modules/module-${m}.yaml`, `module-${m}.yaml`, moduleYaml(m, seed));
  const moduleOfCaller: number[] = [];
  for (let i = 0; i < flows - modules; i++) {
    const m = i % modules;
    moduleOfCaller.push(m);
    write(`inbound/line-${i}.yaml`, `line-${i}.yaml`, callerYaml(i, m, seed));
  }
  git(dir, ['init', '-q', '-b', 'main']);
  commitAll(dir, 'the org as it is');
  return { dir, seedDir, flows, modules, moduleOfCaller, bytes, seed };
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' },
  });
}

export function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
}

/** Edits one prompt of the first task: the words a person would change. Returns the file path. */
function editFirstPrompt(path: string, marker: string): void {
  const text = readFileSync(path, 'utf8');
  const next = text.replace(/tts: "([^"]*)"/, (_all, words: string) => `tts: "${words} ${marker}"`);
  if (next === text) throw new Error(`${path}: no prompt to edit`);
  writeFileSync(path, next);
}

/** Changes `count` callers, spread over the org (callers only: no module, no republish). */
export function changeCallers(org: GeneratedOrg, count: number, marker: string): string[] {
  const callers = org.flows - org.modules;
  const step = callers / count;
  const changed: string[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(k * step);
    editFirstPrompt(join(org.dir, 'flows', 'inbound', `line-${i}.yaml`), marker);
    changed.push(callerName(i));
  }
  return changed;
}

/**
 * Changes every flow (one prompt each): the first apply after it publishes every flow, so that the
 * org is flowops' own, as a real org is once flowops has applied it. Returns how many flows changed.
 */
export function changeAll(org: GeneratedOrg, marker: string): number {
  for (let m = 0; m < org.modules; m++) editFirstPrompt(join(org.dir, 'flows', 'modules', `module-${m}.yaml`), marker);
  for (let i = 0; i < org.flows - org.modules; i++) editFirstPrompt(join(org.dir, 'flows', 'inbound', `line-${i}.yaml`), marker);
  return org.flows;
}

/** Changes one module: it is updated and every caller of it republished after it. */
export function changeModule(org: GeneratedOrg, m: number, marker: string): number {
  editFirstPrompt(join(org.dir, 'flows', 'modules', `module-${m}.yaml`), marker);
  return org.moduleOfCaller.filter((x) => x === m).length;
}
