/**
 * The six rules on the flows Genesys published: every finding is listed here, each a true one (the
 * blueprints validate with exit 0 as built-ins not configured only warn), and the rules a team would
 * make errors (no-hardcoded-ids, dynamic-lookups, error-handling) find nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../../src/check/index.js';
import { dynamicLookups } from '../../../src/rules/builtin/dynamic-lookups.js';
import { errorHandling } from '../../../src/rules/builtin/error-handling.js';
import { failurePaths } from '../../../src/rules/builtin/failure-paths.js';
import { moduleVersion } from '../../../src/rules/builtin/module-version.js';
import { noHardcodedIds } from '../../../src/rules/builtin/no-hardcoded-ids.js';
import { unreachable } from '../../../src/rules/builtin/unreachable.js';
import type { Rule } from '../../../src/rules/types.js';
import { blueprintSubstitutions, blueprintsDir, readSource } from '../../helpers/fixtures.js';
import { blueprintFiles } from '../../helpers/flow-documents.js';

const RULES = [noHardcodedIds, failurePaths, errorHandling, unreachable, dynamicLookups, moduleVersion] as Rule[];

function reportsOn(file: string): string[] {
  const record = checkFile(readSource(blueprintsDir, file), { substitutions: blueprintSubstitutions });
  const flow = record.flow!;
  const out: string[] = [];
  for (const rule of RULES)
    rule.check(
      { type: flow.identity!.type, name: flow.identity!.name, path: file, document: flow.data! },
      {
        options: {},
        references: flow.references ?? [],
        report: (path) => out.push(`${rule.defaultSeverity} ${rule.id} ${path.join('.')}`),
      },
    );
  return out;
}

describe('the built-in rules on the real blueprints', () => {
  it.each(blueprintFiles)('%s: no error, only true warnings', (file) => {
    const expected: Record<string, string[]> = {
      // The start is the voicemail task; no choice or jump leads to the menu.
      'DR-Fallback-Ivr.yaml': ['warn unreachable inboundCall.menus.0'],
      // Neither the bot call nor the transfer says what happens when it fails.
      'merge-external-contact/MergeExternalContactMessageFlow.yaml': [
        'warn failure-paths inboundShortMessage.states.0.state.actions.0',
        'warn failure-paths inboundShortMessage.states.0.state.actions.4',
      ],
      // Three data actions with success paths only.
      'merge-external-contact/ResolveContact.yaml': [
        'warn failure-paths commonModule.startUpTaskActions.0',
        'warn failure-paths commonModule.startUpTaskActions.0.callData.outputs.success.actions.0',
        'warn failure-paths commonModule.startUpTaskActions.0.callData.outputs.success.actions.0.callData.outputs.success.actions.0.decision.outputs.no.actions.0',
      ],
    };
    expect(reportsOn(file)).toEqual(expected[file] ?? []);
  });
});
