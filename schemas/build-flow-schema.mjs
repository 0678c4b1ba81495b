// Generates schemas/flow.schema.json: `node schemas/build-flow-schema.mjs > schemas/flow.schema.json`.
// The generator is the source; a test checks that the committed JSON is its output.
const W = { 'x-flowops-unknown': 'warning' }; // unknown keys here are warnings, not errors
const obj = (properties, required = [], extra = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...W,
  ...extra,
});
const objOrNull = (properties, required = [], extra = {}) => ({
  ...obj(properties, required, extra),
  type: ['object', 'null'],
});
const ref = (n) => ({ $ref: `#/$defs/${n}` });
const str = { type: 'string' };
const scalar = { type: ['string', 'number', 'boolean'] };
const name = scalar; // names may come from substitutions of any scalar type

const defs = {
  scalar,
  value: {
    description: 'A value wrapper: {lit: ...}, {exp: "..."} or {noValue: true}.',
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    properties: { lit: {}, exp: scalar, noValue: { const: true } },
    additionalProperties: false,
    'x-flowops-kind': 'value',
  },
  variableTarget: {
    type: 'object',
    required: ['var'],
    properties: { var: str },
    additionalProperties: false,
    'x-flowops-kind': 'value',
  },
  audio: {
    description: 'Audio: {tts: "..."}, {exp: "..."}, {prompt: PromptSystem.x} or {noValue: true}.',
    type: 'object',
    minProperties: 1,
    properties: { tts: scalar, exp: scalar, prompt: scalar, noValue: { const: true }, lit: {} },
    additionalProperties: false,
    ...W,
  },
  audioOrValue: {
    type: 'object',
    minProperties: 1,
    properties: { tts: scalar, exp: scalar, prompt: scalar, noValue: { const: true }, lit: {} },
    additionalProperties: false,
    ...W,
  },
  reference: {
    description:
      'A reference to a refId: absolute (/inboundCall/menus/menu[Main Menu]), relative (./..., ../...) or external (file.yaml#/path).',
    type: 'string',
    minLength: 1,
  },
  none: { type: 'object', properties: { none: { const: true } }, additionalProperties: false, ...W },
  anyObject: { type: ['object', 'null'] },
  actionList: { type: ['array', 'null'], items: ref('action') },
  branch: objOrNull({ actions: ref('actionList') }),
  outputs: { type: ['object', 'null'], additionalProperties: ref('branch') },
  valueMap: { type: ['object', 'null'], additionalProperties: { type: ['object', 'null'] } },
  moduleCall: objOrNull(
    { ver_latestPublished: ref('moduleVersion') },
    [],
    // A pinned version, `ver_<number>` (module-version rule; the shape is UNVERIFIED: no public file pins one).
    { patternProperties: { '^ver_[0-9]+(\\.[0-9]+)*$': ref('moduleVersion') } },
  ),
  moduleVersion: objOrNull({
    none: { const: true },
    inputs: { type: ['object', 'null'], additionalProperties: ref('value') },
    outputs: { type: ['object', 'null'], additionalProperties: ref('variableTarget') },
  }),
  variables: {
    type: ['array', 'null'],
    items: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: { type: ['object', 'null'], properties: { name: str } },
    },
  },
};

