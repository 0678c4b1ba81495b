/** `flowops export`: the export operation, then its files written and what was written said. */
import type { Command } from 'commander';
import { exportLiveFlows } from '../operations/export.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { writeInFolder } from './write-file.js';

interface ExportOptions {
  env?: string;
  out: string;
  type?: string[];
  force?: boolean;
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
    .action(async (options: ExportOptions, command: Command) => {
      process.exitCode = await runExport(options, globalOptions(command));
    });
}

export async function runExport(options: ExportOptions, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color });
  const { files, unpublished } = await exportLiveFlows(
    {
      configPath: global.config,
      environment: options.env,
      out: options.out,
      types: options.type ?? [],
      force: options.force === true,
    },
    operationContext(out, global),
  );
  for (const f of files) await writeInFolder(f.path, f.content);
  if (global.json) out.json({ written: files.map((f) => f.shown), unpublished });
  else {
    out.line(`Exported ${files.length} flow(s) to ${options.out}.`);
    if (unpublished.length)
      out.line(
        `Skipped ${unpublished.length} flow(s) never published: ${unpublished.slice(0, 5).join(', ')}${unpublished.length > 5 ? ', ...' : ''}`,
      );
  }
  return 0;
}
