import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkFile, checkFlowSources, type OrgObjectKind } from '../../src/check/index.js';
import { substitute } from '../../src/check/substitute.js';
import { toExportYaml } from '../../src/emulator/export-yaml.js';
import { kindsToSubstitute, planNames } from '../../src/operations/export-names.js';
import type { Project } from '../../src/operations/project.js';
import { withSecretPlaceholders } from '../../src/render/export-file.js';
import {
  assignPlaceholders,
  nameId,
  placeholderBase,
  type PlaceholderKind,
} from '../../src/render/placeholder-keys.js';

// Names of org objects in an exported flow written as {{placeholders}} (export --substitute): the
// file with the values put back must read as the export did.

/** An exported inbound flow (written as the emulator's export writes YAML) whose task holds `actions`. */
const exported = (actions: unknown[], division: unknown = 'Home') =>
  toExportYaml({
    inboundCall: {
      name: 'Refs',
      division,
      startUpRef: '/inboundCall/tasks/task[t]',
      defaultLanguage: 'en-us',
      tasks: [{ task: { name: 'T', refId: 't', actions: [...actions, { disconnect: { name: 'Bye' } }] } }],
    },
  });
const transfer = (queue: string, name = 'To queue') => ({
  transferToAcd: { name, targetQueue: { lit: { name: queue } } },
});
const callData = (integration: string, action: string) => ({
  callData: {
    name: 'Look up',
    category: { [integration]: { dataAction: { [action]: { inputs: { id: { lit: '42' } } } } } },
  },
});
const update = (name: string, exp: string) => ({
  updateData: { name, statements: [{ string: { variable: 'Flow.x', value: { exp } } }] },
});

/** The file written with the names of `kinds` as placeholders (keys as export gives them), and what it says. */
function substituted(text: string, kinds: PlaceholderKind[], existing = new Map<string, string | undefined>()) {
  const references = (checkFile({ path: 'f.yaml', text }).flow?.references ?? []).filter(
    (r) => kinds.includes(r.kind) && r.name !== undefined,
  );
  const names = references.flatMap((r) => [
    { kind: r.kind as PlaceholderKind, name: r.name! },
    ...(r.integration !== undefined && kinds.includes('integration')
      ? [{ kind: 'integration' as const, name: r.integration }]
      : []),
  ]);
  const { keys } = assignPlaceholders(names, existing);
  const file = withSecretPlaceholders(
    text,
    { known: [] },
    {
      references,
      keyOf: (kind, name) => keys.get(nameId(kind, name)),
    },
  );
  const values = Object.fromEntries(file.names!.used);
  return { ...file, values, readBack: parse(substitute(file.content, values).text) as unknown };
}

