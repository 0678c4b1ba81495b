import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkFile, checkFlowSources, type ObjectReference } from '../../src/check/index.js';
import { locate } from '../../src/check/locate.js';
import { blockLocator } from '../../src/check/locate-block.js';
import { OBJECT_REFERENCE_TABLE } from '../../src/check/object-references.js';
import { blueprintsDir, blueprintSubstitutions, readSource } from '../helpers/fixtures.js';

// What the check says a flow names in the org, and where (check/object-references.ts).

const refsOf = (text: string, substitutions: Record<string, string> = {}): ObjectReference[] => {
  const result = checkFlowSources([{ path: 'f.yaml', text }], { substitutions });
  // Callees are not among these sources: only reading is tested here (test/check/flow-dependencies.test.ts checks calls).
  const errors = result.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('unknown-'));
  expect(errors).toEqual([]);
  return result.flows[0]!.references;
};
const brief = (r: ObjectReference) =>
  [
    `${r.line}:${r.column}`,
    r.kind,
    r.name === undefined ? `dynamic ${r.expression}` : JSON.stringify(r.name),
    ...(r.integration ? [`in ${r.integration}`] : []),
    ...(r.flowTypes ? [r.flowTypes.join('|')] : []),
  ].join(' ');

/** An inbound call flow whose one task holds `actions` (indented as list items of `actions:`). */
const flow = (actions: string, top = '') => `inboundCall:
  name: Refs
  division: Home
  startUpRef: "/inboundCall/tasks/task[t]"
  defaultLanguage: en-us
${top}  tasks:
    - task:
        name: T
        refId: t
        actions:
${actions}        - disconnect:
            name: Bye
`;

describe('references in the real blueprint files', () => {
  it('DR-Emergency-IVR: queues of menu transfers, a dynamic schedule group, an emergency group, a voicemail queue', () => {
    const refs = refsOf(readSource(blueprintsDir, 'DR-Emergency-IVR.yaml').text, blueprintSubstitutions);
    expect(refs.map(brief)).toEqual([
      '120:33 queue "Life Insurance"',
      '156:33 queue "Annuity"',
      '193:33 queue "Mutual Funds"',
      '229:33 queue "Brokerage"',
      '265:33 queue "Health Insurance"',
      '313:33 queue "General Help"',
      '352:22 scheduleGroup dynamic ToScheduleGroup(NOT_SET)',
      '355:25 emergencyGroup "Organization Evacuation Emergency Group"',
      '366:39 queue "General Help"',
    ]);
    expect(refs[0]!.path).toEqual([
      'inboundCall',
      'menus',
      0,
      'menu',
      'choices',
      0,
      'menuTask',
      'task',
      'actions',
      0,
      'transferToAcd',
      'targetQueue',
      'lit',
      'name',
    ]);
  });

  it('DR-Fallback-Ivr and SimpleFinancialIvr: a system prompt, the division, menu transfers', () => {
    expect(refsOf(readSource(blueprintsDir, 'DR-Fallback-Ivr.yaml').text, blueprintSubstitutions).map(brief)).toEqual([
      '124:29 queue "General Help"',
      '130:29 systemPrompt "voicemail_greeting"',
    ]);
    expect(refsOf(readSource(blueprintsDir, 'SimpleFinancialIvr_v2-0.yaml').text).map(brief)).toEqual([
      '4:13 division "Home"',
      '122:25 queue "Simple Financial 401K queue"',
      '145:25 queue "Simple Financial IRA queue"',
    ]);
  });

  it('merge-external-contact: names from placeholders (map keys too) are at their placeholders', () => {
    const files = ['MergeExternalContactMessageFlow.yaml', 'ResolveContact.yaml'].map((f) =>
      readSource(blueprintsDir, `merge-external-contact/${f}`),
    );
    const [messaging, module] = files.map((f) => refsOf(f.text, blueprintSubstitutions));
    expect(messaging!.map(brief)).toEqual([
      '4:13 division "Home"',
      '48:17 flow "Merge Contact Bot" bot',
      '63:17 flow "Resolve Contact" commonmodule',
      '85:25 queue "Support"',
    ]);
    expect(module!.map(brief)).toEqual([
      '4:13 division "Home"',
      '91:15 dataAction "Fetch External Contact By Identifier" in Genesys Cloud Data Actions',
      '141:25 dataAction "Get External Contact Id For Customer Participant" in Genesys Cloud Data Actions',
      '210:45 dataAction "Merge External Contacts" in Genesys Cloud Data Actions',
    ]);
  });
});

