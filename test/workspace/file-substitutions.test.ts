/**
 * Which files `files` entries of flowops.yaml give values of their own, as a run reads the project:
 * globs relative to flowops.yaml wherever flowops runs from, entries that match nothing warned about.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/workspace/load-workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const flow = 'inboundCall:\n  name: {{flow_name}}\n  startUpTaskActions:\n    - endTask: {name: Exit}\n';
const config = `environments:
  test:
    emulator: true
    substitutions: {flow_name: Park}
files:
  - match: flows/park/*.yaml
    substitutions: {flow_name: Parked}
  - match: flows/park/b.yaml
    substitutions: {flow_name: Park B}
  - match: flows/typo/*.yaml
    substitutions: {flow_name: Nobody}
  - match: docs/*.yaml
    substitutions: {flow_name: Old Park}
`;

describe('files entries, as a run reads the project', () => {
  const dir = tempDir({
    'flowops.yaml': config,
    'flows/park/a.yaml': flow,
    'flows/park/b.yaml': flow,
    'flows/other.yaml': flow,
    'docs/old.yaml': flow,
  });

  it('give the files they match their values, by the path the check knows them by, from any folder', async () => {
    const here = await loadWorkspace({ cwd: dir });
    expect(Object.fromEntries(Object.entries(here.fileSubstitutions).map(([p, f]) => [p, f.values.flow_name]))).toEqual(
      { 'flows/park/a.yaml': 'Parked', 'flows/park/b.yaml': 'Park B' },
    );
    const below = await loadWorkspace({ cwd: join(dir, 'flows'), configPath: '../flowops.yaml' });
    expect(Object.keys(below.fileSubstitutions)).toEqual(['park/a.yaml', 'park/b.yaml']);
  });

  it('an entry that matches no flow file is a warning at its line (none when files are named on the command line)', async () => {
    const workspace = await loadWorkspace({ cwd: dir });
    expect(workspace.configWarnings).toEqual([
      {
        severity: 'warning',
        code: 'unused-files-entry',
        message: 'files[2]: no flow file matches flows/typo/*.yaml: its substitutions are used nowhere',
        file: 'flowops.yaml',
        line: 10,
        col: 5,
      },
      expect.objectContaining({ message: expect.stringMatching(/^files\[3\]: no flow file matches docs/) }),
    ]);
    expect((await loadWorkspace({ cwd: dir, paths: ['flows/park/a.yaml'] })).configWarnings).toEqual([]);
  });

  it('a file outside the flows globs is listed with the name its own values give it', async () => {
    const workspace = await loadWorkspace({ cwd: dir });
    expect(workspace.outside).toEqual([{ path: 'docs/old.yaml', type: 'inboundcall', name: 'Old Park', line: 1 }]);
  });
});
