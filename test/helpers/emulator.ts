/**
 * The emulator as tests drive it from outside: started for one test and closed when it finishes,
 * the GENESYS_* variables that point the CLI at it with a client's credentials, and its request
 * counts from `/__emulator/stats`. Nothing of the emulator is imported but `startEmulator`.
 */
import { onTestFinished } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export interface Client {
  id: string;
  secret: string;
}

/** The emulator's default OAuth client (every permission), when a test names none. */
export const LOCAL_CLIENT: Client = { id: 'local-client', secret: 'local-secret' };

/** The environment the CLI reads its org from: the emulator's URL and `client`'s credentials. */
export function credentials(emulator: RunningEmulator, client: Client = LOCAL_CLIENT): Record<string, string> {
  return { GENESYS_ENV_URL: emulator.url, GENESYS_CLIENT_ID: client.id, GENESYS_CLIENT_SECRET: client.secret };
}

/** Starts an emulator (on a free port) for the running test; it is closed when the test finishes. */
export async function emulatorForTest(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  onTestFinished(() => emulator.close());
  return emulator;
}

export interface EmulatorStats {
  requests: number;
  byClient: Record<string, number>;
  throttled: number;
  byStatus: Record<string, number>;
  /** Faults injected, by kind (status429, status500, status503, reset, jobFailure...). */
  faults: Record<string, number>;
  logins: number;
}

/** The emulator's counts since it started (or since the last `DELETE /__emulator/stats`). */
export async function emulatorStats(emulator: RunningEmulator): Promise<EmulatorStats> {
  const response = await fetch(`${emulator.url}/__emulator/stats`);
  if (!response.ok) throw new Error(`/__emulator/stats answered ${response.status}`);
  return (await response.json()) as EmulatorStats;
}