const named = (props = {}, required = []) => objOrNull({ name, ...props }, required);
const acdProps = {
  targetQueue: ref('value'),
  acdSkills: {},
  priority: ref('value'),
  preferredAgents: ref('value'),
  languageSkill: ref('value'),
  directAgent: ref('value'),
  preTransferAudio: ref('audioOrValue'),
  failureTransferAudio: ref('audioOrValue'),
  failureOutputs: ref('valueMap'),
  outputs: ref('outputs'),
};
const actions = {
  playAudio: named({ audio: ref('audio') }, ['audio']),
  callCommonModule: named(
    {
      commonModule: {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: ref('moduleCall'),
        'x-flowops-kind': 'moduleCall',
      },
    },
    ['commonModule'],
  ),
  setParticipantData: named(
    {
      attributes: {
        type: 'array',
        items: obj({ attribute: obj({ name: ref('value'), value: ref('value') }, ['name', 'value']) }, ['attribute']),
      },
    },
    ['attributes'],
  ),
  updateData: named(
    {
      statements: {
        type: 'array',
        items: {
          type: 'object',
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: obj({ variable: str, value: ref('value') }, ['variable', 'value']),
        },
      },
    },
    ['statements'],
  ),
  transferToAcd: named(acdProps, ['targetQueue']),
  transferToVoicemail: named(
    {
      destination: { type: 'object' },
      preTransferAudio: ref('audioOrValue'),
      failureTransferAudio: ref('audioOrValue'),
      failureOutputs: ref('valueMap'),
      outputs: ref('outputs'),
    },
    ['destination'],
  ),
  transferToFlow: named(
    {
      targetFlow: { type: 'object', required: ['name'], properties: { name }, additionalProperties: false, ...W },
      preTransferAudio: ref('audioOrValue'),
      failureTransferAudio: ref('audioOrValue'),
      failureOutputs: ref('valueMap'),
      outputs: ref('outputs'),
    },
    ['targetFlow'],
  ),
  disconnect: named({ none: { const: true } }),
  jumpToMenu: named({ targetMenuRef: ref('reference') }, ['targetMenuRef']),
  callTask: named({ targetTaskRef: ref('reference') }, ['targetTaskRef']),
  jumpToTask: named({ targetTaskRef: ref('reference') }, ['targetTaskRef']),
  endTask: named({ outputPath: obj({ name }, ['name']) }),
  decision: named({ condition: ref('value'), outputs: ref('outputs') }, ['condition']),
  switch: named({ evaluate: { type: 'object' } }, ['evaluate']),
  loop: named({ currentIndex: ref('variableTarget'), loopCount: ref('value'), outputs: ref('outputs') }, ['loopCount']),
  evaluateScheduleGroup: named(
    { inServiceSchedules: {}, evaluate: {}, scheduleGroup: ref('value'), emergencyGroup: {}, outputs: ref('outputs') },
    ['scheduleGroup'],
  ),
  callData: named(
    {
      processingPrompt: ref('audioOrValue'),
      timeout: ref('value'),
      category: { type: 'object', minProperties: 1 },
      outputs: ref('outputs'),
    },
    ['category'],
  ),
  dataTableLookup: named(
    { dataTable: { type: 'object', minProperties: 1 }, lookupValue: ref('value'), outputs: ref('outputs') },
    ['dataTable', 'lookupValue'],
  ),
};
// Actions seen in real files but not modelled in detail: accepted, only the shape is checked.
for (const a of [
  'collectInput',
  'changeState',
  'endWorkflow',
  'setConversationData',
  'getConversationData',
  'getParticipantData',
  'holdMusic',
  'playEstimatedWaitTime',
  'sendResponse',
  'findQueue',
  'wait',
  'callBotFlow',
  'setScreenPop',
  'askForIntent',
  'askForBoolean',
  'askForSlot',
  'digitalMenu',
  'exitBotFlow',
  'loopExit',
  'loopNext',
  'transferToNumber',
  'transferToUser',
  'transferToGroup',
  'setWrapupCode',
  'setExternalTag',
  'setUUIData',
  'callBridge',
  'collectInputAudio',
]) {
  actions[a] = { type: ['object', 'null'], properties: { name }, 'x-flowops-kind': 'lightAction' };
}
defs.actions = actions;
defs.action = {
  description: 'One action: a single key naming the action.',
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(Object.keys(actions).map((a) => [a, ref(`actions/${a}`)])),
  additionalProperties: false,
  'x-flowops-unknown': 'warning',
  'x-flowops-kind': 'action',
};
const choiceCommon = {
  name,
  refId: scalar,
  dtmf: scalar,
  globalDtmf: {},
  globalSpeechRecTerms: {},
  speechRecTerms: {},
};
const choices = {
  menuTask: objOrNull({
    ...choiceCommon,
    task: objOrNull({ actions: ref('actionList'), variables: ref('variables') }),
  }),
  menuDisconnect: objOrNull({ ...choiceCommon, none: { const: true } }),
  menuTransferToAcd: objOrNull({ ...choiceCommon, ...acdProps }, ['targetQueue']),
  menuJumpToTask: objOrNull({ ...choiceCommon, targetTaskRef: ref('reference') }, ['targetTaskRef']),
  menuJumpToMenu: objOrNull({ ...choiceCommon, targetMenuRef: ref('reference') }, ['targetMenuRef']),
  menuSubMenu: objOrNull({ ...choiceCommon, menu: { type: 'object' } }),
};
defs.choices = choices;
defs.choice = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(Object.keys(choices).map((c) => [c, ref(`choices/${c}`)])),
  additionalProperties: false,
  'x-flowops-unknown': 'warning',
  'x-flowops-kind': 'choice',
};
defs.menu = obj(
  {
    name,
    refId: scalar,
    audio: ref('audioOrValue'),
    settingsMenu: ref('anyObject'),
    settingsSpeechRec: ref('anyObject'),
    choices: { type: ['array', 'null'], items: ref('choice') },
    defaultChildMenuRef: ref('reference'),
    speechRecTerms: {},
    dtmf: {},
  },
  ['name'],
);
defs.task = obj({ name, refId: scalar, actions: ref('actionList'), variables: ref('variables') }, ['name']);
defs.state = obj({ name, refId: scalar, actions: ref('actionList'), variables: ref('variables') }, ['name']);
const list = (item, def) => ({
  type: ['array', 'null'],
  items: { type: 'object', required: [item], properties: { [item]: ref(def) }, additionalProperties: false, ...W },
});

