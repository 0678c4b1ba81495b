import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/plan/diff.js';

const action = (kind: string, name: string, extra: Record<string, unknown> = {}) => ({ [kind]: { name, ...extra } });
const flow = (actions: unknown[]) => ({
  inboundCall: { name: 'Main Line', tasks: [{ task: { name: 'Startup Task', refId: 's', actions } }] },
});

function applied(live: unknown, patch: ReturnType<typeof diffDocuments>['patch']): unknown {
  // validate = true: every op is checked, and every `test` op must hold against the live document.
  return jsonpatch.applyPatch(structuredClone(live), patch as jsonpatch.Operation[], true, false).newDocument;
}

describe('diffDocuments', () => {
  it('shows a changed text by names, guarded by a test of the old value', () => {
    const live = flow([action('playAudio', 'Play Audio', { audio: { tts: 'Welcome' } })]);
    const desired = flow([action('playAudio', 'Play Audio', { audio: { tts: 'Hello' } })]);
    const { patch, changes } = diffDocuments(live, desired);
    expect(patch).toEqual([
      { op: 'test', path: '/inboundCall/tasks/0/task/actions/0/playAudio/audio/tts', value: 'Welcome' },
      { op: 'replace', path: '/inboundCall/tasks/0/task/actions/0/playAudio/audio/tts', value: 'Hello' },
    ]);
    expect(changes).toEqual([
      {
        kind: 'replace',
        where: 'task "Startup Task" > action 1 "Play Audio" (playAudio) > audio.tts',
        path: '/inboundCall/tasks/0/task/actions/0/playAudio/audio/tts',
        from: 'Welcome',
        to: 'Hello',
      },
    ]);
  });

  it('reads an inserted action as one addition, not as every later action replaced', () => {
    const names = ['Greet', 'Tag', 'Route', 'Bye'];
    const live = flow(names.map((n) => action('playAudio', n, { audio: { tts: n } })));
    const desired = flow([
      live.inboundCall.tasks[0]!.task.actions[0],
      action('decision', 'VIP?', { condition: { exp: 'true' } }),
      ...live.inboundCall.tasks[0]!.task.actions.slice(1),
    ]);
    const { patch, changes } = diffDocuments(live, desired);
    expect(changes).toEqual([
      {
        kind: 'add',
        where: 'task "Startup Task" > action 2 "VIP?" (decision)',
        path: '/inboundCall/tasks/0/task/actions/1',
        to: action('decision', 'VIP?', { condition: { exp: 'true' } }),
      },
    ]);
    expect(applied(live, patch)).toEqual(desired);
  });

  it('reads a removed action as one removal and a renamed action as an edit of its name', () => {
    const live = flow([
      action('playAudio', 'A', { audio: { tts: 'a' } }),
      action('playAudio', 'B', { audio: { tts: 'b' } }),
      action('disconnect', 'Bye'),
    ]);
    const removed = flow([live.inboundCall.tasks[0]!.task.actions[0], live.inboundCall.tasks[0]!.task.actions[2]]);
    expect(diffDocuments(live, removed).changes).toEqual([
      {
        kind: 'remove',
        where: 'task "Startup Task" > action 2 "B" (playAudio)',
        path: '/inboundCall/tasks/0/task/actions/1',
        from: action('playAudio', 'B', { audio: { tts: 'b' } }),
      },
    ]);
    const renamed = flow([
      live.inboundCall.tasks[0]!.task.actions[0],
      action('playAudio', 'B2', { audio: { tts: 'b' } }),
      live.inboundCall.tasks[0]!.task.actions[2],
    ]);
    const r = diffDocuments(live, renamed);
    expect(r.changes).toEqual([
      {
        kind: 'replace',
        where: 'task "Startup Task" > action 2 "B2" (playAudio) > name',
        path: '/inboundCall/tasks/0/task/actions/1/playAudio/name',
        from: 'B',
        to: 'B2',
      },
    ]);
    expect(applied(live, r.patch)).toEqual(renamed);
  });

  it('no difference, no patch', () => {
    const doc = flow([action('disconnect', 'Bye')]);
    expect(diffDocuments(doc, structuredClone(doc))).toEqual({ patch: [], changes: [], masked: [] });
  });

  it('the patch always turns live into desired, and its tests hold (property)', () => {
    const item = fc.oneof(
      fc
        .record({
          kind: fc.constantFrom('playAudio', 'disconnect', 'decision'),
          name: fc.constantFrom('A', 'B', 'C', 'D'),
          tts: fc.constantFrom('x', 'y'),
        })
        .map((r) => action(r.kind, r.name, { audio: { tts: r.tts } })),
      fc.constantFrom(1, 'two', null, true),
    );
    // Values holding a `__proto__` key are left out: fast-json-patch, which replays the patch here,
    // refuses any patch that touches one (its own guard, not a property of the diff).
    const doc = fc.record({
      actions: fc.array(item, { maxLength: 8 }),
      extra: fc.option(
        fc.dictionary(
          fc.constantFrom('k1', 'k2', 'a/b', 'c~d'),
          fc
            .jsonValue({ maxDepth: 2 })
            .filter((v) => !JSON.stringify(v).includes('"__proto__"'))
            .map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          { noNullPrototype: true },
        ),
      ),
    });
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const live = { ...flow(a.actions), extra: a.extra };
        const desired = { ...flow(b.actions), extra: b.extra };
        const { patch } = diffDocuments(live, desired);
        expect(applied(live, patch)).toEqual(desired);
      }),
      { numRuns: 500 },
    );
  });
});
