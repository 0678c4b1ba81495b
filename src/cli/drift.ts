/** `flowops drift`: the drift operation, its report shown; exit 0 in sync, 2 drift, 1 error. */
import type { Command } from 'commander';
import { findDrift } from '../operations/drift.js';
import { renderDriftText } from '../render/drift.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';

export function registerDriftCommand(program: Command): void {
  program
    .command('drift')
    .description('report flows changed in the org outside flowops (e.g. in the Architect UI)')
    .option('--env <name>', 'environment to check (default: defaultEnvironment)')
    .action(async (options: { env?: string }, command: Command) => {
      process.exitCode = await runDrift(options, globalOptions(command));
    });
}

export async function runDrift(options: { env?: string }, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color });
  const report = await findDrift(
    { configPath: global.config, environment: options.env },
    operationContext(out, global),
  );
  if (global.json) out.json(report);
  else out.line(renderDriftText(report, out.colors));
  return report.drifted.length ? 2 : 0;
}
