/**
 * `flowops apply`: the arguments, the apply operation with this terminal's hooks (apply-hooks.ts),
 * then what came of it shown, written and turned into the exit code.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { LockPolicy } from '../apply/types.js';
import { applyChanges, DEFAULT_CONCURRENCY } from '../operations/apply.js';
import { releasedLocksLine, renderApplyMarkdown, renderApplyText } from '../render/apply-report.js';
import { terminalHooks } from './apply-hooks.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { writeAtomically } from './write-file.js';

export interface ApplyCliOptions {
  env?: string;
  autoApprove?: boolean;
  concurrency: number;
  lockPolicy: LockPolicy;
  forceUnlock?: boolean;
  prune?: boolean;
  markdown?: string;
}

export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description(
      'apply a saved plan exactly, or plan and apply; in dependency order, never overwriting an unplanned edit',
    )
    .argument('[plan]', 'a plan saved by `flowops plan --out` (default: plan now, then apply)')
    .option('--env <name>', 'environment (default: defaultEnvironment)')
    .option('--auto-approve', 'apply without asking (needed without a terminal, unless a saved plan file is applied)')
    .option(
      '--concurrency <n>',
      'flows being written at once (their looks, locks and jobs; requests stay within the token budget)',
      positiveInt,
      DEFAULT_CONCURRENCY,
    )
    .option(
      '--lock-policy <policy>',
      'a flow locked by someone else: fail, or wait for the lock',
      lockPolicy,
      'fail' as LockPolicy,
    )
    .option('--force-unlock', "unlock flows locked by someone else (this checks in the holder's draft)")
    .option(
      '--prune',
      'carry out the deletes of the plan (or plan them, without a plan file); a flow something points at (an IVR, a queue, a flow) is never deleted',
    )
    .option('--markdown <file>', 'write the report as markdown')
    .action(async (planFile: string | undefined, options: ApplyCliOptions, command: Command) => {
      process.exitCode = await runApply(planFile, options, globalOptions(command));
    });
}

export async function runApply(
  planFile: string | undefined,
  options: ApplyCliOptions,
  global: GlobalOptions,
): Promise<number> {
  const out = new Output({ color: global.color });
  const args = {
    configPath: global.config,
    environment: options.env,
    planFile,
    autoApprove: options.autoApprove === true,
    prune: options.prune === true,
    concurrency: options.concurrency,
    lockPolicy: options.lockPolicy,
    forceUnlock: options.forceUnlock === true,
  };
  const outcome = await applyChanges(args, terminalHooks(out, global), operationContext(out, global));
  if (outcome.kind === 'in-sync') {
    if (outcome.releasedLocks.length) out.line(releasedLocksLine(outcome.releasedLocks));
    for (const note of outcome.notes) out.info(`note: ${note}`);
    return 0;
  }
  if (outcome.kind === 'cancelled') {
    out.line('Apply cancelled: nothing was changed.');
    return 1;
  }
  const { report } = outcome;
  if (options.markdown) await writeAtomically(options.markdown, out.redact(renderApplyMarkdown(report)));
  if (global.json) out.json(report);
  else out.line(renderApplyText(report, out.colors));
  return report.converged ? 0 : 1;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function lockPolicy(value: string): LockPolicy {
  if (value !== 'fail' && value !== 'wait') throw new InvalidArgumentError('expected fail or wait');
  return value;
}