describe('references of every kind', () => {
  it('value wrappers, map keys, Find* literals, prompts and flows', () => {
    const text = flow(
      `        - transferToAcd:
            name: To support
            targetQueue:
              lit:
                name: Support
            languageSkill:
              lit:
                name: French
            acdSkills:
              - lit:
                  name: Billing
        - callData:
            name: Lookup
            category:
              Genesys Cloud Data Actions:
                dataAction:
                  Lookup Order:
                    inputs: {}
        - dataTableLookup:
            name: Table
            lookupValue:
              lit: x
            dataTable:
              Blocked Numbers:
                foundOutputs: {}
        - evaluateScheduleGroup:
            name: Hours
            scheduleGroup:
              lit:
                name: Office Hours
            emergencyGroup:
              lit:
                name: Storm
        - playAudio:
            name: Hello
            audio:
              prompt: Prompt.Welcome_Message
        - updateData:
            name: Finds
            statements:
              - queue:
                  variable: Task.Q
                  value:
                    exp: If(Task.VIP, FindQueue("VIP Line"), FindQueue(Task.Name))
              - skill:
                  variable: Task.S
                  value:
                    exp: FindSkill("Spanish")
        - findQueue:
            name: Find it
            findName:
              lit: Sales
        - setWrapupCode:
            name: Wrap
            wrapupCode:
              lit:
                name: Resolved
        - transferToUser:
            name: To Ann
            targetUser:
              lit: ann@example.com
        - transferToGroup:
            name: To team
            targetGroup:
              lit:
                name: Team A
        - callBotFlow:
            name: Bot
            botFlow:
              Order Bot:
                ver_latestPublished: {}
        - callDigitalBotFlow:
            name: Digital
            botFlow:
              Chat Bot:
                ver_latestPublished: {}
        - transferToFlow:
            name: Next
            targetFlow:
              name: Main Line
        - transferToFlowSecure:
            name: Pay
            targetFlow:
              name: Payments
        - transferToAcd:
            name: With in-queue flow
            targetQueue:
              lit:
                name: Support
            overrideInQueueFlow:
              name: Hold Music Flow
`,
      `  settingsInQueueCall:
    holdMusic:
      lit:
        name: PromptSystem.on_hold_music
`,
    );
    expect(refsOf(text).map(brief)).toEqual([
      '3:13 division "Home"',
      '9:15 systemPrompt "on_hold_music"',
      '19:23 queue "Support"',
      '22:23 language "French"',
      '25:25 skill "Billing"',
      '31:19 dataAction "Lookup Order" in Genesys Cloud Data Actions',
      '38:15 dataTable "Blocked Numbers"',
      '44:23 scheduleGroup "Office Hours"',
      '47:23 emergencyGroup "Storm"',
      '51:23 prompt "Welcome_Message"',
      '58:26 queue "VIP Line"',
      '58:26 queue dynamic If(Task.VIP, FindQueue("VIP Line"), FindQueue(Task.Name))',
      '62:26 skill "Spanish"',
      '66:20 queue "Sales"',
      '71:23 wrapupCode "Resolved"',
      '75:20 user "ann@example.com"',
      '80:23 group "Team A"',
      '84:15 flow "Order Bot" bot',
      '89:15 flow "Chat Bot" digitalbot',
      '94:21 flow "Main Line" inboundcall|inboundemail|inboundshortmessage|inboundchat|workflow',
      '98:21 flow "Payments" securecall',
      '103:23 queue "Support"',
      '105:21 flow "Hold Music Flow" inqueuecall|inqueueemail|inqueueshortmessage',
    ]);
  });

  it('an outbound flow: its contact list and wrap-up code, a schedule, a system prompt found by name', () => {
    const text = `outboundCall:
  name: Dialer
  startUpRef: "/outboundCall/tasks/task[t]"
  defaultLanguage: en-us
  settingsOutboundCall:
    contactList:
      lit:
        name: Spring Campaign
    wrapupCode:
      lit:
        name: Dialed
  tasks:
    - task:
        name: T
        refId: t
        actions:
          - evaluateSchedule:
              name: Open?
              selectedSchedule:
                lit:
                  name: Weekdays
          - playAudio:
              name: Music
              audio:
                exp: ToAudio(FindSystemPrompt("on_hold_music"))
          - disconnect:
              name: Bye
`;
    expect(refsOf(text).map(brief)).toEqual([
      '8:15 contactList "Spring Campaign"',
      '11:15 wrapupCode "Dialed"',
      '21:25 schedule "Weekdays"',
      '25:22 systemPrompt "on_hold_music"',
    ]);
  });

  it('an expression without a literal is listed as dynamic, never guessed', () => {
    const refs = refsOf(
      flow(`        - transferToAcd:
            name: Dynamic
            targetQueue:
              exp: Task.QueueName
        - transferToFlow:
            name: Dynamic flow
            targetFlow:
              name: Main Line
`),
      {},
    ).filter((r) => r.kind === 'queue');
    expect(refs).toEqual([
      {
        kind: 'queue',
        expression: 'Task.QueueName',
        path: ['inboundCall', 'tasks', 0, 'task', 'actions', 0, 'transferToAcd', 'targetQueue', 'exp'],
        line: 14,
        column: 20,
      },
    ]);
  });

  it('names with quotes, unicode and trailing spaces are kept as written, at their quotes', () => {
    const text = flow(`        - transferToAcd:
            name: Quoted
            targetQueue:
              lit:
                name: "Support \\"Gold\\" "
        - transferToAcd:
            name: Unicode
            targetQueue:
              lit:
                name: 'Équipe ''Süd'' 日本'
        - callData:
            name: Quoted keys
            category:
              "Genesys Cloud: Data Actions":
                dataAction:
                  'Lookup ''Order''':
                    inputs: {}
        - updateData:
            name: Find
            statements:
              - queue:
                  variable: Task.Q
                  value:
                    exp: FindQueue("Tier \\"1\\"")
`);
    expect(refsOf(text).map(brief)).toEqual([
      '3:13 division "Home"',
      '15:23 queue "Support \\"Gold\\" "',
      '20:23 queue "Équipe \'Süd\' 日本"',
      '26:19 dataAction "Lookup \'Order\'" in Genesys Cloud: Data Actions',
      '34:26 queue "Tier \\"1\\""',
    ]);
  });

  it('a name that came from a substitution is at its placeholder in the file as written', () => {
    const text = flow(`        - transferToAcd:
            name: Sub
            targetQueue:
              lit:
                name: {{queue}} # a comment
        - callBotFlow:
            name: Bot
            botFlow:
              {{bot}}:
                ver_latestPublished: {}
`).replace('division: Home', 'division: {{division}}');
    const subs = { queue: 'A much longer queue name', bot: 'B', division: 'Sales Division' };
    const refs = checkFlowSources(
      [
        { path: 'f.yaml', text },
        { path: 'b.yaml', text: 'botFlow:\n  name: B\n' },
      ],
      {
        substitutions: subs,
      },
    ).flows[0]!.references;
    expect(refs.map(brief)).toEqual([
      '3:13 division "Sales Division"',
      '15:23 queue "A much longer queue name"',
      '19:15 flow "B" bot',
    ]);
  });

  it('a text the fast reader does not take (flow style, anchors) is located through the Document', () => {
    const text = `inboundCall:
  name: Flowy
  division: &d Home
  startUpRef: "/inboundCall/tasks/task[t]"
  defaultLanguage: en-us
  tasks:
    - task: {name: T, refId: t, actions: [{transferToAcd: {name: X, targetQueue: {lit: {name: Support}}}}]}
`;
    expect(refsOf(text).map(brief)).toEqual(['3:16 division "Home"', '7:95 queue "Support"']);
    // One-line flow collections in block YAML are located from the lines too.
    const oneLine = text.replace('&d ', '');
    expect(blockLocator(oneLine).find(refsOf(oneLine)[1]!.path)).toBe(oneLine.indexOf('Support'));
  });

  it('the table names every kind the contract lists, each with its source', () => {
    const kinds = new Set(OBJECT_REFERENCE_TABLE.map((row) => row.kind));
    for (const kind of [
      'queue',
      'prompt',
      'systemPrompt',
      'dataAction',
      'dataTable',
      'scheduleGroup',
      'schedule',
      'emergencyGroup',
      'language',
      'skill',
      'wrapupCode',
      'division',
      'user',
      'group',
      'contactList',
      'flow',
    ])
      expect(kinds.has(kind as never)).toBe(true);
    for (const row of OBJECT_REFERENCE_TABLE) expect(row.source).not.toBe('');
  });
});

