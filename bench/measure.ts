/**
 * Runs one process and measures it: wall time (spawn to exit), peak resident memory, and each line
 * of its standard error with the time it arrived (to split a run into phases).
 *
 * Peak memory: GNU time's `%M` (the kernel's maximum resident set size of the process, in KiB) when
 * /usr/bin/time exists; otherwise /proc/<pid>/status `VmHWM` (the same high-water mark) polled every
 * 25 ms, whose last reading may come a little before the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface Measured {
  code: number | null;
  wallMs: number;
  /** Peak resident set size in MiB, or null when neither method is available. */
  peakRssMb: number | null;
  /**
   * CPU time of the process (user + system, GNU time's `%U` and `%S`), or null without GNU time: on a
   * shared machine it varies far less than the wall.
   */
  cpuMs: number | null;
  stdout: string;
  stderr: string;
  /** Lines of standard error with the milliseconds since the start at which they arrived. */
  stderrLines: Array<{ atMs: number; text: string }>;
  rssMethod: 'gnu-time' | 'proc-vmhwm' | 'none';
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
}

let gnuTimeWorks: boolean | undefined;

function hasGnuTime(): boolean {
  // Busybox `time` has no -f/-o; GNU time names itself in --version.
  if (gnuTimeWorks === undefined) {
    const probe = existsSync(GNU_TIME) ? spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' }) : undefined;
    gnuTimeWorks = probe !== undefined && /GNU/.test(`${probe.stdout}${probe.stderr}`);
  }
  return gnuTimeWorks;
}

export async function measure(command: string, args: string[], options: RunOptions): Promise<Measured> {
  const useTime = hasGnuTime();
  const scratch = mkdtempSync(join(tmpdir(), 'flowops-bench-measure-'));
  const timeFile = join(scratch, 'rss');
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const stderrLines: Measured['stderrLines'] = [];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    const at = performance.now() - started;
    for (const line of lines) stderrLines.push({ atMs: at, text: line });
  });

  let polledKb = 0;
  let poller: NodeJS.Timeout | undefined;
  if (!useTime && process.platform === 'linux') {
    poller = setInterval(() => {
      void readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => {
          const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
          if (kb > polledKb) polledKb = kb;
        },
        () => {},
      );
    }, 25);
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - started;
  if (poller) clearInterval(poller);
  if (partial) stderrLines.push({ atMs: wallMs, text: partial });

  let peakKb = 0;
  let cpuMs: number | null = null;
  let rssMethod: Measured['rssMethod'] = 'none';
  if (useTime) {
    // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
    const lines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
    const [rss, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    peakKb = rss ?? 0;
    if (user !== undefined && system !== undefined && Number.isFinite(user + system)) cpuMs = (user + system) * 1000;
    rssMethod = 'gnu-time';
  } else if (polledKb > 0) {
    peakKb = polledKb;
    rssMethod = 'proc-vmhwm';
  }
  rmSync(scratch, { recursive: true, force: true });
  return { code, wallMs, peakRssMb: peakKb > 0 ? peakKb / 1024 : null, cpuMs, stdout, stderr, stderrLines, rssMethod };
}

/** When the first stderr line matching `pattern` arrived (ms since start), if any. */
export function lineAt(m: Measured, pattern: RegExp): number | undefined {
  return m.stderrLines.find((l) => pattern.test(l.text))?.atMs;
}

/** One flow of an apply, from its progress lines: when it started and when it ended (ms since the process started). */
export interface FlowSpan {
  label: string;
  startMs: number;
  endMs: number;
  status: string;
}

const START_LINE = /^\d\d:\d\d:\d\d (\S+ ".*"): (create|update|republish|delete)$/;
const END_LINE = /^\d\d:\d\d:\d\d (\S+ ".*"): (applied|deleted|converged|unchanged|skipped|stale|failed)\b/;

/**
 * The flows of an apply from its plain progress lines on standard error (`HH:MM:SS type "name":
 * update` when the flow gets its first concurrency slot, before its lock and its read;
 * `... : applied (version V)` once its publish is verified), each timed by when the line arrived.
 */
export function flowSpans(m: Measured): FlowSpan[] {
  const starts = new Map<string, number>();
  const spans: FlowSpan[] = [];
  for (const line of m.stderrLines) {
    const start = START_LINE.exec(line.text);
    if (start) {
      if (!starts.has(start[1]!)) starts.set(start[1]!, line.atMs);
      continue;
    }
    const end = END_LINE.exec(line.text);
    if (end && starts.has(end[1]!))
      spans.push({ label: end[1]!, startMs: starts.get(end[1]!)!, endMs: line.atMs, status: end[2]! });
  }
  return spans;
}

/** The apply phase: from the first flow's start to the last flow's end (NaN without spans). */
export function phaseOf(spans: readonly FlowSpan[]): { startMs: number; endMs: number; ms: number } {
  if (spans.length === 0) return { startMs: NaN, endMs: NaN, ms: NaN };
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.endMs));
  return { startMs, endMs, ms: endMs - startMs };
}
