import { join } from 'node:path';
import { connectGenesys, type GenesysClient } from '../genesys/index.js';
import type { ResolvedEnvironment } from '../config/config.js';
import { fingerprintKeyOf, type Identity } from '../identity/index.js';
import { openTarget } from './target.js';

export interface OpenOrg {
  client: GenesysClient;
  description: string;
  /** The OAuth client flowops runs as (its own locks are not someone else's). */
  clientId: string;
  /** The client and the fingerprint key (derived from its secret): how flowops knows its own versions. */
  identity: Identity;
  close(): Promise<void>;
}

/**
 * Connects to the environment's org (starting the embedded emulator when it is the target) with an
 * export cache in `.flowops/cache` beside flowops.yaml: a published version never changes, so a hit
 * is always right, and an unchanged org plans without exporting anything.
 */
export async function openOrg(
  environment: ResolvedEnvironment,
  projectDir: string,
  env: Record<string, string | undefined>,
  options: { cache: boolean; debug?: boolean },
): Promise<OpenOrg> {
  const target = await openTarget(environment, projectDir, env);
  let client: GenesysClient;
  try {
    client = await connectGenesys({
      target: target.envUrl,
      credentials: { clientId: target.clientId, clientSecret: target.clientSecret },
      ...(environment.requestsPerMinute ? { requestsPerMinute: environment.requestsPerMinute } : {}),
      ...(environment.tokens ? { tokens: environment.tokens } : {}),
      ...(options.cache ? { cacheDir: join(projectDir, '.flowops', 'cache'), cacheSecrets: environment.secrets } : {}),
    });
  } catch (err) {
    await target.close();
    throw err;
  }
  return {
    client,
    description: target.description,
    clientId: target.clientId,
    identity: { clientId: target.clientId, fingerprintKey: fingerprintKeyOf(target.clientSecret) },
    close: async () => {
      await client.close();
      await target.close();
    },
  };
}
