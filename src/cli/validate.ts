/** `flowops validate`: the validate operation, its report printed as problems and a summary, or as JSON. */
import type { Command } from 'commander';
import type { Diagnostic } from '../check/types.js';
import { ConfigError } from '../errors.js';
import { validateFiles, type ValidateReport } from '../operations/validate.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { writeSarifFile } from './sarif-file.js';

interface ValidateOptions {
  env?: string;
  /** Also write the problems as SARIF 2.1.0 to this file (for GitHub code scanning). */
  sarif?: string;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check flow files like a compiler: YAML, schema, substitutions, references, module calls')
    .argument('[paths...]', 'flow files or folders (default: the flows globs of flowops.yaml)')
    .option('--env <name>', 'environment whose substitutions to apply')
    .option(
      '--sarif <file>',
      'also write the problems as SARIF 2.1.0 (GitHub code scanning), also when validation fails',
    )
    .action(async (paths: string[], options: ValidateOptions, command: Command) => {
      process.exitCode = await runValidate(paths, options, globalOptions(command));
    });
}

export async function runValidate(paths: string[], options: ValidateOptions, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color });
  let report: ValidateReport;
  try {
    report = await validateFiles(
      { configPath: global.config, environment: options.env, paths },
      operationContext(out, global),
    );
  } catch (err) {
    // A mistake in flowops.yaml (or a plugin) stops the run before any rule: code scanning still shows it.
    if (options.sarif && err instanceof ConfigError)
      await writeSarifFile(options.sarif, { diagnostics: err.diagnostics, rules: [] }, out);
    throw err;
  }
  if (options.sarif) await writeSarifFile(options.sarif, report, out);
  if (global.json) out.json(report);
  else {
    for (const d of report.diagnostics) out.diagnostic(d);
    const unlisted = report.notFlowFiles.count - report.notFlowFiles.files.length;
    if (unlisted)
      out.line(
        out.colors.yellow(
          `... and ${unlisted} more YAML file${unlisted === 1 ? '' : 's'} reading like flows that no 'flows' glob takes.`,
        ),
      );
    out.line(summary(out, report));
  }
  if (process.env.GITHUB_ACTIONS === 'true') for (const d of report.diagnostics) out.annotation(d);
  return report.errors > 0 ? 1 : 0;
}

function summary(out: Output, { files, flows, errors, warnings, environment }: ValidateReport): string {
  const c = out.colors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (files === 0) return c.yellow('No flow files found (check the flows globs in flowops.yaml).');
  const tail = warnings ? `, ${plural(warnings, 'warning')}` : '';
  if (errors)
    return c.red(`${plural(errors, 'error')}${tail} in ${plural(files, 'file')} (environment ${environment}).`);
  return c.green(
    `${plural(flows.length, 'flow')} valid in ${plural(files, 'file')}${tail} (environment ${environment}).`,
  );
}

export type { Diagnostic };
