/**
 * The generated org, one generator for the bench and the tests: M common modules, the other flows
 * inbound call flows spread evenly over them (caller i calls module i mod M).
 *
 * A flow comes in two sizes, from the same options:
 * - with `seed`, realistic: tasks of 20 to 200 actions (prompts, participant data, data updates,
 *   decisions with branches, a transfer at the end), drawn from the seed, so that two runs measure
 *   the same org (bench/, and the tests of large repositories);
 * - without, small and predictable: a greeting module and callers of a few prompts whose words a
 *   test can give and look for ("Line 2 step 1"), for fast tests.
 *
 * The same text goes to the emulator's seed folder (the live org) and to the repository's flows/,
 * so a plan right after generation shows no changes. The org's objects that the flows name (queues,
 * data actions: realistic callers look one up, then transfer to a queue) are written beside the
 * seed, with more of each than the flows name, as an objects file (`flowops emulator --objects`). `changeCallers`, `changeModule` and `changeAll`
 * edit the repository's copies the way a person would: one prompt's words.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../src/emulator/faults.js';

/** How a generated flow is made: see the header. */
export interface FlowOptions {
  /** Realistic and drawn from this seed; absent: small. */
  seed?: number;
  /** Small only: the module's prompt. */
  tts?: string;
  /** Small only: a caller's prompts after the module call. */
  actions?: number;
}

const WORDS = [
  'account',
  'balance',
  'billing',
  'card',
  'claim',
  'delivery',
  'order',
  'payment',
  'policy',
  'refund',
  'renewal',
  'service',
  'support',
  'ticket',
  'transfer',
  'upgrade',
  'warranty',
];

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
    return [
      `${pad}- playAudio:`,
      `${pad}    name: ${name}`,
      `${pad}    audio:`,
      `${pad}      tts: "${sentence(random, int(random, 4, 14))}"`,
    ];
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

/** The org's objects (bench/README: the plan's listing of them): how many, and their names. */
export const ORG_QUEUES = 500;
export const ORG_DATA_ACTIONS = 200;
export const DATA_ACTIONS_INTEGRATION = 'Genesys Cloud Data Actions';
export const queueName = (q: number): string => `Queue ${q}`;
/** The data action realistic caller `i` looks up: number `i mod ORG_DATA_ACTIONS`, all in the org. */
export function dataActionName(i: number): string {
  const a = i % ORG_DATA_ACTIONS;
  return `Lookup ${WORDS[a % WORDS.length]} ${a}`;
}

/**
 * The objects file of the generated org: `ORG_QUEUES` queues and `ORG_DATA_ACTIONS` data actions,
 * among them every one a generated flow names, so that each flow publishes against an org that
 * models objects.
 */
export function orgObjectsYaml(): string {
  const lines = ['queues:'];
  for (let q = 0; q < ORG_QUEUES; q++) lines.push(`  - ${queueName(q)}`);
  lines.push('dataActions:');
  for (let a = 0; a < ORG_DATA_ACTIONS; a++)
    lines.push(`  - {integration: ${DATA_ACTIONS_INTEGRATION}, name: ${dataActionName(a)}}`);
  lines.push('');
  return lines.join('\n');
}

export function moduleName(m: number, options: FlowOptions = {}): string {
  return options.seed === undefined ? `Module ${m}` : `Module ${String(m).padStart(3, '0')} - Shared Step`;
}

export function callerName(i: number, options: FlowOptions = {}): string {
  return options.seed === undefined ? `Line ${i}` : `Line ${String(i).padStart(4, '0')}`;
}

