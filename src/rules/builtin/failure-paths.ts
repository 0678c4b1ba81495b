/**
 * `failure-paths`: an action that can fail, and has a failure output in Architect, whose failure
 * output is missing or has no actions. Architect's own advice is to plan every transfer's and data
 * action's failure (help.mypurecloud.com "Failure paths in Architect": Call Data, Collect Input and the
 * Transfer actions have action-specific failure paths); without one the interaction goes straight on
 * to the next action, or ends, and nobody hears why.
 */
import type { Rule } from '../types.js';
import { actionLabel, documentFacts, isMapping, type Mapping } from './document-walk.js';
import { checkOptions, stringList } from './rule-options.js';

/**
 * Actions with a `failure` output: the transfers and callData as real files and Genesys' page show
 * them; callBotFlow (Architect's Call Bot Flow action has a Failure path) and the secure and digital
 * variants by the same rule. callCommonModule has no failure output in any public file: a module's
 * errors go to error handling.
 */
export const ACTIONS_WITH_FAILURE = [
  'transferToAcd',
  'transferToVoicemail',
  'transferToFlow',
  'transferToFlowSecure',
  'transferToNumber',
  'transferToUser',
  'transferToGroup',
  'callData',
  'callDataSecure',
  'callBotFlow',
  'callDigitalBotFlow',
] as const;

export interface FailurePathsOptions {
  /** The action kinds checked (default ACTIONS_WITH_FAILURE); a kind without a failure output is never reported. */
  actions?: string[];
}

export const failurePaths: Rule<FailurePathsOptions> = {
  id: 'failure-paths',
  description: 'A transfer, data action or bot call whose failure output is missing or empty.',
  help: [
    'When a transfer, a data action or a bot call fails, Architect takes its failure output; without one the',
    'interaction goes straight on to the next action, or ends, and the caller is told nothing.',
    'Give the failure output actions: an apology and another route (a voicemail, another queue, a callback).',
    'Option: `actions`, the action kinds checked (default: the transfers, callData, callDataSecure, callBotFlow, callDigitalBotFlow).',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) => checkOptions(options as Record<string, unknown>, { actions: stringList() }),
  check(flow, ctx) {
    const kinds = new Set<string>(ctx.options.actions ?? ACTIONS_WITH_FAILURE);
    for (const site of documentFacts(flow.document).actions) {
      if (!kinds.has(site.kind)) continue;
      const outputs = site.body.outputs;
      const failure = isMapping(outputs) ? outputs.failure : undefined;
      if (failure === undefined)
        ctx.report(site.itemPath, `${actionLabel(site)} has no failure output: when it fails, nothing handles it`);
      else if (!hasActions(failure))
        ctx.report(
          [...site.path, 'outputs', 'failure'],
          `${actionLabel(site)} has an empty failure output: when it fails, nothing handles it`,
        );
    }
  },
};

function hasActions(branch: unknown): boolean {
  const actions = isMapping(branch) ? (branch as Mapping).actions : undefined;
  return Array.isArray(actions) && actions.length > 0;
}
