/** `flowops emulator`: run the local Genesys Cloud emulator until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import { DEFAULT_EXPORT_REVISION } from '../emulator/export-defaults.js';
import { UsageError } from '../errors.js';
import { collectClient, type EmulatorArgs, exportRevision, faultSpec, wholeNumber } from './emulator-options.js';

/** Node's listen failures (net.Server 'error' events), which are about --host and --port: a usage error. */
const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: 'the address is in use (another emulator? choose another --port, or 0 for a free one)',
  EADDRNOTAVAIL: 'no such address on this machine (check --host)',
  EACCES: 'not allowed (ports below 1024 need privileges)',
};

function listenError(error: unknown, args: EmulatorArgs): UsageError | undefined {
  const { code, syscall } = error as NodeJS.ErrnoException;
  const why = syscall === 'listen' && code ? LISTEN_FAILURES[code] : undefined;
  return why ? new UsageError(`cannot listen on ${args.host}:${args.port}: ${why}`) : undefined;
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('run the local Genesys Cloud emulator (flows API subset) and print its URL')
    .option('--port <n>', 'port to listen on (0 picks a free port)', wholeNumber(65_535), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--state <file>', 'persist the state to FILE after every change and reload it at start')
    .option('--seed <dir>', 'publish every Archy *.yaml file of DIR at first start')
    .option(
      '--objects <file>',
      "the org's objects (YAML: queues, prompts, dataActions, ...): listed by the API, checked at every publish",
    )
    .option(
      '--client <id:secret[:scopes]>',
      'an OAuth client (repeatable; default local-client:local-secret); scopes are comma-separated permissions',
      collectClient,
      [],
    )
    .option('--rate-limit <n>', 'requests a minute per token (0 = off)', wholeNumber(1_000_000), 300)
    .option(
      '--faults <spec>',
      'inject faults: status429=P,status500=P,status503=P,reset=P,latencyMs=N,jobMs=N,jobFailure=P',
      faultSpec,
    )
    .option('--seed-random <n>', 'seed of the fault dice, to replay a run', wholeNumber(2 ** 31 - 1))
    .option(
      '--export-revision <n>',
      'write exports as Architect did: 1 = 2021-22 (settingsActionDefaults.callBridge), 2 = 2023 and later (promptMediaToValidate, suppressRecording, directAgent); applied at export time',
      exportRevision,
      DEFAULT_EXPORT_REVISION,
    )
    .action(async (args: EmulatorArgs) => {
      await runEmulator(args);
    });
}

async function runEmulator(args: EmulatorArgs): Promise<void> {
  // A bad --seed folder or --state file is reported by the CLI's top (SeedError, StateFileError).
  // Loaded when the command runs: every other command starts without the emulator's modules.
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator({
    port: args.port,
    host: args.host,
    ...(args.state !== undefined && { stateFile: args.state }),
    ...(args.seed !== undefined && { seedDir: args.seed }),
    ...(args.objects !== undefined && { objects: args.objects }),
    ...(args.client.length > 0 && { clients: args.client }),
    rateLimitPerMinute: args.rateLimit,
    ...(args.faults !== undefined && { faults: args.faults }),
    ...(args.seedRandom !== undefined && { seedRandom: args.seedRandom }),
    exportRevision: args.exportRevision,
  }).catch((error: unknown) => {
    throw listenError(error, args) ?? error;
  });
  // Client ids only: secrets are never printed.
  const clients =
    args.client.length > 0 ? args.client.map((c) => c.id).join(', ') : 'local-client (the default client)';
  process.stdout.write(`${emulator.url}\n`);
  process.stderr.write(
    `flowops emulator listening on ${emulator.url}\n` +
      `  clients: ${clients}\n` +
      (args.objects ? `  org objects from ${args.objects}\n` : '') +
      (emulator.seeded > 0 ? `  seeded ${emulator.seeded} flows from ${args.seed}\n` : '') +
      `  exports written as Architect revision ${args.exportRevision}\n` +
      (args.faults ? `  faults: ${args.faults} (--seed-random ${emulator.seedRandom})\n` : '') +
      '  stop with Ctrl-C\n',
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  process.stderr.write('flowops emulator stopped\n');
}
