/**
 * The emulator in a process of its own (`flowops emulator` of the build measured), not in the
 * bench's: it writes each export when it is downloaded (some 15 ms a large flow here), and on the
 * bench's event loop that work would also hold up the counting proxy, the latency timers and the
 * timing of the progress lines; four 250-flow downloads at once then queue for over 16 s on a busy
 * 2-core machine, past flowops' request timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface EmulatorProcess {
  url: string;
  close(): Promise<void>;
}

export interface EmulatorProcessOptions {
  seedDir: string;
  /** The org's objects (`--objects`): its flows are published against them. */
  objectsFile?: string;
  clients: Array<{ id: string; secret: string }>;
  rateLimitPerMinute: number;
  faults: string;
  seedRandom: number;
}

export async function startEmulatorProcess(cli: string, options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const args = [
    cli,
    'emulator',
    '--port',
    '0',
    '--seed',
    options.seedDir,
    '--rate-limit',
    String(options.rateLimitPerMinute),
    '--faults',
    options.faults,
    '--seed-random',
    String(options.seedRandom),
  ];
  if (options.objectsFile) args.push('--objects', options.objectsFile);
  for (const c of options.clients) args.push('--client', `${c.id}:${c.secret}`);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    void exited.then((code) =>
      reject(new Error(`the emulator exited (${code}) before it printed its URL:\n${stderr}`)),
    );
  });
  return {
    url,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
