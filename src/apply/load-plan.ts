import type { ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { validate as compiledPlanValidator } from '../generated/plan-validator.js';

/** schemas/plan.schema.json compiled at build time (schemas/build-validators.mjs). */
const validator = compiledPlanValidator as ValidateFunction;

/**
 * A saved plan, checked before anything is done with it: valid JSON, valid against
 * schemas/plan.schema.json, a format this version knows, for the environment asked. Pure.
 */
export function parsePlanFile(path: string, text: string, environment: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw ConfigError.at(path, `not a plan file: ${(err as Error).message}`, 1, 1, 'plan');
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== 2)
    throw ConfigError.at(
      path,
      `plan format ${JSON.stringify(version)} is not one this flowops reads (2): make the plan again with this version`,
      1,
      1,
      'plan',
    );
  if (!validator(data)) {
    const e = validator.errors?.[0];
    throw ConfigError.at(path, `not a valid plan: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim(), 1, 1, 'plan');
  }
  const plan = data as Plan;
  if (plan.environment !== environment) {
    throw ConfigError.at(
      path,
      `this plan is for environment "${plan.environment}", not "${environment}": refusing to apply it here`,
      1,
      1,
      'plan',
    );
  }
  return plan;
}