describe('export --substitute: names as placeholders', () => {
  it('a queue named by a transfer: quoted placeholder, the name as its value, the file reads back as exported', () => {
    const text = exported([transfer('Support'), transfer('Support', 'Again'), transfer('Billing', 'Bill')]);
    const r = substituted(text, ['queue']);
    expect(r.content).toContain('name: "{{queue_support}}"');
    expect(r.content).toContain('name: "{{queue_billing}}"');
    expect(r.content).not.toMatch(/name: Support/);
    // The same name, used twice, is one key.
    expect(r.values).toEqual({ queue_billing: 'Billing', queue_support: 'Support' });
    expect(r.names!.left).toEqual([]);
    expect(r.readBack).toEqual(parse(text));
    // Kinds not asked for stay as exported.
    expect(r.content).toContain('division: Home');
  });

  it('names that need quoting round-trip: colons, quotes, unicode, spaces at either end, a number', () => {
    const names = ['Support: East', 'Say "hi"', 'Say "hi": now', "It's", 'Café Über', '  Sales  ', '# hash', 'yes'];
    const text = exported(
      names.map((n, i) => transfer(n, `T${i}`)),
      42,
    );
    const r = substituted(text, ['queue', 'division']);
    expect(r.readBack).toEqual(parse(text));
    expect(Object.values(r.values).sort()).toEqual([...names, '42'].sort());
    expect(r.values.queue_cafe_uber).toBe('Café Über');
    expect(r.values.queue_support_east).toBe('Support: East');
    expect(r.content).toContain(`'{{queue_say_hi}}'`);
    // Escaped by the export (`"Say \"hi\": now"`): quoted again, in the quotes that need no escape.
    expect(r.content).toContain(`'{{queue_say_hi_now}}'`);
    // A number stays a number: its placeholder is plain.
    expect(r.content).toContain('division: {{division_42}}');
    expect(r.names!.left).toEqual([]);
  });

  it('a name with both quote marks: plain as exported, its placeholder plain; escaped by the export, it stays and says why', () => {
    const plain = exported([transfer(`Bob's "desk"`)]);
    const r = substituted(plain, ['queue']);
    expect(r.content).toContain('name: {{queue_bob_s_desk}}');
    expect(substitute(r.content, r.values).text).toBe(plain);

    const text = exported([transfer(`Bob's "desk": 2`)]);
    expect(text).toContain(`name: "Bob's \\"desk\\": 2"`);
    const left = substituted(text, ['queue']);
    expect(left.content).toBe(text);
    expect(left.values).toEqual({});
    expect(left.names!.left).toEqual([
      expect.objectContaining({
        kind: 'queue',
        name: `Bob's "desk": 2`,
        line: 15,
        column: 25,
        why: expect.stringContaining('both quote marks'),
      }),
    ]);
  });

  it('a data action and its integration, map keys, as placeholders: substitution happens before parsing, so keys work', () => {
    const text = exported([callData('Genesys Cloud Data Actions', 'Lookup Order')]);
    const r = substituted(text, ['dataAction', 'integration']);
    expect(r.content).toContain('"{{integration_genesys_cloud_data_actions}}":');
    expect(r.content).toContain('"{{data_action_lookup_order}}":');
    expect(r.values).toEqual({
      data_action_lookup_order: 'Lookup Order',
      integration_genesys_cloud_data_actions: 'Genesys Cloud Data Actions',
    });
    expect(r.readBack).toEqual(parse(text));
    // The check reads the data action back through the substitution, at the placeholder.
    const check = checkFlowSources([{ path: 'f.yaml', text: r.content }], { substitutions: r.values });
    expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(check.flows[0]!.references.filter((x) => x.kind === 'dataAction')).toEqual([
      expect.objectContaining({ name: 'Lookup Order', integration: 'Genesys Cloud Data Actions' }),
    ]);
  });

  it('a Find* literal inside an expression: only the argument, only of the kinds asked for; other names in expressions stay', () => {
    const text = exported([
      update('Find', 'If(FindQueue("Support") == NOT_SET, FindSkill("Support"), FindQueue("Billing: 2"))'),
      update('Prompt', 'ToAudio(Prompt.welcome)'),
    ]);
    const r = substituted(text, ['queue', 'prompt']);
    expect(r.content).toContain(
      'If(FindQueue(\\"{{queue_support}}\\") == NOT_SET, FindSkill(\\"Support\\"), FindQueue(\\"{{queue_billing_2}}\\"))',
    );
    expect(r.readBack).toEqual(parse(text));
    expect(r.names!.left).toEqual([
      expect.objectContaining({
        kind: 'prompt',
        name: 'welcome',
        why: expect.stringContaining('inside an expression'),
      }),
    ]);
    // Substituted as text, the expression's literal is a queue's name again: the check reads it.
    const refs = checkFlowSources([{ path: 'f.yaml', text: r.content }], { substitutions: r.values }).flows[0]!
      .references;
    expect(refs.filter((x) => x.kind === 'queue').map((x) => x.name)).toEqual(['Support', 'Billing: 2']);
  });

  it('a Find* literal in a plain expression and a user prompt in a value', () => {
    const text = `inboundCall:
  name: Refs
  division: Home
  startUpRef: "/inboundCall/tasks/task[t]"
  defaultLanguage: en-us
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - playAudio:
              name: Hello
              audio: Prompt.welcome_msg
          - updateData:
              name: Find
              statements:
                - queue:
                    variable: Flow.q
                    value:
                      exp: FindQueue("Support")
          - disconnect:
              name: Bye
`;
    const r = substituted(text, ['queue', 'prompt']);
    expect(r.content).toContain('audio: Prompt.{{prompt_welcome_msg}}');
    expect(r.content).toContain('exp: FindQueue("{{queue_support}}")');
    expect(substitute(r.content, r.values).text).toBe(text);
  });

  it('leaves the file as exported when no name of the kinds is there', () => {
    const text = exported([transfer('Support')]);
    const r = substituted(text, ['dataTable' as OrgObjectKind]);
    expect(r.content).toBe(text);
    expect(r.values).toEqual({});
  });
});

