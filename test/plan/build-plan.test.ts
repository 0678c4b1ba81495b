import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  canonicalHash,
  withAuditNote,
  fingerprintKeyOf,
  fingerprintOf,
  type AuditNote,
} from '../../src/identity/index.js';
import { liveNeedsContent } from '../../src/plan/build-plan.js';
import { buildPlan, PlanError, type LiveFlow, type PlanInput } from '../../src/plan/index.js';
import { checkFlowSources, desiredDocument, type DesiredFlow } from '../../src/check/index.js';

const module = (tts: string) =>
  `commonModule:\n  name: Greeting\n  startUpTaskActions:\n    - playAudio:\n        name: Hello\n        audio: {tts: "${tts}"}\n    - endTask: {name: Exit}\n`;
const caller = (name: string) =>
  `inboundCall:\n  name: ${name}\n  description: The ${name}\n  startUpRef: "/inboundCall/tasks/task[s]"\n  tasks:\n    - task:\n        name: Start\n        refId: s\n        actions:\n          - callCommonModule:\n              name: Greet\n              commonModule:\n                Greeting:\n                  ver_latestPublished:\n          - disconnect: {name: Bye}\n`;
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const OWN_CLIENT = 'flowops-client';
const identity = { clientId: OWN_CLIENT, fingerprintKey: fingerprintKeyOf('secret') };

function desired(files: Record<string, string>, externalModules: string[] = []) {
  const r = checkFlowSources(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { externalModules },
  );
  expect(r.diagnostics).toEqual([]);
  return r;
}

/** A flow a person published (in the Architect UI), with its export when given. */
function live(id: string, type: string, name: string, content?: string, version = '3.0'): LiveFlow {
  const flow: LiveFlow = {
    id,
    type,
    name,
    publishedVersion: { id: version, datePublished: '2026-11-01T10:00:00Z', createdBy: 'Jane Admin' },
  };
  if (content !== undefined) flow.content = content;
  return flow;
}

/** Who created a version: flowops' own client, another client, or a person (no client id). */
type Creator = { client: string } | { person: string };
const own: Creator = { client: OWN_CLIENT };

/**
 * A flow whose published version `by` created from `flow`'s text with `note` in its description, as
 * the listing shows it (the flow's description is the file's); without its export unless asked.
 */
function published(
  id: string,
  flow: DesiredFlow,
  note: AuditNote,
  by: Creator = own,
  opts: { content?: boolean; version?: string } = {},
): LiveFlow {
  const text = withAuditNote(flow.text, note);
  const version = {
    id: opts.version ?? '4.0',
    datePublished: '2026-11-20T10:00:00Z',
    createdBy: 'client' in by ? by.client : by.person,
  };
  const entity: LiveFlow = {
    id,
    type: flow.type,
    name: flow.name,
    publishedVersion: 'client' in by ? { ...version, createdByClientId: by.client } : version,
  };
  const description = (parse(text) as Record<string, { description?: string }>)[flow.key]!.description;
  if (description !== undefined) entity.description = description;
  if (opts.content) entity.content = text;
  return entity;
}

/** The fingerprint flowops writes for a desired flow (the key made from the client secret). */
const fingerprint = (flow: DesiredFlow, key = identity.fingerprintKey) =>
  fingerprintOf(canonicalHash(desiredDocument(flow)), key);
const named = (flows: DesiredFlow[], name: string) => flows.find((f) => f.name === name)!;

const base = { environment: 'prod', createdAt: '2026-11-24T12:00:00Z', gitCommit: 'abc1234', identity };
const plan = (input: Omit<PlanInput, keyof typeof base>) => buildPlan({ ...base, ...input });

