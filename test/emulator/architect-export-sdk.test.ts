/**
 * Exports through the official SDK over HTTP: written afresh from the stored flow (not the uploaded
 * bytes), with refIds that last across republishes, in the revision the emulator runs as.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import type { EmulatorState } from '../../src/emulator/state-store.js';
import { login, runJob, type ArchitectApi } from '../helpers/emulator.js';
import { exportFlows, readZip } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';
import { SALES_MENU, START_TASK } from '../helpers/flow-yaml.js';

const upload = `# written by hand
inboundCall:
  name: Export Line
  description: "Hand-written [flowops 1234567]"
  startUpRef: ./tasks/task[start]
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill: {noValue: true}
${SALES_MENU}${START_TASK}          - playAudio: {audio: {tts: Hello}}
          - jumpToMenu: {targetMenuRef: main}
`;
const withTaskAdded = upload.replace(
  '  tasks:\n',
  '  tasks:\n    - task:\n        name: Added\n        actions:\n          - disconnect: {name: Bye}\n',
);

async function exportText(architect: ArchitectApi, id: string, version?: string): Promise<string> {
  const exported = await exportFlows(architect, [{ flow: version ? { id, version } : { id } }]);
  expect(exported.state.status).toBe('Success');
  return exported.body?.toString('utf8') ?? '';
}

async function withOrg<T>(options: EmulatorOptions, run: (architect: ArchitectApi) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ port: 0, ...options });
  try {
    return await run((await login(emulator)).architect);
  } finally {
    await emulator.close();
  }
}

describe('export jobs write the flow afresh', () => {
  test('publish by a job, export by an export job: regenerated refIds that last; the other revision on the same state', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const { id, first, second } = await withOrg({ stateFile }, async (architect) => {
      const job = await runJob(architect, upload);
      expect(job.status).toBe('Success');
      const flowId = job.flow?.id ?? '';
      const v1 = await exportText(architect, flowId);
      expect((await runJob(architect, withTaskAdded)).status).toBe('Success');
      return { id: flowId, first: v1, second: await exportText(architect, flowId) };
    });
    expect(first).not.toBe(upload);
    expect(first).not.toContain('# written by hand');
    expect(first).toContain('  description: "Hand-written [flowops 1234567]"\n');
    expect(first).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
    expect(first).toContain('refId: Main Menu_10');
    expect(first).toContain('targetMenuRef: "/inboundCall/menus/menu[Main Menu_10]"');
    expect(first).toContain('name: Menu Transfer To ACD');
    expect(first).toContain('directAgent:');
    expect(first).not.toContain('callBridge');
    // Version 2 keeps the numbers of the containers it shares with version 1; the new task gets a new one.
    expect(second).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
    expect(second).toContain('refId: Main Menu_10');
    expect(second).toContain('refId: Added_15\n');

    // The same state file, exported as revision 1: the same versions, other text.
    await withOrg({ stateFile, exportRevision: 1 }, async (architect) => {
      const old = await exportText(architect, id, '1.0');
      expect(old).not.toBe(first);
      expect(old).toContain('callBridge:');
      expect(old).not.toContain('promptMediaToValidate');
      expect(old).not.toContain('suppressRecording');
      expect(old).not.toContain('directAgent');
      expect(old).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
    });
    await withOrg({ stateFile }, async (architect) => expect(await exportText(architect, id, '1.0')).toBe(first));
  });

  test('exportRevision is 1 or 2', async () => {
    await expect(startEmulator({ port: 0, exportRevision: 3 as 2 })).rejects.toThrow(/exportRevision must be 1 or 2/);
  });

  test('several flows still export as a ZIP, each file written afresh', async () => {
    await withOrg({}, async (architect) => {
      const a = await runJob(architect, upload);
      const b = await runJob(architect, upload.replace('name: Export Line', 'name: Other Line'));
      const exported = await exportFlows(architect, [
        { flow: { id: a.flow?.id ?? '' } },
        { flow: { id: b.flow?.id ?? '' } },
      ]);
      expect(exported.contentType).toBe('application/zip');
      const files = readZip(exported.body ?? Buffer.alloc(0));
      expect([...files.keys()]).toEqual(['Export_Line.yaml', 'Other_Line.yaml']);
      for (const data of files.values()) expect(data.toString()).toContain('refId: Main Menu_10');
    });
  });

  test('a draft saved as JSON, checked in and published: its JSON is the stored flow, and what exports', async () => {
    await withOrg({}, async (architect) => {
      const id = (await runJob(architect, upload)).flow?.id ?? '';
      const configuration = (await architect.getFlowVersionConfiguration(id, '1.0')) as {
        inboundCall: Record<string, unknown>;
      };
      expect(configuration.inboundCall).toMatchObject({ name: 'Export Line', startUpRef: './tasks/task[start]' });
      configuration.inboundCall.initialGreeting = { tts: 'Saved through the API' };
      await architect.postFlowsActionsCheckout(id);
      await architect.postFlowVersions(id, configuration);
      await architect.postFlowsActionsCheckin(id);
      await architect.postFlowsActionsPublish(id);
      expect(await architect.getFlowVersionConfiguration(id, '2.0')).toEqual(configuration);
      const text = await exportText(architect, id);
      expect((parse(text) as { inboundCall: Record<string, unknown> }).inboundCall.initialGreeting).toEqual({
        tts: 'Saved through the API',
      });
      expect(text).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
    });
  });

  test('seeding publishes as jobs do; a state file of older versions (text only) still loads and exports', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'line.yaml'), upload);
    const stateFile = join(dir, 'state.json');
    await withOrg({ seedDir: dir, stateFile }, async (architect) => {
      const [flow] = (await architect.getFlows({ name: 'Export Line' })).entities ?? [];
      expect(await exportText(architect, flow?.id ?? '')).toContain('refId: Main Menu_10');
    });
    // Rewrite the version as older emulators stored it: the uploaded text, no document, no numbers.
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as EmulatorState;
    const [stored] = Object.values(state.flows);
    stored!.versions = stored!.versions.map(({ document: _d, tracking: _t, ...rest }) => ({
      ...rest,
      content: upload,
      contentType: 'yaml' as const,
    }));
    delete stored!.trackingNext;
    writeFileSync(stateFile, JSON.stringify(state));
    await withOrg({ stateFile }, async (architect) => {
      const text = await exportText(architect, stored!.id);
      expect(text).not.toBe(upload);
      expect(text).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
      expect(await architect.getFlowVersionConfiguration(stored!.id, '1.0')).toMatchObject({
        inboundCall: { name: 'Export Line' },
      });
      // The next version numbers on from the older one's numbers.
      expect((await runJob(architect, withTaskAdded)).status).toBe('Success');
      const next = await exportText(architect, stored!.id);
      expect(next).toContain('startUpRef: "/inboundCall/tasks/task[Start_12]"');
      expect(next).toContain('refId: Added_15\n');
    });
  });
});
