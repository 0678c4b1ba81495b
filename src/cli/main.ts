#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, FlowopsError } from '../errors.js';
import { registerApplyCommand } from './apply.js';
import { registerDriftCommand } from './drift.js';
import { registerEmulatorCommand } from './emulator.js';
import { registerExportCommand } from './export.js';
import { Output } from './output.js';
import { registerPlanCommand } from './plan.js';
import { registerValidateCommand } from './validate.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('flowops')
  .version(version, '-V, --version')
  .description('GitOps for Genesys Cloud Architect flows: validate, plan and safely apply Archy YAML')
  .option('--config <file>', 'config file (default: ./flowops.yaml)')
  .option('--no-color', 'no colours (NO_COLOR is respected too)')
  .option('--json', 'machine-readable output on stdout')
  .option('--debug', 'show stack traces and request details')
  .showHelpAfterError()
  .exitOverride();

registerValidateCommand(program);
registerPlanCommand(program);
registerApplyCommand(program);
registerDriftCommand(program);
registerExportCommand(program);
registerEmulatorCommand(program);

const debug = process.argv.includes('--debug');
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
  process.exitCode = report(err);
}

/** The one place where errors become output and exit codes. */
function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1; // commander printed it already
  const out = new Output({ color: !process.argv.includes('--no-color') }, process.stderr, process.stderr);
  if (err instanceof ConfigError) {
    for (const d of err.diagnostics) out.diagnostic(d);
    // Under GitHub Actions, problems found by any command also land on the pull request's lines.
    // Workflow commands are read from standard output.
    if (process.env.GITHUB_ACTIONS === 'true') {
      const annotations = new Output({ color: false });
      for (const d of err.diagnostics) annotations.annotation(d);
    }
    return 1;
  }
  if (err instanceof FlowopsError) {
    out.line(`${out.colors.red('error')}: ${err.message}`);
    if (debug && err.stack) out.line(err.stack);
    return 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  out.line(`${out.colors.red('internal error')}: ${e.message} (this is a bug in flowops: please report it with the output of --debug)`);
  if (debug && e.stack) out.line(e.stack);
  return 1;
}
