import { describe, expect, it } from 'vitest';
import { parseNameStatus, type ChangedFile } from '../../src/git/changed-files.js';
import {
  flowNameChanges,
  narrowCheck,
  selectChangedFlows,
  withoutRepositoryFlows,
} from '../../src/git/select-changed-flows.js';
import type { Plan } from '../../src/plan/types.js';
import type { CheckResult, DesiredFlow } from '../../src/check/types.js';

// Pure: which flows `flowops plan --changed-since REF` plans, given what git says changed.

const flow = (path: string, type: string, name: string, calls: string[] = []): DesiredFlow => ({
  path,
  key: type,
  type,
  name,
  text: '',
  calls,
  references: [],
});
const flows = [
  flow('flows/m.yaml', 'commonmodule', 'M'),
  flow('flows/n.yaml', 'commonmodule', 'N'),
  flow('flows/a.yaml', 'inboundcall', 'A', ['M']),
  flow('flows/b.yaml', 'inboundcall', 'B', ['M']),
  flow('flows/c.yaml', 'inboundcall', 'C'),
  flow('flows/d.yaml', 'inboundcall', 'D', ['N']),
];
const check: CheckResult = {
  flows,
  diagnostics: [],
  graph: {
    order: ['commonmodule:M', 'commonmodule:N', 'inboundcall:A', 'inboundcall:B', 'inboundcall:C', 'inboundcall:D'],
    callers: { 'commonmodule:M': ['inboundcall:A', 'inboundcall:B'], 'commonmodule:N': ['inboundcall:D'] },
    dependsOn: {
      'commonmodule:M': [],
      'commonmodule:N': [],
      'inboundcall:A': ['commonmodule:M'],
      'inboundcall:B': ['commonmodule:M'],
      'inboundcall:C': [],
      'inboundcall:D': ['commonmodule:N'],
    },
  },
};
const select = (changes: ChangedFile[]) =>
  selectChangedFlows({ flows, graph: check.graph, changes, configPath: 'flowops.yaml' });

describe('selectChangedFlows', () => {
  it('a changed flow that calls nothing: only it', () => {
    expect(select([{ status: 'modified', path: 'flows/c.yaml' }])).toEqual({
      all: false,
      ids: ['inboundcall:C'],
      changed: ['inboundcall:C'],
      callers: [],
      renamed: [],
      deleted: [],
    });
  });

  it('a changed module: it and its callers, modules first; the other module and its caller are left out', () => {
    const s = select([{ status: 'modified', path: './flows/m.yaml' }]);
    expect(s.ids).toEqual(['commonmodule:M', 'inboundcall:A', 'inboundcall:B']);
    expect(s.changed).toEqual(['commonmodule:M']);
    expect(s.callers).toEqual(['inboundcall:A', 'inboundcall:B']);
  });

  it('a caller that changed is not also counted as a caller', () => {
    const s = select([
      { status: 'modified', path: 'flows/m.yaml' },
      { status: 'modified', path: 'flows/a.yaml' },
    ]);
    expect(s.changed).toEqual(['commonmodule:M', 'inboundcall:A']);
    expect(s.callers).toEqual(['inboundcall:B']);
  });

  it('renamed files are followed to the flow they hold now; new files are planned', () => {
    const s = select([
      { status: 'renamed', previousPath: 'flows/old-d.yaml', path: 'flows/d.yaml' },
      { status: 'added', path: 'flows/c.yaml' },
    ]);
    expect(s.ids).toEqual(['inboundcall:C', 'inboundcall:D']);
    expect(s.renamed).toEqual([{ from: 'flows/old-d.yaml', to: 'flows/d.yaml' }]);
  });

  it('files that are not flows change nothing; deleted YAML files are reported', () => {
    const s = select([
      { status: 'modified', path: 'README.md' },
      { status: 'deleted', path: 'flows/gone.yaml' },
      { status: 'deleted', path: 'notes.txt' },
    ]);
    expect(s.ids).toEqual([]);
    expect(s.deleted).toEqual(['flows/gone.yaml']);
  });

  it('a changed config (substitutions, globs) concerns every flow', () => {
    const s = select([{ status: 'modified', path: 'flowops.yaml' }]);
    expect(s.all).toBe(true);
    expect(s.ids).toEqual(check.graph.order);
  });
});

describe('narrowing the check and the plan', () => {
  it('narrowCheck keeps the chosen flows, their order and edges', () => {
    const narrow = narrowCheck(check, ['commonmodule:M', 'inboundcall:A']);
    expect(narrow.flows.map((f) => f.name)).toEqual(['M', 'A']);
    expect(narrow.graph).toEqual({
      order: ['commonmodule:M', 'inboundcall:A'],
      callers: { 'commonmodule:M': ['inboundcall:A'] },
      dependsOn: { 'commonmodule:M': [], 'inboundcall:A': ['commonmodule:M'] },
    });
  });

  it("the repository's other flows are not reported as unmanaged", () => {
    const plan = { unmanaged: ['inboundcall:B', 'inboundcall:Legacy'] } as Plan;
    expect(withoutRepositoryFlows(plan, check).unmanaged).toEqual(['inboundcall:Legacy']);
  });

  it('flowNameChanges finds a flow whose name changed (as written, placeholders and all)', () => {
    expect(
      flowNameChanges([
        { path: 'a.yaml', before: 'inboundCall:\n  name: Main Line\n', after: 'inboundCall:\n  name: Main Hotline\n' },
        {
          path: 'b.yaml',
          before: 'inboundCall:\n  name: Same\n',
          after: 'inboundCall:\n  name: Same\n  description: x\n',
        },
        { path: 'c.yaml', before: 'inboundCall:\n  name: {{x}}\n', after: 'inboundCall:\n  name: X\n' },
        { path: 'd.yaml', before: ': not yaml [', after: 'inboundCall:\n  name: D\n' },
      ]),
    ).toEqual([{ path: 'a.yaml', from: 'Main Line', to: 'Main Hotline' }]);
  });

  it('parseNameStatus reads `git diff --name-status -z`, renames with both paths', () => {
    expect(parseNameStatus('M\0flows/a.yaml\0R087\0flows/old.yaml\0flows/new.yaml\0D\0x.yaml\0A\0y z.yaml\0')).toEqual([
      { status: 'modified', path: 'flows/a.yaml' },
      { status: 'renamed', previousPath: 'flows/old.yaml', path: 'flows/new.yaml' },
      { status: 'deleted', path: 'x.yaml' },
      { status: 'added', path: 'y z.yaml' },
    ]);
  });
});
