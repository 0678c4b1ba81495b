import { CommanderError } from 'commander';
import { ConfigError, RemoteError, UsageError } from '../errors.js';
import { PlanError } from '../plan/build-plan.js';
import type { Diagnostic } from '../check/types.js';
import { Output } from './output.js';

/**
 * What the user reads for an error, decided by the error's type alone (never its message text):
 * - `problems`: positioned lines, `file:line:col: error: message` (config, flow files, plan files,
 *   a plan the repository forbids);
 * - `message`: one `error: message` line (usage, remote, the emulator's seed and state files, a
 *   command line commander refused);
 * - `printed`: commander has printed help or the version already;
 * - `internal`: anything else, a bug.
 */
export type ErrorReport =
  | { kind: 'problems'; diagnostics: Diagnostic[] }
  | { kind: 'message'; message: string; detail?: string }
  | { kind: 'printed'; exitCode: number }
  | { kind: 'internal'; message: string };

export interface ErrorContext {
  /** flowops.yaml as messages show it: where a problem of the whole project is placed. */
  configPath: string;
  /** The command that ran, for the hint after a command line commander refused. */
  command?: string;
}

/** Commander's codes for output it has already printed, which are not errors to report. */
const COMMANDER_PRINTED = new Set([
  'commander.helpDisplayed',
  'commander.help',
  'commander.version',
  'commander.executeSubCommandAsync',
]);

/** The one mapping from an error to what is printed. Pure. */
export function describeError(err: unknown, context: ErrorContext): ErrorReport {
  if (err instanceof CommanderError) {
    if (COMMANDER_PRINTED.has(err.code)) return { kind: 'printed', exitCode: err.exitCode };
    // Commander's messages start with its own "error: ".
    const said = err.message.replace(/^error: /, '');
    return { kind: 'message', message: `${said} (see flowops ${context.command ? `${context.command} ` : ''}--help)` };
  }
  if (err instanceof ConfigError) return { kind: 'problems', diagnostics: err.diagnostics };
  // What the files ask for cannot be planned against this org (a module still called cannot be
  // deleted): a problem of the project, placed at its config file, whichever command planned.
  if (err instanceof PlanError)
    return {
      kind: 'problems',
      diagnostics: [
        { severity: 'error', code: 'plan', message: err.message, file: context.configPath, line: 1, col: 1 },
      ],
    };
  if (err instanceof RemoteError)
    return { kind: 'message', message: err.message, ...(err.detail ? { detail: err.detail } : {}) };
  // The emulator's seed and state file errors are UsageErrors too (not imported here: a command's
  // start does not load the emulator).
  if (err instanceof UsageError) return { kind: 'message', message: err.message };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export interface ReportOptions extends ErrorContext {
  debug: boolean;
  color: boolean;
  /** Under GitHub Actions, positioned problems also become annotations (read from stdout). */
  githubActions: boolean;
}

/** Prints the error on stderr (secrets masked) and returns the exit code: 1, or commander's. */
export function reportError(
  err: unknown,
  options: ReportOptions,
  stderr: NodeJS.WritableStream = process.stderr,
  stdout: NodeJS.WritableStream = process.stdout,
): number {
  const report = describeError(err, options);
  if (report.kind === 'printed') return report.exitCode;
  const out = new Output({ color: options.color }, stderr, stderr);
  const c = out.colors;
  if (report.kind === 'problems') {
    for (const d of report.diagnostics) out.diagnostic(d);
    if (options.githubActions) {
      const annotations = new Output({ color: false }, stdout, stderr);
      for (const d of report.diagnostics) annotations.annotation(d);
    }
  } else if (report.kind === 'message') {
    out.line(`${c.red('error')}: ${report.message}`);
    if (options.debug && report.detail) out.line(`  (${report.detail})`);
  } else {
    out.line(
      `${c.red('internal error')}: ${report.message} (this is a bug in flowops: please report it with the output of --debug)`,
    );
  }
  if (options.debug && err instanceof Error && err.stack && !(err instanceof CommanderError)) out.line(err.stack);
  return 1;
}
