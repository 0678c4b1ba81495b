import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  withAuditNote,
  canonicalHash,
  fingerprintKeyOf,
  fingerprintOf,
  formatNote,
  readNote,
} from '../../src/identity/index.js';
import { checkFlowSources, desiredDocument } from '../../src/check/index.js';

const flow = `inboundCall:\n  name: Partner Line\n  description: Calls the partner\n  startUpRef: "/inboundCall/tasks/task[t]"\n  tasks:\n    - task:\n        name: Start\n        refId: t\n        actions:\n          - setParticipantData:\n              name: Key\n              attributes:\n                - attribute:\n                    name: {lit: partner}\n                    value: {lit: "{{partner_key}}"}\n          - disconnect: {name: Bye}\n`;

function desiredWith(secret: string) {
  const r = checkFlowSources([{ path: 'p.yaml', text: flow }], { substitutions: { partner_key: secret } });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.flows[0]!;
}

describe('the audit note and its fingerprint', () => {
  it('reads back what it wrote: commit, pull request, fingerprint', () => {
    const note = formatNote({ commit: 'abc1234+dirty', pullRequest: 12, fingerprint: 'f1:AbCdEfGhIjKlMnOpQrStUv' });
    expect(note).toBe('[flowops abc1234+dirty PR #12 f1:AbCdEfGhIjKlMnOpQrStUv]');
    expect(readNote(`Routes calls ${note}`)).toEqual({
      commit: 'abc1234+dirty',
      pullRequest: 12,
      fingerprint: 'f1:AbCdEfGhIjKlMnOpQrStUv',
    });
    expect(readNote(formatNote({ fingerprint: 'f1:x' }))).toEqual({ fingerprint: 'f1:x' });
    // A note of an older flowops (commit only) is a note without a fingerprint; text that is not one is none.
    expect(readNote('Routes calls [flowops abc1234]')).toEqual({ commit: 'abc1234' });
    for (const text of ['Routes calls', '[flowops abc1234] then more', undefined, ''])
      expect(readNote(text)).toBeUndefined();
  });

  it('is in the published description, replacing an older note', () => {
    const once = withAuditNote(flow, { commit: 'abc1234', fingerprint: 'f1:one' });
    const twice = withAuditNote(once, { commit: 'def5678', fingerprint: 'f1:two' });
    expect(twice).toContain('description: "Calls the partner [flowops def5678 f1:two]"');
    expect(twice.match(/\[flowops/g)).toHaveLength(1);
  });

  it('changes with the content and the key, not with formatting', () => {
    const key = fingerprintKeyOf('client-secret');
    const a = desiredWith('k-1');
    expect(fingerprintOf(canonicalHash(desiredDocument(a)), key)).toMatch(/^f1:[A-Za-z0-9_-]{22}$/);
    expect(fingerprintOf(canonicalHash(desiredDocument(desiredWith('k-2'))), key)).not.toBe(
      fingerprintOf(canonicalHash(desiredDocument(a)), key),
    );
    expect(fingerprintOf(canonicalHash(desiredDocument(a)), fingerprintKeyOf('other-secret'))).not.toBe(
      fingerprintOf(canonicalHash(desiredDocument(a)), key),
    );
  });

  it('does not let a reader of the flow recover a secret substitution: guesses cannot be tested without the client secret', () => {
    const secret = '4711';
    const key = fingerprintKeyOf('the OAuth client secret');
    const published = withAuditNote(desiredWith(secret).text, {
      commit: 'abc1234',
      fingerprint: fingerprintOf(canonicalHash(desiredDocument(desiredWith(secret))), key),
    });
    const seen = readNote(/description: "(.*)"/.exec(published)![1])!.fingerprint!;
    // What a reader can do: for every candidate value (the true one among them), work out the content
    // and every hash of it that needs no key. None of them is, or leads to, the fingerprint.
    const candidates = Array.from({ length: 20 }, (_, i) => String(4700 + i));
    expect(candidates).toContain(secret);
    const guesses = new Set<string>();
    for (const candidate of candidates) {
      const hash = canonicalHash(desiredDocument(desiredWith(candidate)));
      guesses.add(hash);
      guesses.add(`f1:${createHash('sha256').update(hash).digest('base64url').slice(0, 22)}`);
      guesses.add(fingerprintOf(hash, ''));
      guesses.add(fingerprintOf(hash, fingerprintKeyOf('')));
    }
    expect(guesses.has(seen)).toBe(false);
    expect(published).not.toContain(key);
    // With the key (the client secret), the true value's content does give it: the test can fail.
    expect(fingerprintOf(canonicalHash(desiredDocument(desiredWith(secret))), key)).toBe(seen);
  });
});
