import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/workspace/load-workspace.js';
import { flowTypeLine } from '../../src/workspace/outside-files.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const flow = (type: string, name: string) =>
  `${type}:\n  name: ${name}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n`;
const module = (name: string) => `commonModule:\n  name: ${name}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n`;
const config = (extra = '') =>
  `${extra}environments:\n  test:\n    region: mypurecloud.com\n    seed: seed\n    substitutions: {old_name: Old Line}\n`;

describe('no flow file left out silently', () => {
  it('the default flows glob takes .yaml and .yml files', async () => {
    const dir = tempDir({ 'flowops.yaml': config(), 'flows/a.yaml': module('A'), 'flows/sub/b.yml': module('B') });
    const workspace = await loadWorkspace({ cwd: dir });
    expect(workspace.sources.map((s) => s.path)).toEqual(['flows/a.yaml', 'flows/sub/b.yml']);
    expect(workspace.outside).toEqual([]);
  });

  it('lists the YAML files outside the globs that read like flows, with the flow each describes (substituted)', async () => {
    const dir = tempDir({
      'flowops.yaml': config('ignore: [fixtures/**]\n'),
      'flows/a.yaml': module('A'),
      'docs/old-flow.yml': `# an old copy\n${flow('inboundCall', '"{{old_name}}"')}`,
      'docs/nameless.yaml': 'commonModule:\n  startUpTaskActions: []\n',
      'docs/notes.yaml': 'title: not a flow\nitems:\n  inboundCall:\n    name: X\n',
      'action.yml': 'name: a GitHub action\nruns:\n  using: composite\n',
      'fixtures/f.yaml': module('Fixture'),
      'seed/s.yaml': module('Seeded'),
      'node_modules/pkg/flow.yaml': module('Dependency'),
      '.github/flow.yaml': module('Dot'),
      '.flowops/flow.yaml': module('Cache'),
    });
    const workspace = await loadWorkspace({ cwd: dir });
    expect(workspace.sources.map((s) => s.path)).toEqual(['flows/a.yaml']);
    expect(workspace.outside).toEqual([
      { path: 'docs/nameless.yaml', type: 'commonmodule', line: 1 },
      { path: 'docs/old-flow.yml', type: 'inboundcall', name: 'Old Line', line: 2 },
    ]);
    // Files named on the command line leave nothing out; paths are shown relative to the working folder.
    expect((await loadWorkspace({ cwd: dir, paths: ['flows'] })).outside).toEqual([]);
    const elsewhere = await loadWorkspace({ cwd: join(dir, 'docs'), configPath: '../flowops.yaml' });
    expect(elsewhere.outside.map((f) => f.path)).toEqual(['nameless.yaml', 'old-flow.yml']);
  });

  it('`ignore` takes files out of the flows globs too', async () => {
    const dir = tempDir({
      'flowops.yaml': config('ignore: flows/drafts/**\n'),
      'flows/a.yaml': module('A'),
      'flows/drafts/b.yaml': module('B'),
    });
    const workspace = await loadWorkspace({ cwd: dir });
    expect(workspace.sources.map((s) => s.path)).toEqual(['flows/a.yaml']);
    expect(workspace.outside).toEqual([]);
  });

  it('flowTypeLine finds the first top-level key, as guessFlowIdentity does', () => {
    expect(flowTypeLine('# c\n\ninqueueCall:  # note\n  name: Q\n')).toEqual({ type: 'inqueuecall', line: 3 });
    expect(flowTypeLine('services:\n  inboundCall:\n')).toBeUndefined();
    expect(flowTypeLine('')).toBeUndefined();
  });

  it('validate lists them as warnings, at most 20, and says how many more; --json too', async () => {
    const files: Record<string, string> = { 'flowops.yaml': config(), 'flows/a.yaml': module('A') };
    for (let i = 1; i <= 23; i++)
      files[`old/flow-${String(i).padStart(2, '0')}.yml`] = flow('inboundCall', `Line ${i}`);
    const dir = tempDir(files);
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      `old/flow-01.yml:1:1: warning: not a flow file of this project (no 'flows' glob takes it), though it reads like inboundcall "Line 1": add it to flows or to ignore in flowops.yaml`,
    );
    expect(lines.filter((l) => l.includes('not a flow file of this project'))).toHaveLength(20);
    expect(lines.at(-2)).toBe("... and 3 more YAML files reading like flows that no 'flows' glob takes.");
    expect(lines.at(-1)).toBe('1 flow valid in 1 file, 20 warnings (environment test).');
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd: dir })).stdout);
    expect(json.notFlowFiles.count).toBe(23);
    expect(json.notFlowFiles.files).toHaveLength(20);
    expect(json.notFlowFiles.files[0]).toEqual({ path: 'old/flow-01.yml', type: 'inboundcall', name: 'Line 1' });
    expect(json.diagnostics.filter((d: { code: string }) => d.code === 'not-a-flow-file')).toHaveLength(20);
    const gh = await runCli(['validate'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(gh.stdout).toContain('::warning file=old/flow-01.yml,line=1,col=1::not a flow file of this project');
  });
});
