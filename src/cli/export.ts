/**
 * `flowops export`: the export operation, then its files written (flowops.yaml first, when
 * --substitute adds values to it: a flow file never names a placeholder that has no value) and what
 * was written said.
 */
import type { Command } from 'commander';
import { exportLiveFlows } from '../operations/export.js';
import { SUBSTITUTABLE_KINDS } from '../operations/export-names.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { writeAtomically, writeInFolder } from './write-file.js';

interface ExportOptions {
  env?: string;
  out: string;
  type?: string[];
  force?: boolean;
  substitute?: string[];
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'write the live flows as Archy files, ready to commit (onboarding an existing org), secrets as their {{placeholders}}',
    )
    .option('--env <name>', 'environment to read (default: defaultEnvironment)')
    .requiredOption('--out <dir>', 'folder to write the files into (one sub-folder per flow type)')
    .option('--type <type...>', 'only these flow types (e.g. inboundcall commonmodule); default: all')
    .option('--force', 'overwrite files that exist with other content')
    .option(
      '--substitute <kinds...>',
      `write the names of these kinds of org object as {{placeholders}}, their values added to the environment's substitutions in flowops.yaml (e.g. queue,dataAction,division; kinds: ${SUBSTITUTABLE_KINDS.join(', ')})`,
    )
    .action(async (options: ExportOptions, command: Command) => {
      process.exitCode = await runExport(options, globalOptions(command));
    });
}

export async function runExport(options: ExportOptions, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color });
  const { files, unpublished, substituted } = await exportLiveFlows(
    {
      configPath: global.config,
      environment: options.env,
      out: options.out,
      types: options.type ?? [],
      force: options.force === true,
      substitute: options.substitute ?? [],
    },
    operationContext(out, global),
  );
  if (substituted?.config) await writeAtomically(substituted.config.path, substituted.config.content);
  for (const f of files) await writeInFolder(f.path, f.content);
  if (global.json) {
    const substitutions = substituted && {
      environment: substituted.environment,
      values: substituted.values,
      configWritten: substituted.config !== undefined,
    };
    out.json({ written: files.map((f) => f.shown), unpublished, ...(substitutions ? { substitutions } : {}) });
  } else {
    out.line(`Exported ${files.length} flow(s) to ${options.out}.`);
    if (substituted) {
      const count = Object.keys(substituted.values).length;
      out.line(
        count === 0
          ? 'No name of those kinds to write as a placeholder.'
          : `Wrote ${count} name(s) as placeholders, their values ${substituted.config ? `added to ${substituted.config.shown}` : 'in flowops.yaml already'} (environment ${substituted.environment}).`,
      );
    }
    if (unpublished.length)
      out.line(
        `Skipped ${unpublished.length} flow(s) never published: ${unpublished.slice(0, 5).join(', ')}${unpublished.length > 5 ? ', ...' : ''}`,
      );
  }
  return 0;
}
