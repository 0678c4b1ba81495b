#!/usr/bin/env node
/** The `flowops` program: the commands, their common options, and the one place errors become output and exit codes. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { shownConfigPath } from '../workspace/load-workspace.js';
import { reportError } from './report-error.js';

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

/** Each command's module, in the order help lists them. */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  validate: async () => (await import('./validate.js')).registerValidateCommand,
  plan: async () => (await import('./plan.js')).registerPlanCommand,
  apply: async () => (await import('./apply.js')).registerApplyCommand,
  drift: async () => (await import('./drift.js')).registerDriftCommand,
  export: async () => (await import('./export.js')).registerExportCommand,
  graph: async () => (await import('./graph.js')).registerGraphCommand,
  emulator: async () => (await import('./emulator.js')).registerEmulatorCommand,
};
// Only the command run is loaded (a plan does not load the emulator, the exporter, apply's progress
// display...); help, a version or a word that names no command load them all.
const named = commandNamed(process.argv.slice(2));
for (const name of named ? [named] : Object.keys(COMMANDS)) (await COMMANDS[name]!())(program);

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

/**
 * The command the arguments name: the first word that is not an option (nor the value of the one
 * global option that takes a value), when it is a command's name.
 */
function commandNamed(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--config') i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return undefined;
}
