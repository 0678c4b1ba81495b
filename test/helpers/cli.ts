import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

export const cliPath = join(repoRoot, 'dist/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `flowops` binary as a user would, without a TTY. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_ACTIONS: '',
      ...options.env,
    };
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Starts the binary and lets the test wait for a line before it acts (e.g. release a lock once
 * apply says it is waiting for it): no sleeps that a slow machine would outrun.
 */
export function startCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): {
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
} {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env };
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  const onData = () => watchers.forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), onData()));
  child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), onData()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(stdout + stderr) && resolve();
        const timer = setTimeout(
          () => reject(new Error(`no output matching ${pattern} in ${timeoutMs} ms:\n${stdout}${stderr}`)),
          timeoutMs,
        );
        watchers.push(() => {
          if (pattern.test(stdout + stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
        check();
        void done.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}:\n${stdout}${stderr}`)), 0));
      }),
  };
}