const common = {
  name,
  description: { type: ['string', 'null', 'number', 'boolean'] },
  division: scalar,
  defaultLanguage: scalar,
  supportedLanguages: { type: 'object' },
  variables: ref('variables'),
  initialGreeting: ref('audioOrValue'),
};
const settings = { '^settings[A-Z]': { type: ['object', 'null'] } };
function flow(props, required, forbidden = []) {
  const properties = { ...common, ...props };
  for (const f of forbidden) properties[f] = false;
  return {
    type: 'object',
    properties,
    patternProperties: settings,
    required: ['name', ...required],
    additionalProperties: false,
    ...W,
  };
}
const startUpRef = ref('reference');
const tasks = list('task', 'task'),
  menus = list('menu', 'menu'),
  states = list('state', 'state');
const bots = {
  type: ['array', 'null'],
  items: {
    type: 'object',
    required: ['bot'],
    properties: {
      bot: obj({ name, refId: scalar, actions: ref('actionList'), variables: ref('variables') }, ['name']),
    },
    additionalProperties: false,
    ...W,
  },
};
const flows = {
  inboundCall: flow({ startUpRef, menus, tasks }, ['startUpRef']),
  outboundCall: flow({ startUpRef, menus, tasks }, ['startUpRef']),
  secureCall: flow({ startUpRef, menus, tasks }, ['startUpRef']),
  inqueueCall: flow({ startUpTaskActions: ref('actionList'), tasks }, []),
  inboundEmail: flow({ startUpRef, states, tasks }, ['startUpRef']),
  inboundShortMessage: flow({ startUpRef, states, tasks }, ['startUpRef']),
  inboundChat: flow({ startUpRef, states, tasks }, ['startUpRef']),
  inqueueEmail: flow({ startUpTaskActions: ref('actionList'), states, tasks }, []),
  inqueueShortMessage: flow({ startUpTaskActions: ref('actionList'), states, tasks }, []),
  workflow: flow({ startUpRef, states, tasks }, ['startUpRef']),
  workitem: flow({ startUpRef, states, tasks, worktype: { type: 'object' } }, ['startUpRef']),
  surveyInvite: flow({ startUpRef, states, tasks }, ['startUpRef']),
  botFlow: flow({ startUpRef, bots, tasks }, ['startUpRef']),
  digitalBot: flow({ startUpRef, bots, tasks }, ['startUpRef']),
  voicemail: flow({ startUpRef, menus, tasks, startUpTaskActions: ref('actionList') }, []),
  commonModule: flow(
    { startUpTaskActions: ref('actionList') },
    ['startUpTaskActions'],
    ['startUpRef', 'defaultLanguage', 'menus', 'initialGreeting'],
  ),
};
defs.flows = flows;
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://flowops.dev/schemas/flow.schema.json',
  title: 'Archy flow file (as accepted by flowops)',
  description:
    'One Genesys Cloud Architect flow per file, keyed by its flow type. Built from real Archy files; keys flowops has not seen are allowed (flowops warns), modelled actions have their required keys and value types checked.',
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(Object.keys(flows).map((k) => [k, ref(`flows/${k}`)])),
  additionalProperties: false,
  'x-flowops-kind': 'root',
  $defs: defs,
};
process.stdout.write(JSON.stringify(schema, null, 2) + '\n');
