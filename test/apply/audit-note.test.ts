import { describe, expect, it } from 'vitest';
import { withAuditNote } from '../../src/apply/audit-note.js';
import { canonicalize, hashDocument } from '../../src/plan/canonicalize.js';
import { appliedCommitOf } from '../../src/plan/drift.js';
import { parse } from 'yaml';

const flow = 'inboundCall:\n  name: Main Line\n  description: The main number\n  startUpRef: x\n';

describe('the audit note', () => {
  it('is appended to the description, replaced (not stacked) on the next apply, and read back by drift', () => {
    const once = withAuditNote(flow, 'abc1234');
    expect(parse(once).inboundCall.description).toBe('The main number [flowops abc1234]');
    const twice = withAuditNote(once, 'def5678');
    expect(parse(twice).inboundCall.description).toBe('The main number [flowops def5678]');
    expect(appliedCommitOf(twice)).toBe('def5678');
  });

  it('adds a description when there is none, and never changes what a plan compares', () => {
    const bare = 'commonModule:\n  name: M\n  startUpTaskActions: []\n';
    const noted = withAuditNote(bare, 'abc1234+dirty');
    expect(parse(noted).commonModule.description).toBe('[flowops abc1234+dirty]');
    expect(appliedCommitOf(noted)).toBe('abc1234');
    for (const [a, b] of [[bare, noted], [flow, withAuditNote(flow, 'abc1234')]] as const) {
      expect(hashDocument(canonicalize(parse(b)))).toBe(hashDocument(canonicalize(parse(a))));
    }
  });
});
