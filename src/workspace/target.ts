import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedEnvironment } from '../config/config.js';

/** Where an environment's flows live, and the credentials to reach it. */
export interface Target {
  /** For messages: "the embedded emulator" or the host. */
  description: string;
  envUrl: string;
  clientId: string;
  clientSecret: string;
  /** Stops what was started for this target (the embedded emulator). */
  close(): Promise<void>;
}

export const EMBEDDED_CLIENT = { id: 'local-client', secret: 'local-secret' };

/**
 * Resolves an environment to a target. `emulator: true` starts the embedded emulator, whose org is
 * kept in `.flowops/emulator-state.json` beside flowops.yaml so that an apply is still there for
 * the next plan; GENESYS_ENV_URL points anywhere else (a region, or an emulator started by hand).
 */
export async function openTarget(
  environment: ResolvedEnvironment,
  projectDir: string,
  env: Record<string, string | undefined>,
): Promise<Target> {
  const url = env.GENESYS_ENV_URL?.trim();
  if (environment.emulator && !url) {
    const { startEmulator } = await import('../emulator/index.js');
    const stateDir = join(projectDir, '.flowops');
    await mkdir(stateDir, { recursive: true });
    const emulator = await startEmulator({
      port: 0,
      stateFile: join(stateDir, 'emulator-state.json'),
      clients: [{ id: EMBEDDED_CLIENT.id, secret: EMBEDDED_CLIENT.secret }],
      ...(environment.seed ? { seedDir: resolve(projectDir, environment.seed) } : {}),
      ...(environment.objects ? { objects: resolve(projectDir, environment.objects) } : {}),
    });
    return {
      description: `the embedded emulator (state in ${join('.flowops', 'emulator-state.json')})`,
      envUrl: emulator.url,
      clientId: EMBEDDED_CLIENT.id,
      clientSecret: EMBEDDED_CLIENT.secret,
      close: () => emulator.close(),
    };
  }
  const envUrl = url || environment.region;
  if (!envUrl)
    throw new UsageError(
      `environment "${environment.name}" has no region: set region in flowops.yaml or GENESYS_ENV_URL`,
    );
  const clientId = env.GENESYS_CLIENT_ID?.trim();
  const clientSecret = env.GENESYS_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    const missing = [!clientId && 'GENESYS_CLIENT_ID', !clientSecret && 'GENESYS_CLIENT_SECRET']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(`environment "${environment.name}" needs ${missing} (OAuth client credentials of ${envUrl})`);
  }
  return { description: envUrl, envUrl, clientId, clientSecret, close: async () => {} };
}
