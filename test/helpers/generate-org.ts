import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function moduleYaml(i: number, tts = `Module ${i} says hello.`): string {
  return [
    'commonModule:',
    `  name: Module ${i}`,
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

export function callerYaml(i: number, module: number, actions = 3): string {
  const plays = Array.from({ length: actions }, (_, a) => [`          - playAudio:`, `              name: Step ${a + 1}`, `              audio: {tts: "Line ${i} step ${a + 1}"}`].join('\n'));
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

/** A repository (flowops.yaml + flows/) and a seed folder with the same N flows: M modules, the rest callers. */
export function makeGeneratedRepo(total: number, modules: number): { dir: string; seedDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowops-gen-'));
  const seedDir = join(dir, 'seed');
  mkdirSync(join(dir, 'flows'));
  mkdirSync(seedDir);
  writeFileSync(join(dir, 'flowops.yaml'), 'flows: flows/*.yaml\nenvironments:\n  test:\n    region: mypurecloud.com\n');
  for (let m = 0; m < modules; m++) {
    writeFileSync(join(dir, 'flows', `module-${m}.yaml`), moduleYaml(m));
    writeFileSync(join(seedDir, `module-${m}.yaml`), moduleYaml(m));
  }
  for (let i = 0; i < total - modules; i++) {
    writeFileSync(join(dir, 'flows', `line-${i}.yaml`), callerYaml(i, i % modules));
    writeFileSync(join(seedDir, `line-${i}.yaml`), callerYaml(i, i % modules));
  }
  return { dir, seedDir };
}