describe('placeholder keys', () => {
  it('readable, valid keys: the kind in snake case, the name slugged, a hash when nothing is left of it', () => {
    expect(placeholderBase('queue', 'Support')).toBe('queue_support');
    expect(placeholderBase('dataAction', 'Lookup Order (v2)')).toBe('data_action_lookup_order_v2');
    expect(placeholderBase('scheduleGroup', '  Café—Hours  ')).toBe('schedule_group_cafe_hours');
    expect(placeholderBase('queue', 'サポート')).toMatch(/^queue_[0-9a-f]{8}$/);
    expect(placeholderBase('queue', 'サポート')).not.toBe(placeholderBase('queue', '請求'));
    for (const name of ['a'.repeat(300), '!!', 'x.y-z'])
      expect(`{{${placeholderBase('queue', name)}}}`).toMatch(/^\{\{[A-Za-z0-9_.-]{1,80}\}\}$/);
  });

  it('names that slug the same get distinct keys, in a stable order; a key held with another value is skipped, the same value reused', () => {
    const names = [
      { kind: 'queue' as const, name: 'support' },
      { kind: 'queue' as const, name: 'Support' },
      { kind: 'queue' as const, name: 'Support' },
    ];
    const first = assignPlaceholders(names, new Map());
    expect([...first.keys.values()]).toEqual(['queue_support', 'queue_support_2']);
    expect(first.keys.get(nameId('queue', 'Support'))).toBe('queue_support');
    expect(assignPlaceholders([...names].reverse(), new Map()).keys).toEqual(first.keys);

    const existing = new Map<string, string | undefined>([
      ['queue_support', 'Old Support'],
      ['queue_support_2', 'support'],
      ['queue_support_3', undefined],
    ]);
    const again = assignPlaceholders(names, existing);
    expect(again.keys.get(nameId('queue', 'support'))).toBe('queue_support_2');
    expect(again.keys.get(nameId('queue', 'Support'))).toBe('queue_support_4');
    expect(again.moved).toEqual([{ kind: 'queue', name: 'Support', key: 'queue_support_4', taken: 'queue_support' }]);
  });
});

describe('which names export --substitute takes (operations/export-names.ts)', () => {
  const project = (knownSecrets: Array<{ key: string; value: string }>) =>
    ({
      dir: '/repo',
      workspace: {
        environment: { name: 'dev', knownSecrets: knownSecrets.map((s) => ({ ...s, environment: 'dev' })) },
      },
    }) as unknown as Project;
  const ctx = { cwd: '/repo', env: {}, debug: false, info: () => {}, mask: () => {} };

  it('kinds: any case, comma-separated or repeated; an unknown one is a usage error', () => {
    expect(kindsToSubstitute(['queue,DataAction', 'division', 'queue'])).toEqual(['queue', 'dataAction', 'division']);
    expect(() => kindsToSubstitute(['queues'])).toThrow(/^--substitute: unknown kind "queues" \(kinds: queue, /);
    expect(() => kindsToSubstitute([','])).toThrow('--substitute: name at least one kind');
  });

  it('a name holding a secret value, and an empty name, stay as exported: their value would be written to flowops.yaml', () => {
    const text = exported([transfer('Support'), transfer('Partner s3cr3t desk', 'Partner'), transfer('', 'Empty')]);
    const plan = planNames(
      [{ path: 'f.yaml', content: text }],
      ['queue'],
      project([{ key: 'pw', value: 's3cr3t' }]),
      ctx,
    );
    const choice = plan.choiceFor('f.yaml')!;
    expect(choice.references.map((r) => r.name)).toEqual(['Support']);
    expect(choice.keyOf('queue', 'Support')).toBe('queue_support');
    expect(choice.keyOf('queue', 'Partner s3cr3t desk')).toBeUndefined();
  });
});
