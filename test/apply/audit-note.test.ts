import { describe, expect, it } from 'vitest';
import { isPublishedText, withAuditNote } from '../../src/plan/audit-note.js';
import { canonicalize, hashDocument } from '../../src/plan/canonicalize.js';
import { appliedCommitOf } from '../../src/plan/drift.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';
import { substitute } from '../../src/spec/substitute.js';
import { blueprintsDir, blueprintSubstitutions, listYaml } from '../helpers/fixtures.js';

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

describe('the audit note by line edit', () => {
  /** The note as the YAML Document would put it (the way it is done where the line edit declines). */
  function byDocument(yaml: string, commit: string): unknown {
    const doc = parseDocument(yaml);
    const key = (doc.contents as { items: Array<{ key: { value: string } }> }).items[0]!.key.value;
    const current = doc.getIn([key, 'description']);
    const base = typeof current === 'string' ? current.replace(/\s*\[flowops [^\]]*\]\s*$/, '') : '';
    doc.setIn([key, 'description'], `${base}${base ? ' ' : ''}[flowops ${commit}]`);
    return parse(doc.toString({ lineWidth: 0 }));
  }

  it('gives the same document as the YAML Document would, keeping the rest of the text as written', () => {
    const texts = [
      ...listYaml(blueprintsDir).map((f) => substitute(readFileSync(join(blueprintsDir, f), 'utf8'), blueprintSubstitutions).text),
      ...Array.from({ length: 6 }, (_, i) => callerYaml(i, 0, 2)),
      moduleYaml(1, 2),
    ];
    const descriptions = ['', '~', 'Plain words', "'single ''quoted'''", '"double \\"quoted\\" \\u00e9"', 'with # hash', 'x [flowops 1234567 PR #2]', 'a: b?', '"\\x7f"', '42', '|', '>-'];
    for (const text of texts) {
      for (const d of descriptions) {
        const withDescription = text.replace(/^(\s+)description:.*$/m, `$1description: ${d}`);
        for (const candidate of [withDescription, text.replace(/^\s+description:.*\n/m, '')]) {
          if (parseDocument(candidate).errors.length) continue;
          const noted = withAuditNote(candidate, 'abc1234');
          expect(parse(noted), `${d}\n${candidate.slice(0, 200)}`).toEqual(byDocument(candidate, 'abc1234'));
        }
      }
    }
    // A one-line edit: all but that line (or the one added) unchanged.
    const before = callerYaml(0, 0, 2);
    const after = withAuditNote(before, 'abc1234');
    const changed = after.split('\n').filter((line, i, all) => all.length === before.split('\n').length ? line !== before.split('\n')[i] : !before.split('\n').includes(line));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^\s+description: ".*\[flowops abc1234\]"$/);
  });
});

describe('isPublishedText: what apply publishes for a file, recognised without parsing', () => {
  it('recognises the file as written and with any commit\'s note, and then the documents compare equal', () => {
    const texts = [
      ...listYaml(blueprintsDir).map((f) => substitute(readFileSync(join(blueprintsDir, f), 'utf8'), blueprintSubstitutions).text),
      callerYaml(3, 1, 2),
      moduleYaml(2, 2),
      'commonModule:\n  name: M\n  startUpTaskActions: []\n',
      'inboundCall:\n  name: N\n  description: |\n    block\n  startUpRef: x\n',
    ];
    for (const desired of texts) {
      for (const published of [desired, withAuditNote(desired, 'abc1234'), withAuditNote(desired, 'abc1234+dirty', 42), withAuditNote(withAuditNote(desired, '1111111'), 'def5678', 7)]) {
        expect(isPublishedText(desired, published), published.slice(0, 120)).toBe(true);
        expect(hashDocument(canonicalize(parse(published)))).toBe(hashDocument(canonicalize(parse(desired))));
      }
      // Anything else is not recognised: the caller compares documents.
      const edited = withAuditNote(desired.replace(/name: (\S)/, 'name: X$1'), 'abc1234');
      expect(isPublishedText(desired, edited)).toBe(false);
      expect(isPublishedText(desired, `${withAuditNote(desired, 'abc1234')}# a comment\n`)).toBe(false);
      expect(isPublishedText(desired, desired.replace(/\n/g, '\r\n'))).toBe(desired.includes('\n') ? false : true);
    }
  });
});
