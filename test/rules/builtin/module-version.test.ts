import { describe, expect, it } from 'vitest';
import { moduleVersion } from '../../../src/rules/builtin/module-version.js';
import { inboundCall, runRule } from './harness.js';

const call = (version: string) => `
- callCommonModule:
    name: Greet
    commonModule:
      Shared Greeting:
        ${version}:
- disconnect:
    name: Bye`;
/** Where a module call's version shows: the module's key, whose value starts at the version key. */
const MODULE_PATH = [
  'inboundCall',
  'tasks',
  0,
  'task',
  'actions',
  0,
  'callCommonModule',
  'commonModule',
  'Shared Greeting',
];

describe('module-version', () => {
  it('reports a pinned version where the team wants the latest (the default), at the module call', () => {
    expect(runRule(moduleVersion, inboundCall(call('ver_3.0')))).toEqual([
      {
        path: MODULE_PATH,
        message:
          'callCommonModule "Greet" pins version 3.0 of "Shared Greeting": later changes of the module never reach this flow (use ver_latestPublished)',
      },
    ]);
    expect(runRule(moduleVersion, inboundCall(call('ver_latestPublished')))).toEqual([]);
  });

  it('want: pinned reports the latest published version, and passes a pinned one', () => {
    expect(runRule(moduleVersion, inboundCall(call('ver_latestPublished')), { want: 'pinned' })).toEqual([
      {
        path: MODULE_PATH,
        message:
          'callCommonModule "Greet" follows the latest published version of "Shared Greeting": this repository pins module versions',
      },
    ]);
    expect(runRule(moduleVersion, inboundCall(call('ver_3.0')), { want: 'pinned' })).toEqual([]);
  });

  it('validates want', () => {
    expect(moduleVersion.validateOptions!({ want: 'latest' })).toBeUndefined();
    expect(moduleVersion.validateOptions!({ want: 'newest' } as never)).toBe(
      "option 'want' must be one of latest, pinned",
    );
  });
});