describe('the references are kept with the file check', () => {
  it('a record from the cache (plain JSON, no document) gives the same references without parsing', () => {
    const source = readSource(blueprintsDir, 'DR-Emergency-IVR.yaml');
    const fresh = checkFlowSources([source], { substitutions: blueprintSubstitutions });
    const record = checkFile(source, { substitutions: blueprintSubstitutions });
    const cached = JSON.parse(JSON.stringify({ ...record, flow: { ...record.flow, data: undefined } }));
    expect(cached.flow.references).toHaveLength(9);
    const warm = checkFlowSources([source], { substitutions: blueprintSubstitutions }, [cached]);
    expect(warm.flows[0]!.references).toEqual(fresh.flows[0]!.references);
  });
});

describe('locate-block: positions from the lines, as the Document gives them', () => {
  const texts = [
    ...['DR-Emergency-IVR.yaml', 'DR-Fallback-Ivr.yaml', 'SimpleFinancialIvr_v2-0.yaml'].map(
      (f) => readSource(blueprintsDir, f).text,
    ),
    ...['MergeExternalContactBot.yaml', 'MergeExternalContactMessageFlow.yaml', 'ResolveContact.yaml'].map(
      (f) => readSource(blueprintsDir, `merge-external-contact/${f}`).text,
    ),
    `a:
  - x
  - - y
    - z: 1
      w:
        - q
  -
    k: v
b:
- one
- two: |
    block
    text: not a key
  three: "x: y" # comment
c:
  plain
  continued: no
'q''k': 1
"d\\te": 2
e:   spaced
f:
  g: 1
h: {a: 1, "b c": [x, {d: 'it''s', e: {f: g}}], it's: plain, i: , j: "q, r"}
k:
  - {l: [1, 2, [3, {m: n}]], o: {}}
  - [p, {q: r}]
`,
  ];

  /** Every path of a document: keys, indices, and both ways (at the key and at the value). */
  function paths(node: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
    if (Array.isArray(node)) return node.flatMap((v, i) => [[...at, i], ...paths(v, [...at, i])]);
    if (node && typeof node === 'object')
      return Object.entries(node).flatMap(([k, v]) => [[...at, k], ...paths(v, [...at, k])]);
    return [];
  }

  it.each(texts.map((t, i) => [i, t] as const))('text %i: every path it answers matches the Document', (_, raw) => {
    const text = raw.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => blueprintSubstitutions[k] ?? k);
    const doc = parseDocument(text);
    const block = blockLocator(text);
    let answered = 0;
    for (const path of paths(doc.toJS())) {
      for (const atKey of [false, true]) {
        const found = block.find(path, atKey);
        if (found === undefined) continue;
        answered++;
        expect([path, atKey, found]).toEqual([path, atKey, locate(doc, path, atKey)]);
      }
    }
    expect(answered).toBeGreaterThan(10);
  });

  it('answers for every reference of the real files: their positions need no Document', () => {
    const files = [
      'DR-Emergency-IVR.yaml',
      'SimpleFinancialIvr_v2-0.yaml',
      'merge-external-contact/ResolveContact.yaml',
    ];
    for (const file of files) {
      const source = readSource(blueprintsDir, file);
      const text = source.text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => blueprintSubstitutions[k] ?? k);
      const block = blockLocator(text);
      const refs = checkFlowSources([source], { substitutions: blueprintSubstitutions }).flows[0]!.references;
      for (const ref of refs)
        expect([file, ref.path, block.find(ref.path) ?? block.find(ref.path, true)]).toEqual([
          file,
          ref.path,
          expect.any(Number),
        ]);
    }
  });
});
