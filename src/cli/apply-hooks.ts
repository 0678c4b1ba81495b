/** What a person running apply sees and answers: the plan, the question, the progress (apply-progress.ts). */
import { createInterface } from 'node:readline/promises';
import type { ApplyHooks } from '../operations/apply.js';
import type { Plan } from '../plan/types.js';
import { renderPlanText } from '../render/text.js';
import { liveProgress } from './apply-live-progress.js';
import { plainProgress } from './apply-progress.js';
import type { GlobalOptions } from './global-options.js';
import type { Output } from './output.js';

/** What a person sees and answers; machine output (--json) never prompts nor draws. */
export function terminalHooks(out: Output, global: GlobalOptions): ApplyHooks {
  // A person can be asked: a terminal on both ends, and not --json.
  const canAsk = process.stdin.isTTY === true && process.stderr.isTTY === true && !global.json;
  const interactive = process.stderr.isTTY === true && !global.json;
  return {
    planned: (plan) => {
      if (!global.json) out.line(renderPlanText(plan, out.colors));
    },
    ...(canAsk ? { ask: (plan: Plan) => askToApply(out, plan.environment) } : {}),
    watch: (plan) => (interactive ? liveProgress(plan) : plainProgress(out)),
  };
}

async function askToApply(out: Output, environment: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `\nApply these changes to environment ${out.colors.bold(environment)}? Only 'yes' is accepted: `,
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