export function moduleYaml(m: number, options: FlowOptions = {}): string {
  if (options.seed === undefined) return smallModuleYaml(m, options.tts ?? `Module ${m} says hello.`);
  const random = createRandom(options.seed * 7919 + m);
  const lines = [
    'commonModule:',
    `  name: ${moduleName(m, options)}`,
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

/** An inbound call flow whose startup task calls module `module`; realistic: 20-200 actions, sometimes a second task. */
export function callerYaml(i: number, module: number, options: FlowOptions = {}): string {
  if (options.seed === undefined) return smallCallerYaml(i, module, options.actions ?? 3);
  const random = createRandom(options.seed * 104729 + i);
  const tasks = random() < 0.4 ? 2 : 1;
  const lines = [
    'inboundCall:',
    `  name: ${callerName(i, options)}`,
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
    lines.push(
      '    - task:',
      `        name: ${t === 1 ? 'Startup' : `Follow up ${t}`}`,
      `        refId: ${t === 1 ? 'Startup' : 'Follow'}_${t}`,
      '        actions:',
    );
    const pad = '          ';
    if (t === 1) {
      lines.push(
        `${pad}- callCommonModule:`,
        `${pad}    name: Shared step`,
        `${pad}    commonModule:`,
        `${pad}      ${moduleName(module, options)}:`,
        `${pad}        ver_latestPublished:`,
        `${pad}          none: true`,
      );
    }
    const steps = int(random, 20, 200);
    for (let s = 1; s <= steps; s++) lines.push(...action(random, i, t, s, pad));
    if (t === 1 && tasks > 1)
      lines.push(
        `${pad}- jumpToTask:`,
        `${pad}    name: To follow up`,
        `${pad}    targetTaskRef: "/inboundCall/tasks/task[Follow_2]"`,
      );
    else {
      lines.push(
        `${pad}- callData:`,
        `${pad}    name: Look up the caller`,
        `${pad}    category:`,
        `${pad}      ${DATA_ACTIONS_INTEGRATION}:`,
        `${pad}        dataAction:`,
        `${pad}          ${dataActionName(i)}:`,
        `${pad}            inputs:`,
        `${pad}              phoneNumber:`,
        `${pad}                exp: Call.Ani`,
        `${pad}- transferToAcd:`,
        `${pad}    name: To the queue`,
        `${pad}    targetQueue:`,
        `${pad}      lit:`,
        `${pad}        name: ${queueName(i % 25)}`,
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

function smallModuleYaml(m: number, tts: string): string {
  return [
    'commonModule:',
    `  name: Module ${m}`,
    '  settingsCommonModule:',
    '    compatibleFlowTypes:',
    '      - flowType: inboundcall',
    '  startUpTaskActions:',
    '    - playAudio:',
    '        name: Hello',
    `        audio: {tts: "${tts}"}`,
    '    - endTask: {name: Exit}',
    '',
  ].join('\n');
}

function smallCallerYaml(i: number, module: number, actions: number): string {
  const plays = Array.from({ length: actions }, (_, a) =>
    [
      `          - playAudio:`,
      `              name: Step ${a + 1}`,
      `              audio: {tts: "Line ${i} step ${a + 1}"}`,
    ].join('\n'),
  );
  return [
    'inboundCall:',
    `  name: Line ${i}`,
    '  startUpRef: "/inboundCall/tasks/task[start]"',
    '  tasks:',
    '    - task:',
    '        name: Start',
    '        refId: start',
    '        actions:',
    '          - callCommonModule:',
    '              name: Shared',
    '              commonModule:',
    `                Module ${module}:`,
    '                  ver_latestPublished:',
    ...plays,
    '          - disconnect: {name: Bye}',
    '',
  ].join('\n');
}

export interface GeneratedOrg {
  /** The flows repository: flowops.yaml, flows/modules/, flows/inbound/ (a git repository with one commit when asked). */
  dir: string;
  /** The same flows, to seed the emulator (the live org). */
  seedDir: string;
  /** The org's objects that the flows name, for `flowops emulator --objects` (orgObjectsYaml). */
  objectsFile: string;
  flows: number;
  modules: number;
  /** Caller index -> module index. */
  moduleOfCaller: number[];
  /** Bytes of flow YAML in the repository. */
  bytes: number;
  options: FlowOptions;
}

export const BENCH_ENVIRONMENT = 'bench';

/** Where module `m` and caller `i` are in the repository `dir`. */
export const modulePath = (dir: string, m: number): string => join(dir, 'flows', 'modules', `module-${m}.yaml`);
export const callerPath = (dir: string, i: number): string => join(dir, 'flows', 'inbound', `line-${i}.yaml`);

/**
 * `flows` flows of which `modules` are common modules; callers are spread evenly over the modules.
 * `git`: the repository is a git repository (so apply writes audit notes and drift reads them back).
 * `environment`: the one environment of flowops.yaml, the default.
 */
export function generateOrg(
  flows: number,
  modules: number,
  options: FlowOptions & { git?: boolean; environment?: string } = {},
): GeneratedOrg {
  const { git: asGit = false, environment = 'test', ...flowOptions } = options;
  const root = mkdtempSync(join(tmpdir(), 'flowops-org-'));
  const dir = join(root, 'repo');
  const seedDir = join(root, 'seed');
  mkdirSync(join(dir, 'flows', 'modules'), { recursive: true });
  mkdirSync(join(dir, 'flows', 'inbound'), { recursive: true });
  mkdirSync(seedDir);
  const objectsFile = join(root, 'objects.yaml');
  writeFileSync(objectsFile, orgObjectsYaml());
  writeFileSync(
    join(dir, 'flowops.yaml'),
    `flows: flows/**/*.yaml\ndefaultEnvironment: ${environment}\nenvironments:\n  ${environment}:\n    region: mypurecloud.com\n`,
  );
  writeFileSync(join(dir, '.gitignore'), '.flowops/\n*.json\n*.md\n');
  let bytes = 0;
  const write = (path: string, seedName: string, text: string) => {
    writeFileSync(path, text);
    writeFileSync(join(seedDir, seedName), text);
    bytes += Buffer.byteLength(text);
  };
  for (let m = 0; m < modules; m++) write(modulePath(dir, m), `module-${m}.yaml`, moduleYaml(m, flowOptions));
  const moduleOfCaller: number[] = [];
  for (let i = 0; i < flows - modules; i++) {
    const m = i % modules;
    moduleOfCaller.push(m);
    write(callerPath(dir, i), `line-${i}.yaml`, callerYaml(i, m, flowOptions));
  }
  if (asGit) {
    git(dir, ['init', '-q', '-b', 'main']);
    commitAll(dir, 'the org as it is');
  }
  return { dir, seedDir, objectsFile, flows, modules, moduleOfCaller, bytes, options: flowOptions };
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'bench@example.invalid',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'bench@example.invalid',
    },
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
    editFirstPrompt(callerPath(org.dir, i), marker);
    changed.push(callerName(i, org.options));
  }
  return changed;
}

/**
 * Changes every flow (one prompt each): the first apply after it publishes every flow, so that the
 * org is flowops' own, as a real org is once flowops has applied it. Returns how many flows changed.
 */
export function changeAll(org: GeneratedOrg, marker: string): number {
  for (let m = 0; m < org.modules; m++) editFirstPrompt(modulePath(org.dir, m), marker);
  for (let i = 0; i < org.flows - org.modules; i++) editFirstPrompt(callerPath(org.dir, i), marker);
  return org.flows;
}

/** Changes one module: it is updated and every caller of it republished after it. */
export function changeModule(org: GeneratedOrg, m: number, marker: string): number {
  editFirstPrompt(modulePath(org.dir, m), marker);
  return org.moduleOfCaller.filter((x) => x === m).length;
}
