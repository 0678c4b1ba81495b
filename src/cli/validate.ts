import type { Command } from 'commander';
import type { Diagnostic } from '../check/types.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import type { OutsideFile } from '../workspace/outside-files.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { checkWorkspace } from './shared.js';
import { idOf } from '../identity/index.js';

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
  const listed = workspace.outside.slice(0, MAX_OUTSIDE_LISTED);
  const unlisted = workspace.outside.length - listed.length;
  const diagnostics = [...workspace.diagnostics, ...result.diagnostics, ...listed.map((f) => notAFlowFile(f, workspace.config?.path ?? 'flowops.yaml'))];
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
      notFlowFiles: { count: workspace.outside.length, files: listed.map(({ path, type, name }) => ({ path, type, ...(name !== undefined ? { name } : {}) })) },
    });
  } else {
    for (const d of diagnostics) out.diagnostic(d);
    if (unlisted) out.line(out.colors.yellow(`... and ${unlisted} more YAML file${unlisted === 1 ? '' : 's'} reading like flows that no 'flows' glob takes.`));
    out.line(summary(out, files, result.flows.length, errors, warnings, workspace.environment.name));
  }
  if (process.env.GITHUB_ACTIONS === 'true') for (const d of diagnostics) out.annotation(d);
  return errors > 0 ? 1 : 0;
}

/** How many YAML files outside the `flows` globs validate names; the rest are counted. */
export const MAX_OUTSIDE_LISTED = 20;

/** A file that reads like a flow but that no `flows` glob takes: a warning at its flow type's key. */
function notAFlowFile(file: OutsideFile, configPath: string): Diagnostic {
  const flow = file.name === undefined ? `a ${file.type} flow` : `${file.type} "${file.name}"`;
  return {
    severity: 'warning',
    code: 'not-a-flow-file',
    message: `not a flow file of this project (no 'flows' glob takes it), though it reads like ${flow}: add it to flows or to ignore in ${configPath}`,
    file: file.path,
    line: file.line,
    col: 1,
  };
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
