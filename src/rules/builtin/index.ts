/**
 * The built-in rules, the registry every run starts from (plugins' rules come after them). Each is a
 * Rule (rules/types.ts), the same shape a plugin exports; its README paragraph ("House rules") says
 * what it catches and why. Add a rule here and in the README's table; bump RULES_REVISION
 * (rules/configure-rules.ts) when a rule's behaviour changes.
 */
import type { Rule } from '../types.js';
import { callsModule } from './calls-module.js';
import { dynamicLookups } from './dynamic-lookups.js';
import { errorHandling } from './error-handling.js';
import { failurePaths } from './failure-paths.js';
import { moduleVersion } from './module-version.js';
import { noHardcodedIds } from './no-hardcoded-ids.js';
import { unreachable } from './unreachable.js';

export const BUILTIN_RULES: readonly Rule[] = [
  callsModule,
  noHardcodedIds,
  failurePaths,
  errorHandling,
  unreachable,
  dynamicLookups,
  moduleVersion,
] as Rule[];
