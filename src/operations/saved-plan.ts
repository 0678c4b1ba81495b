/**
 * A plan saved by `flowops plan --out`, read back for apply: a valid plan file for this environment
 * (apply/load-plan.ts), refused when the files it was made from have changed since, and without its
 * deletes unless they are asked for.
 */
import { readFile } from 'node:fs/promises';
import { parsePlanFile } from '../apply/load-plan.js';
import { desiredHashOf, idOf } from '../identity/index.js';
import type { CheckResult } from '../check/types.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Plan } from '../plan/types.js';

/** The plan in `path`, for `environment`, made from the files as they are now (`check`). */
export async function readSavedPlan(path: string, environment: string, check: CheckResult): Promise<Plan> {
  const plan = parsePlanFile(path, await readPlanText(path), environment);
  refuseIfFilesChanged(plan, check, path);
  return plan;
}

async function readPlanText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the plan file ${path}`);
  }
}

/** Apply exactly the approved plan: if a file's content changed since, the plan is not that. */
function refuseIfFilesChanged(plan: Plan, check: CheckResult, planFile: string): void {
  const desired = new Map(check.flows.map((f) => [idOf(f), desiredHashOf(f)]));
  const changed = plan.flows
    .filter((f) => f.action !== 'delete' && desired.get(f.id) !== f.desiredHash)
    .map((f) => f.path ?? f.id);
  if (changed.length) {
    throw ConfigError.at(
      planFile,
      `the flow files changed since this plan was made (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}): make a new plan and review it`,
      1,
      1,
      'stale-plan',
    );
  }
}

/** A saved plan's deletes are carried out only with --prune (a plan made now has none without it). */
export function withoutDeletes(plan: Plan): Plan {
  return { ...plan, flows: plan.flows.filter((f) => f.action !== 'delete') };
}
