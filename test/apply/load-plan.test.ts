import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../src/apply/load-plan.js';
import { ConfigError } from '../../src/errors.js';

const fingerprint = 'f1:AbCdEfGhIjKlMnOpQrSt_-';
const hash = (c: string) => `sha256:${c.repeat(64)}`;
const flows = [
  {
    id: 'commonmodule:Greeting',
    type: 'commonmodule',
    name: 'Greeting',
    action: 'update',
    path: 'flows/m.yaml',
    liveFlowId: 'm1',
    livePublishedVersion: {
      id: '3.0',
      datePublished: '2026-11-20T10:00:00Z',
      createdBy: 'other-tool',
      createdByClientId: 'other-tool',
    },
    liveHash: hash('a'),
    desiredHash: hash('b'),
    desiredFingerprint: fingerprint,
    comparedBy: 'content',
    patch: [
      { op: 'test', path: '/commonModule/description', value: 'x' },
      { op: 'replace', path: '/commonModule/description', value: 'y' },
    ],
    changes: [{ kind: 'replace', where: 'description', path: '/commonModule/description', from: 'x', to: 'y' }],
    dependsOn: [],
  },
  {
    id: 'inboundcall:Main Line',
    type: 'inboundcall',
    name: 'Main Line',
    action: 'unchanged',
    path: 'flows/a.yaml',
    liveFlowId: 'c1',
    livePublishedVersion: { id: '7.0', createdBy: 'flowops-client', createdByClientId: 'flowops-client' },
    desiredHash: hash('c'),
    desiredFingerprint: 'f1:ZyXwVuTsRqPoNmLkJiHg01',
    comparedBy: 'identity',
    patch: [],
    changes: [],
    dependsOn: ['commonmodule:Greeting'],
  },
];
const plan = {
  formatVersion: 2,
  environment: 'prod',
  createdAt: '2026-11-24T12:00:00.000Z',
  flows,
  summary: { create: 0, update: 1, republish: 0, delete: 0, unchanged: 1 },
  unmanaged: [],
};

function messageOf(text: string, env = 'prod'): string {
  try {
    parsePlanFile('plan.json', text, env);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).diagnostics[0]!.message;
  }
}

const withFlow = (change: Record<string, unknown>) =>
  JSON.stringify({ ...plan, flows: [{ ...flows[0], ...change }, flows[1]] });

describe('a saved plan is checked before anything is done with it', () => {
  it('accepts a valid plan of format 2 for this environment, with its fingerprints, how each flow was compared and who created the live versions', () => {
    expect(messageOf(JSON.stringify(plan))).toBe('accepted');
    expect(parsePlanFile('plan.json', JSON.stringify(plan), 'prod')).toEqual(plan);
    expect(messageOf(JSON.stringify({ ...plan, flows: [] }))).toBe('accepted');
  });

  it('refuses another environment, a plan of format 1 (made before identity) or none, broken JSON and a plan that is not one', () => {
    expect(messageOf(JSON.stringify(plan), 'staging')).toBe(
      'this plan is for environment "prod", not "staging": refusing to apply it here',
    );
    expect(messageOf(JSON.stringify({ ...plan, formatVersion: 1 }))).toBe(
      'plan format 1 is not one this flowops reads (2): make the plan again with this version',
    );
    expect(messageOf(JSON.stringify({ ...plan, formatVersion: 3 }))).toBe(
      'plan format 3 is not one this flowops reads (2): make the plan again with this version',
    );
    const { formatVersion: _none, ...unversioned } = plan;
    expect(messageOf(JSON.stringify(unversioned))).toBe(
      'plan format undefined is not one this flowops reads (2): make the plan again with this version',
    );
    expect(messageOf('{"formatVersion": 2,')).toMatch(/^not a plan file: /);
    expect(messageOf(JSON.stringify({ ...plan, flows: [{ id: 'x' }] }))).toMatch(/^not a valid plan: \/flows\/0 /);
  });

  it('refuses a fingerprint or a comparison it does not know', () => {
    expect(messageOf(withFlow({ desiredFingerprint: 'sha256:abc' }))).toMatch(
      /^not a valid plan: \/flows\/0\/desiredFingerprint /,
    );
    expect(messageOf(withFlow({ desiredFingerprint: 'f1:not base64url!' }))).toMatch(
      /^not a valid plan: \/flows\/0\/desiredFingerprint /,
    );
    expect(messageOf(withFlow({ comparedBy: 'guess' }))).toMatch(/^not a valid plan: \/flows\/0\/comparedBy /);
    expect(messageOf(withFlow({ livePublishedVersion: { id: '3.0', createdByClientId: 7 } }))).toMatch(
      /^not a valid plan: \/flows\/0\/livePublishedVersion\/createdByClientId /,
    );
  });
});
