import type { Command } from 'commander';
import type { Diagnostic } from '../spec/types.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkWorkspace } from './shared.js';
import { idOf } from '../spec/flow-key.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check flow files like a compiler: YAML, schema, substitutions, references, module calls')
    .argument('[paths...]', 'flow files or folders (default: the flows globs of flowops.yaml)')
    .option('--env <name>', 'environment whose substitutions to apply')
    .action(async (paths: string[], options: { env?: string }, command: Command) => {
      process.exitCode = await runValidate(paths, options, globalOptions(command));
    });
}

export async function runValidate(paths: string[], options: { env?: string }, global: GlobalOptions): Promise<number> {
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env, paths });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const result = checkWorkspace(workspace);
  const diagnostics = [...workspace.diagnostics, ...result.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = workspace.sources.length + workspace.diagnostics.length;
  if (global.json) {
    out.json({
      valid: errors === 0,
      environment: workspace.environment.name,
      files,
      errors,
      warnings,
      flows: result.flows.map((f) => ({ type: f.type, name: f.name, path: f.path, dependsOn: result.graph.dependsOn[idOf(f)] ?? [] })),
      order: result.graph.order,
      diagnostics,
    });
  } else {
    for (const d of diagnostics) out.diagnostic(d);
    out.line(summary(out, files, result.flows.length, errors, warnings, workspace.environment.name));
  }
  if (process.env.GITHUB_ACTIONS === 'true') for (const d of diagnostics) out.annotation(d);
  return errors > 0 ? 1 : 0;
}

function summary(out: Output, files: number, flows: number, errors: number, warnings: number, env: string): string {
  const c = out.colors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (files === 0) return c.yellow('No flow files found (check the flows globs in flowops.yaml).');
  const tail = warnings ? `, ${plural(warnings, 'warning')}` : '';
  if (errors) return c.red(`${plural(errors, 'error')}${tail} in ${plural(files, 'file')} (environment ${env}).`);
  return c.green(`${plural(flows, 'flow')} valid in ${plural(files, 'file')}${tail} (environment ${env}).`);
}

export type { Diagnostic };
