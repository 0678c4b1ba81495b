#!/usr/bin/env node
/** The `flowops` program: the commands, their common options, and the one place errors become output and exit codes. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { shownConfigPath } from '../workspace/load-workspace.js';
import { registerApplyCommand } from './apply.js';
import { registerDriftCommand } from './drift.js';
import { registerEmulatorCommand } from './emulator.js';
import { registerExportCommand } from './export.js';
import { registerGraphCommand } from './graph.js';
import { registerPlanCommand } from './plan.js';
import { reportError } from './report-error.js';
import { registerValidateCommand } from './validate.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('flowops')
  .version(version, '-V, --version')
  .description('GitOps for Genesys Cloud Architect flows: validate, plan and safely apply Archy YAML')
  .option('--config <file>', 'config file (default: ./flowops.yaml)')
  .option('--no-color', 'no colours (NO_COLOR is respected too)')
  .option('--json', 'machine-readable output on stdout')
  .option('--debug', 'show stack traces and request details')
  // Commander's refusals are reported with every other error, below, as one line.
  .configureOutput({ outputError: () => {} })
  .exitOverride();

registerValidateCommand(program);
registerPlanCommand(program);
registerApplyCommand(program);
registerDriftCommand(program);
registerExportCommand(program);
registerGraphCommand(program);
registerEmulatorCommand(program);

// `flowops validate | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // The one place where errors become output and exit codes, whichever command met them.
  const options = program.opts<{ config?: string; color?: boolean; debug?: boolean }>();
  const args = process.argv.slice(2);
  const command = program.commands.find((c) => args.includes(c.name()))?.name();
  process.exitCode = reportError(err, {
    configPath: shownConfigPath(options.config),
    ...(command ? { command } : {}),
    debug: options.debug === true || args.includes('--debug'),
    color: options.color !== false && !args.includes('--no-color'),
    githubActions: process.env.GITHUB_ACTIONS === 'true',
  });
}
