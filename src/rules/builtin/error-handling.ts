/**
 * `error-handling`: a call flow whose error handling (`settingsErrorHandling`) disconnects without
 * playing anything first. Architect runs a flow's error handling when an action fails without a path
 * of its own or the flow passes its action limit (help.mypurecloud.com, "Task editor actions"); a
 * disconnect without pre-handling audio hangs up on the caller in silence, which reads as a dropped
 * line. A flow that leaves the block out gets Architect's default, which speaks first ("Sorry, an
 * error occurred. Please try your call again.", identity/architect-defaults.ts), so it passes.
 */
import type { Rule } from '../types.js';
import { documentFacts, isMapping } from './document-walk.js';
import { checkOptions, stringList } from './rule-options.js';

/** The flow types that play audio (API names): the ones whose error handling has preHandlingAudio. */
export const CALL_FLOW_TYPES: readonly string[] = ['inboundcall', 'outboundcall', 'inqueuecall', 'securecall'];

export interface ErrorHandlingOptions {
  /** The flow types checked (default CALL_FLOW_TYPES). */
  flowTypes?: string[];
}

export const errorHandling: Rule<ErrorHandlingOptions> = {
  id: 'error-handling',
  description: 'A call flow whose error handling disconnects without playing any audio first.',
  help: [
    "When an action fails with no path of its own, Architect runs the flow's error handling.",
    'A disconnect there with no pre-handling audio hangs up in silence: the caller thinks the line dropped and calls again.',
    'Set `settingsErrorHandling.preHandlingAudio` (a `tts`, `prompt` or `exp`), or handle the error with a transfer or a task.',
    'Option: `flowTypes`, the flow types checked (default inboundcall, outboundcall, inqueuecall, securecall).',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) => checkOptions(options as Record<string, unknown>, { flowTypes: stringList() }),
  check(flow, ctx) {
    if (!(ctx.options.flowTypes ?? CALL_FLOW_TYPES).includes(flow.type)) return;
    const { root } = documentFacts(flow.document);
    const settings = root?.body.settingsErrorHandling;
    if (!root || !isMapping(settings)) return;
    const handling = settings.errorHandling;
    if (!isMapping(handling) || !Object.hasOwn(handling, 'disconnect')) return;
    if (isAudible(settings.preHandlingAudio)) return;
    ctx.report(
      // errorHandling's value starts at its `disconnect` key: the report shows there.
      [root.key, 'settingsErrorHandling', 'errorHandling'],
      'error handling disconnects without playing anything first: set preHandlingAudio so the caller hears why',
    );
  },
};

/** Audio that says something: a non-empty `tts`, `prompt` or `exp` (not `noValue`, not empty). */
function isAudible(audio: unknown): boolean {
  if (!isMapping(audio)) return false;
  return ['tts', 'prompt', 'exp'].some((key) => {
    const value = audio[key];
    return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
  });
}