describe('buildPlan', () => {
  it('creates what the org lacks, in dependency order (module first), each with the fingerprint of its content, in plan format 2', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const p = plan({ desired: r.flows, graph: r.graph, live: [] });
    expect(p.flows.map((f) => [f.id, f.action])).toEqual([
      ['commonmodule:Greeting', 'create'],
      ['inboundcall:Main Line', 'create'],
    ]);
    expect(p.flows[1]!.dependsOn).toEqual(['commonmodule:Greeting']);
    expect(p.summary).toEqual({ create: 2, update: 0, republish: 0, delete: 0, unchanged: 0 });
    expect(p.formatVersion).toBe(2);
    for (const f of p.flows) {
      expect(f.desiredFingerprint).toMatch(/^f1:[A-Za-z0-9_-]{22}$/);
      expect(f.desiredFingerprint).toBe(fingerprint(named(r.flows, f.name)));
      expect(f.comparedBy).toBeUndefined();
    }
    expect(p.flows[0]!.desiredFingerprint).not.toBe(p.flows[1]!.desiredFingerprint);
    // Keyed: another client secret, another fingerprint of the same content.
    const other = buildPlan({
      ...base,
      identity: { clientId: OWN_CLIENT, fingerprintKey: fingerprintKeyOf('another secret') },
      desired: r.flows,
      graph: r.graph,
      live: [],
    });
    expect(other.flows[0]!.desiredHash).toBe(p.flows[0]!.desiredHash);
    expect(other.flows[0]!.desiredFingerprint).not.toBe(p.flows[0]!.desiredFingerprint);
  });

  it("knows its own version by identity: the own client's version with the desired fingerprint is unchanged, and nothing is exported", () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const org = [
      published('m1', named(r.flows, 'Greeting'), {
        commit: '1111111',
        fingerprint: fingerprint(named(r.flows, 'Greeting')),
      }),
      published('c1', named(r.flows, 'Main Line'), {
        commit: '2222222',
        pullRequest: 4,
        fingerprint: fingerprint(named(r.flows, 'Main Line')),
      }),
    ];
    for (const l of org) expect(liveNeedsContent(named(r.flows, l.name), l, identity), l.name).toBe(false);
    const p = plan({ desired: r.flows, graph: r.graph, live: org });
    expect(p.flows.map((f) => [f.name, f.action, f.comparedBy])).toEqual([
      ['Greeting', 'unchanged', 'identity'],
      ['Main Line', 'unchanged', 'identity'],
    ]);
    for (const f of p.flows) {
      expect(f.liveHash).toBeUndefined();
      expect(f.livePublishedVersion).toMatchObject({ id: '4.0', createdByClientId: OWN_CLIENT });
    }
    expect(p.summary).toMatchObject({ unchanged: 2 });
  });

  it('the same note on a version another client or a person created proves nothing: its export is needed and compared', () => {
    const r = desired({ 'm.yaml': module('Hi') });
    const greeting = r.flows[0]!;
    for (const by of [{ client: 'other-tool' }, { person: 'Jane Admin' }] satisfies Creator[]) {
      const what = JSON.stringify(by);
      const listed = published('m1', greeting, { commit: 'abc1234', fingerprint: fingerprint(greeting) }, by);
      expect(liveNeedsContent(greeting, listed, identity), what).toBe(true);
      expect(() => plan({ desired: r.flows, graph: r.graph, live: [listed] }), what).toThrow(PlanError);
      expect(() => plan({ desired: r.flows, graph: r.graph, live: [listed] }), what).toThrow(
        'the published content of commonmodule "Greeting" (version 4.0) was not read',
      );
      // Exported: the same content is unchanged, by content.
      const same = plan({
        desired: r.flows,
        graph: r.graph,
        live: [{ ...listed, content: withAuditNote(greeting.text, { fingerprint: fingerprint(greeting) }) }],
      });
      expect(same.flows[0], what).toMatchObject({ action: 'unchanged', comparedBy: 'content' });
      // Their edit under the copied note is shown.
      const edited = plan({
        desired: r.flows,
        graph: r.graph,
        live: [{ ...listed, content: withAuditNote(module('Edited by hand'), { fingerprint: fingerprint(greeting) }) }],
      });
      expect(edited.flows[0], what).toMatchObject({ action: 'update', comparedBy: 'content' });
      expect(edited.flows[0]!.changes, what).toEqual([
        {
          kind: 'replace',
          where: 'action 1 "Hello" (playAudio) > audio.tts',
          path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts',
          from: 'Edited by hand',
          to: 'Hi',
        },
      ]);
    }
    // And flowops running as another client does not take the first client's versions for its own.
    const ours = published('m1', greeting, { fingerprint: fingerprint(greeting) });
    expect(liveNeedsContent(greeting, ours, { ...identity, clientId: 'flowops-staging' })).toBe(true);
  });

  it("a note with another fingerprint (a stale note, another flow's) is compared by content, and an edit shows exactly the edited value", () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hello') });
    const greeting = named(r.flows, 'Greeting');
    const older = desired({ 'm.yaml': module('Hi') }).flows[0]!;
    const notes: Array<[string, string]> = [
      ['the fingerprint of the content flowops published before', fingerprint(older)],
      ["another flow's fingerprint", fingerprint(named(r.flows, 'Main Line'))],
    ];
    for (const [what, stale] of notes) {
      // The live version is flowops' own, but of other content than the files' now.
      const listed = published('m1', older, { commit: '1111111', fingerprint: stale });
      expect(liveNeedsContent(greeting, listed, identity), what).toBe(true);
      expect(() => plan({ desired: r.flows, graph: r.graph, live: [listed] }), what).toThrow(PlanError);
      const p = plan({
        desired: r.flows,
        graph: r.graph,
        live: [{ ...listed, content: withAuditNote(older.text, { commit: '1111111', fingerprint: stale }) }],
      });
      const mod = p.flows.find((f) => f.name === 'Greeting')!;
      expect(mod, what).toMatchObject({
        action: 'update',
        comparedBy: 'content',
        desiredFingerprint: fingerprint(greeting),
      });
      expect(mod.changes, what).toEqual([
        {
          kind: 'replace',
          where: 'action 1 "Hello" (playAudio) > audio.tts',
          path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts',
          from: 'Hi',
          to: 'Hello',
        },
      ]);
      expect(mod.patch, what).toEqual([
        { op: 'test', path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts', value: 'Hi' },
        { op: 'replace', path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts', value: 'Hello' },
      ]);
    }
  });

  it('a fingerprint made with another key or scheme (after a flowops upgrade, a new client secret) falls back to the content, which is unchanged', () => {
    const r = desired({ 'm.yaml': module('Hi') });
    const greeting = r.flows[0]!;
    const oldKey = fingerprint(greeting, fingerprintKeyOf('the secret before rotation'));
    const otherScheme = `f9:${fingerprint(greeting).slice(3)}`;
    for (const note of [oldKey, otherScheme]) {
      const listed = published('m1', greeting, { commit: 'abc1234', fingerprint: note });
      expect(liveNeedsContent(greeting, listed, identity), note).toBe(true);
      expect(() => plan({ desired: r.flows, graph: r.graph, live: [listed] }), note).toThrow(PlanError);
      const p = plan({
        desired: r.flows,
        graph: r.graph,
        live: [{ ...listed, content: withAuditNote(greeting.text, { commit: 'abc1234', fingerprint: note }) }],
      });
      expect(p.flows[0], note).toMatchObject({ action: 'unchanged', comparedBy: 'content', patch: [], changes: [] });
    }
  });

  it('the export Architect writes of the file (refIds regenerated, references absolute, default names, settings filled in, variables sorted, comments gone) is unchanged, by content', () => {
    const file = fixture('main-line.yaml');
    const exported = fixture('main-line.export.yaml');
    expect(exported).not.toBe(file);
    const r = desired({ 'main-line.yaml': file });
    const line = r.flows[0]!;
    const listed: LiveFlow = { ...live('c1', 'inboundcall', 'Main Line'), description: 'The Main Line' };
    expect(liveNeedsContent(line, listed, identity)).toBe(true);
    const p = plan({ desired: r.flows, graph: r.graph, live: [{ ...listed, content: exported }] });
    expect(p.flows[0]).toMatchObject({ action: 'unchanged', comparedBy: 'content', patch: [], changes: [] });
    expect(p.flows[0]!.liveHash).toMatch(/^sha256:[0-9a-f]{64}$/);

    // An edit in that export is shown, and only the edit.
    const edited = exported.replace('tts: For support, press 1.', 'tts: For support, press 2.');
    expect(edited).not.toBe(exported);
    const q = plan({ desired: r.flows, graph: r.graph, live: [{ ...listed, content: edited }] });
    expect(q.flows[0]).toMatchObject({ action: 'update', comparedBy: 'content' });
    expect(q.flows[0]!.changes).toEqual([
      {
        kind: 'replace',
        where: expect.stringContaining('Main Menu'),
        path: '/inboundCall/menus/0/menu/audio/tts',
        from: 'For support, press 2.',
        to: 'For support, press 1.',
      },
    ]);
    expect(q.flows[0]!.liveHash).not.toBe(p.flows[0]!.liveHash);
  });

  it("a description edited around flowops' note (the flow's description changes without a publish) is not unchanged", () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const line = named(r.flows, 'Main Line');
    const note = { commit: 'abc1234', fingerprint: fingerprint(line) };
    const mine = published('c1', line, note, own, { content: true });
    expect(mine.description).toBe(`The Main Line [flowops abc1234 ${note.fingerprint}]`);
    const greeting = published('m1', named(r.flows, 'Greeting'), {
      fingerprint: fingerprint(named(r.flows, 'Greeting')),
    });
    // Their edit of the description, the note left as it was.
    const touched: LiveFlow = { ...mine, description: `The Main Line, edited [flowops abc1234 ${note.fingerprint}]` };
    expect(liveNeedsContent(line, touched, identity)).toBe(true);
    const p = plan({ desired: r.flows, graph: r.graph, live: [greeting, touched] });
    expect(p.flows.map((f) => [f.name, f.action, f.comparedBy])).toEqual([
      ['Greeting', 'unchanged', 'identity'],
      ['Main Line', 'update', 'content'],
    ]);
    expect(p.flows[1]!.changes).toEqual([
      {
        kind: 'replace',
        where: 'description',
        path: '/inboundCall/description',
        from: 'The Main Line, edited',
        to: 'The Main Line',
      },
    ]);
    // Emptied (the note too): the description is gone, and the flow is no longer known as flowops' own.
    const emptied: LiveFlow = { ...mine, description: '' };
    expect(liveNeedsContent(line, emptied, identity)).toBe(true);
    const q = plan({ desired: r.flows, graph: r.graph, live: [greeting, emptied] });
    expect(q.flows[1]).toMatchObject({ action: 'update', comparedBy: 'content' });
    expect(q.flows[1]!.changes).toEqual([
      { kind: 'add', where: 'description', path: '/inboundCall/description', to: 'The Main Line' },
    ]);
  });

  it('sees no change when the live content equals the desired one, whatever its formatting', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    // Same content, other key order and style, plus an audit note (a person's version: compared by content).
    const relaid = stringify(JSON.parse(JSON.stringify(desiredDocument(named(r.flows, 'Main Line')))), {
      sortMapEntries: true,
    }).replace('description: The Main Line', 'description: The Main Line [flowops abc1234]');
    const p = plan({
      desired: r.flows,
      graph: r.graph,
      live: [live('m1', 'commonmodule', 'Greeting', module('Hi')), live('c1', 'inboundcall', 'Main Line', relaid)],
    });
    expect(p.flows.map((f) => [f.action, f.comparedBy])).toEqual([
      ['unchanged', 'content'],
      ['unchanged', 'content'],
    ]);
  });

  it("republishes a caller published before its module's current version (it runs an older copy); not one published after or at the same time", () => {
    const r = desired({
      'a.yaml': caller('Main Line'),
      'b.yaml': caller('Billing Line'),
      'c.yaml': caller('Support Line'),
      'm.yaml': module('Hi'),
    });
    const at = (flow: LiveFlow, datePublished: string): LiveFlow => ({
      ...flow,
      publishedVersion: { ...flow.publishedVersion!, datePublished },
    });
    const p = plan({
      desired: r.flows,
      graph: r.graph,
      live: [
        at(live('m1', 'commonmodule', 'Greeting', module('Hi'), '7.0'), '2026-11-20T09:00:00.000Z'),
        // flowops' own, known by identity: the dates decide, no export needed.
        at(
          published('c1', named(r.flows, 'Main Line'), { fingerprint: fingerprint(named(r.flows, 'Main Line')) }),
          '2026-11-20T08:59:59.999Z',
        ),
        at(live('c2', 'inboundcall', 'Billing Line', caller('Billing Line')), '2026-11-20T09:00:00.000Z'),
        at(live('c3', 'inboundcall', 'Support Line', caller('Support Line')), '2026-11-21T00:00:00.000Z'),
      ],
    });
    expect(p.flows.map((f) => [f.name, f.action])).toEqual([
      ['Greeting', 'unchanged'],
      ['Billing Line', 'unchanged'],
      ['Main Line', 'republish'],
      ['Support Line', 'unchanged'],
    ]);
    expect(p.flows[2]!.reason).toBe(
      'commonmodule "Greeting" was published after it (version 7.0, 2026-11-20T09:00:00.000Z): it still runs an earlier copy of the module',
    );
    expect(p.flows[2]!.dependsOn).toEqual(['commonmodule:Greeting']);
    expect(p.flows[2]!.desiredFingerprint).toBe(fingerprint(named(r.flows, 'Main Line')));
  });

  it('updates a changed module and republishes its unchanged callers, saying why', () => {
    const r = desired({
      'a.yaml': caller('Main Line'),
      'b.yaml': caller('Billing Line'),
      'm.yaml': module('Hello there'),
    });
    const p = plan({
      desired: r.flows,
      graph: r.graph,
      live: [
        live('m1', 'commonmodule', 'Greeting', module('Hi')),
        live('c1', 'inboundcall', 'Main Line', caller('Main Line')),
        live('c2', 'inboundcall', 'Billing Line', caller('Billing Line')),
      ],
    });
    const [mod, ...callers] = p.flows;
    expect(mod).toMatchObject({
      action: 'update',
      comparedBy: 'content',
      liveFlowId: 'm1',
      livePublishedVersion: { id: '3.0', createdBy: 'Jane Admin' },
    });
    expect(mod!.changes).toEqual([
      {
        kind: 'replace',
        where: 'action 1 "Hello" (playAudio) > audio.tts',
        path: '/commonModule/startUpTaskActions/0/playAudio/audio/tts',
        from: 'Hi',
        to: 'Hello there',
      },
    ]);
    for (const c of callers)
      expect(c).toMatchObject({ action: 'republish', reason: 'commonmodule "Greeting" changes', patch: [] });
    expect(p.summary).toMatchObject({ update: 1, republish: 2 });
  });

  it('publishes a flow that exists but was never published (nothing to compare, no export needed)', () => {
    const r = desired({ 'm.yaml': module('Hi') });
    const never: LiveFlow = { id: 'm1', type: 'commonmodule', name: 'Greeting' };
    expect(liveNeedsContent(r.flows[0]!, never, identity)).toBe(false);
    const p = plan({ desired: r.flows, graph: r.graph, live: [never] });
    expect(p.flows[0]).toMatchObject({
      action: 'update',
      liveFlowId: 'm1',
      reason: 'the flow exists but has no published version',
      desiredFingerprint: fingerprint(r.flows[0]!),
    });
  });

  it('lists flows no file describes as unmanaged, and deletes them only with prune (callers first)', () => {
    const r = desired({ 'a.yaml': caller('Main Line'), 'm.yaml': module('Hi') });
    const org = [
      live('m1', 'commonmodule', 'Greeting', module('Hi')),
      live('c1', 'inboundcall', 'Main Line', caller('Main Line')),
      live('old', 'inboundcall', 'Old Line'),
      live('oldm', 'commonmodule', 'Old Module'),
      live('q', 'inqueuecall', 'Not ours'),
    ];
    const kept = plan({ desired: r.flows, graph: r.graph, live: org });
    expect(kept.unmanaged).toEqual(['commonmodule:Old Module', 'inboundcall:Old Line']);
    expect(kept.summary.delete).toBe(0);
    const pruned = plan({ desired: r.flows, graph: r.graph, live: org, prune: true });
    expect(pruned.flows.filter((f) => f.action === 'delete').map((f) => f.id)).toEqual([
      'inboundcall:Old Line',
      'commonmodule:Old Module',
    ]);
  });

  it('refuses to prune a module that flows in the repository still call', () => {
    const r = desired({ 'a.yaml': caller('Main Line').replace('Greeting:', 'Legacy:'), 'm.yaml': module('Hi') }, [
      'Legacy',
    ]);
    expect(() =>
      plan({ desired: r.flows, graph: r.graph, live: [live('m', 'commonmodule', 'Legacy', module('x'))], prune: true }),
    ).toThrow('cannot delete commonmodule "Legacy": flows in this repository still call it');
  });
});
