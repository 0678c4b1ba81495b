/**
 * `calls-module`: flows of the given types call a common module, and with `first: true` call it as
 * the first action they run (the startup task's, the initial state's, or the startup actions). The
 * scenario flowops grew from: every inbound line tags the call and greets through one shared module,
 * and a line that skips it goes unnoticed until a customer hears the difference.
 */
import { COMMON_MODULE_TYPE } from '../../check/flow-types.js';
import { isObject } from '../../check/walk.js';
import type { ObjectReference } from '../../check/types.js';
import type { Rule } from '../types.js';
import { flowStart } from './start-actions.js';

export type CallsModuleOptions = {
  /** The common module's name (matched regardless of case, as Genesys matches flow names). */
  module: string;
  /** The flow types (lower case, as the API writes them) that must call it; default: every type but common modules. */
  flowTypes?: string[];
  /** The call must be the first action the flow runs. */
  first?: boolean;
};

const OPTION_KEYS = ['module', 'flowTypes', 'first'];
const FLOW_TYPES = [
  'inboundcall',
  'outboundcall',
  'securecall',
  'inqueuecall',
  'inboundemail',
  'inboundshortmessage',
  'inboundchat',
  'inqueueemail',
  'inqueueshortmessage',
  'workflow',
  'workitem',
  'surveyinvite',
  'bot',
  'digitalbot',
  'voicemail',
];

export const callsModule: Rule<CallsModuleOptions> = {
  id: 'calls-module',
  description: 'Flows of the given types call the given common module (with first: true, as their first action).',
  help:
    'Set `module` to the common module every flow of `flowTypes` must call, and `first: true` when the call ' +
    'must be the first action the flow runs (the first action of the task or state `startUpRef` names). ' +
    'Add the `callCommonModule` action, or suppress the rule for a flow that does the work itself: ' +
    '`# flowops-ignore calls-module: why`.',
  defaultSeverity: 'off',
  validateOptions(options) {
    const unknown = Object.keys(options).find((k) => !OPTION_KEYS.includes(k));
    if (unknown !== undefined) return `unknown option "${unknown}" (options: ${OPTION_KEYS.join(', ')})`;
    if (typeof options.module !== 'string' || options.module.trim() === '')
      return 'option "module" is required: the name of the common module the flows must call';
    if (options.first !== undefined && typeof options.first !== 'boolean') return 'option "first" is true or false';
    const types = options.flowTypes;
    if (types === undefined) return undefined;
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== 'string'))
      return 'option "flowTypes" is a list of flow types, e.g. [inboundcall]';
    const bad = types.find((t) => !FLOW_TYPES.includes(t.toLowerCase()));
    if (bad !== undefined)
      return `option "flowTypes": "${bad}" is not a flow type that can call a module (${FLOW_TYPES.join(', ')})`;
    return undefined;
  },
  check(flow, ctx) {
    const { module, first = false } = ctx.options;
    const types = (ctx.options.flowTypes ?? FLOW_TYPES).map((t) => t.toLowerCase());
    if (flow.type === COMMON_MODULE_TYPE || !types.includes(flow.type)) return;
    const wanted = module.toLowerCase();
    const calls = ctx.references.filter((r) => isCallOf(r, wanted));
    if (!first && calls.length > 0) return;
    const start = flowStart(flow.document);
    const subject = `${flow.type} "${flow.name}"`;
    if (!first) {
      const at = start?.kind === 'actions' && start.list.length ? [...start.path, 0] : (start?.path ?? []);
      ctx.report(at, `${subject} does not call common module "${module}"`);
      return;
    }
    if (!start || start.kind === 'other') {
      ctx.report(
        start?.path ?? [],
        `${subject} must call common module "${module}" first, but starts at ${start?.what ?? 'nothing'}`,
      );
      return;
    }
    const firstAction = start.list[0];
    if (calledModule(firstAction)?.toLowerCase() === wanted) return;
    const later = calls.length ? ` (it is called later, at line ${calls[0]!.line})` : '';
    const at = start.list.length ? [...start.path, 0] : start.path;
    ctx.report(at, `the first action of ${start.what} must call common module "${module}"${later}`);
  },
};

function isCallOf(ref: ObjectReference, module: string): boolean {
  return (
    ref.kind === 'flow' && (ref.flowTypes?.includes(COMMON_MODULE_TYPE) ?? false) && ref.name?.toLowerCase() === module
  );
}

/** The module a `- callCommonModule: {commonModule: {<name>: ...}}` action calls. */
function calledModule(action: unknown): string | undefined {
  if (!isObject(action) || !isObject(action.callCommonModule)) return undefined;
  const target = action.callCommonModule.commonModule;
  return isObject(target) ? Object.keys(target)[0] : undefined;
}
