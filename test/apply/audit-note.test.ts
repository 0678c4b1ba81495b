import { describe, expect, it } from 'vitest';
import {
  withAuditNote,
  canonicalHash,
  fingerprintKeyOf,
  fingerprintOf,
  formatNote,
  noteCommit,
  readNote,
  normalHash,
  type AuditNote,
} from '../../src/identity/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';
import { substitute } from '../../src/check/substitute.js';
import { blueprintsDir, blueprintSubstitutions, listYaml } from '../helpers/fixtures.js';

const flow = 'inboundCall:\n  name: Main Line\n  description: The main number\n  startUpRef: x\n';
const key = fingerprintKeyOf('secret');
const fp1 = fingerprintOf(`sha256:${'1'.repeat(64)}`, key);
const fp2 = fingerprintOf(`sha256:${'2'.repeat(64)}`, key);
const descriptionOf = (yaml: string): unknown =>
  (Object.values(parse(yaml) as Record<string, { description?: unknown }>)[0] ?? {}).description;

describe('the audit note', () => {
  it('carries the commit, the pull request and the fingerprint, which readNote reads back; the next apply replaces it, never stacks it', () => {
    const once = withAuditNote(flow, { commit: 'abc1234', pullRequest: 12, fingerprint: fp1 });
    expect(descriptionOf(once)).toBe(`The main number [flowops abc1234 PR #12 ${fp1}]`);
    expect(readNote(descriptionOf(once) as string)).toEqual({ commit: 'abc1234', pullRequest: 12, fingerprint: fp1 });
    const twice = withAuditNote(once, { commit: 'def5678', fingerprint: fp2 });
    expect(descriptionOf(twice)).toBe(`The main number [flowops def5678 ${fp2}]`);
    expect(twice.match(/\[flowops/g)).toHaveLength(1);
    expect(readNote(descriptionOf(twice) as string)).toEqual({ commit: 'def5678', fingerprint: fp2 });
    // Only the description line changed.
    expect(twice.replace(/^ {2}description:.*$/m, '')).toBe(flow.replace(/^ {2}description:.*$/m, ''));
  });

  it('a fingerprint alone is a note, and so is a commit alone; with neither the file is left as it is', () => {
    expect(descriptionOf(withAuditNote(flow, { fingerprint: fp1 }))).toBe(`The main number [flowops ${fp1}]`);
    expect(readNote(descriptionOf(withAuditNote(flow, { fingerprint: fp1 })) as string)).toEqual({ fingerprint: fp1 });
    expect(readNote(descriptionOf(withAuditNote(flow, { commit: 'abc1234' })) as string)).toEqual({
      commit: 'abc1234',
    });
    expect(withAuditNote(flow, {})).toBe(flow);
    expect(withAuditNote(flow, { pullRequest: 3 })).toBe(flow);
  });

  it('adds a description when there is none (dirty commits marked), and never changes what a plan compares', () => {
    const bare = 'commonModule:\n  name: M\n  startUpTaskActions: []\n';
    const noted = withAuditNote(bare, { commit: 'abc1234+dirty', fingerprint: fp1 });
    expect(descriptionOf(noted)).toBe(`[flowops abc1234+dirty ${fp1}]`);
    const note = readNote(descriptionOf(noted) as string);
    expect(note).toEqual({ commit: 'abc1234+dirty', fingerprint: fp1 });
    expect(noteCommit(note)).toBe('abc1234');
    for (const [a, b] of [
      [bare, noted],
      [flow, withAuditNote(flow, { commit: 'abc1234', pullRequest: 7, fingerprint: fp2 })],
    ] as const) {
      expect(canonicalHash(parse(b))).toBe(canonicalHash(parse(a)));
      expect(normalHash(parse(b))).toBe(normalHash(parse(a)));
    }
  });

  it('readNote reads only a note that ends the description', () => {
    expect(readNote(undefined)).toBeUndefined();
    expect(readNote('The main number')).toBeUndefined();
    expect(readNote(`[flowops abc1234 ${fp1}] and then words`)).toBeUndefined();
    expect(readNote(`The main number[flowops abc1234 ${fp1}]`)).toBeUndefined();
    expect(readNote(`[flowops abc1234 ${fp1}]`)).toEqual({ commit: 'abc1234', fingerprint: fp1 });
    // A fingerprint of another scheme is read as written (and then matches no fingerprint flowops makes).
    expect(readNote('x [flowops f9:abc]')).toEqual({ fingerprint: 'f9:abc' });
    expect(formatNote({ commit: 'abc1234', pullRequest: 2, fingerprint: fp1 })).toBe(`[flowops abc1234 PR #2 ${fp1}]`);
  });

  it('the fingerprint is keyed by the client secret: stable for a key, another for another key, and the key is not the secret', () => {
    const hash = `sha256:${'a'.repeat(64)}`;
    expect(fingerprintOf(hash, key)).toMatch(/^f1:[A-Za-z0-9_-]{22}$/);
    expect(fingerprintOf(hash, key)).toBe(fingerprintOf(hash, fingerprintKeyOf('secret')));
    expect(fingerprintOf(hash, fingerprintKeyOf('another secret'))).not.toBe(fingerprintOf(hash, key));
    expect(fingerprintOf(`sha256:${'b'.repeat(64)}`, key)).not.toBe(fingerprintOf(hash, key));
    expect(key).not.toContain('secret');
    expect(fingerprintOf(hash, key)).not.toContain(hash.slice(7, 29));
  });
});

describe('the audit note by line edit', () => {
  const audit: AuditNote = { commit: 'abc1234', pullRequest: 9, fingerprint: fp1 };

  /** The note as the YAML Document would put it (the way it is done where the line edit declines). */
  function byDocument(yaml: string, note: string): unknown {
    const doc = parseDocument(yaml);
    const top = (doc.contents as { items: Array<{ key: { value: string } }> }).items[0]!.key.value;
    const current = doc.getIn([top, 'description']);
    const base = typeof current === 'string' ? current.replace(/\s*\[flowops [^\]]*\]\s*$/, '') : '';
    doc.setIn([top, 'description'], `${base}${base ? ' ' : ''}${note}`);
    return parse(doc.toString({ lineWidth: 0 }));
  }

  it('gives the same document as the YAML Document would, keeping the rest of the text as written', () => {
    const texts = [
      ...listYaml(blueprintsDir).map(
        (f) => substitute(readFileSync(join(blueprintsDir, f), 'utf8'), blueprintSubstitutions).text,
      ),
      ...Array.from({ length: 6 }, (_, i) => callerYaml(i, 0, { seed: 2 })),
      moduleYaml(1, { seed: 2 }),
    ];
    const descriptions = [
      '',
      '~',
      'Plain words',
      "'single ''quoted'''",
      '"double \\"quoted\\" \\u00e9"',
      'with # hash',
      'x [flowops 1234567 PR #2]',
      `x [flowops 1234567 ${fp2}]`,
      'a: b?',
      '"\\x7f"',
      '42',
      '|',
      '>-',
    ];
    for (const text of texts) {
      for (const d of descriptions) {
        const withDescription = text.replace(/^(\s+)description:.*$/m, `$1description: ${d}`);
        for (const candidate of [withDescription, text.replace(/^\s+description:.*\n/m, '')]) {
          if (parseDocument(candidate).errors.length) continue;
          const noted = withAuditNote(candidate, audit);
          expect(parse(noted), `${d}\n${candidate.slice(0, 200)}`).toEqual(byDocument(candidate, formatNote(audit)));
        }
      }
    }
    // A one-line edit: all but that line (or the one added) unchanged.
    const before = callerYaml(0, 0, { seed: 2 });
    const after = withAuditNote(before, audit);
    const changed = after
      .split('\n')
      .filter((line, i, all) =>
        all.length === before.split('\n').length ? line !== before.split('\n')[i] : !before.split('\n').includes(line),
      );
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(new RegExp(`^\\s+description: ".*\\[flowops abc1234 PR #9 ${fp1}\\]"$`));
  });
});
