/**
 * Integration helpers: the flows the genesys/ tests seed the emulator with (through its `seedDir`
 * option or an Architect job), the demo flows substituted, a port nothing listens on.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { LOCAL_CLIENT, login, runJob } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';

/** The credentials connectGenesys takes: the emulator's default client. */
export const CLIENT = { clientId: LOCAL_CLIENT.id, clientSecret: LOCAL_CLIENT.secret };

/** The integration tests' inbound call flow (their description and greeting name it). */
export function inboundCallYaml(name: string, greeting = `Welcome to ${name}`): string {
  return inboundCall(name, { greeting, description: `Integration test line ${name}` });
}

/** An inbound call flow whose one task calls the common module `module` (latest published version). */
export function callerYaml(name: string, module: string): string {
  return inboundCall(name, { greeting: `Welcome to ${name}`, description: `Integration test line ${name}`, module });
}

export { commonModule as commonModuleYaml };

/** The values flowops.yaml gives the demo flows in its local environment. */
const DEMO_SUBSTITUTIONS: Record<string, string> = {
  division: 'Home',
  greeting: 'Welcome to Acme (local test line).',
  support_queue: 'Support',
  billing_queue: 'Billing',
  sales_queue: 'Sales',
  business_hours: 'Acme Business Hours',
};

/** The repository's demo flows (flows/**), substituted, by file name. */
export async function demoFlows(): Promise<Record<string, string>> {
  const root = new URL('../../flows/', import.meta.url);
  const files: Record<string, string> = {};
  for (const folder of ['inbound', 'modules']) {
    for (const name of await readdir(new URL(`${folder}/`, root))) {
      if (!name.endsWith('.yaml')) continue;
      const text = await readFile(new URL(`${folder}/${name}`, root), 'utf8');
      files[`demo-${name}`] = text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
        const value = DEMO_SUBSTITUTIONS[key];
        if (value === undefined) throw new Error(`demo flow ${name}: no value for ${whole}`);
        return value;
      });
    }
  }
  return files;
}

/**
 * Publishes Archy YAML the way Genesys does (an Architect job, the file PUT to its presigned URL),
 * as its own SDK session: another "person" in the org.
 */
export async function publishYaml(emulator: RunningEmulator, yaml: string): Promise<void> {
  const { architect } = await login(emulator, CLIENT.clientId, CLIENT.clientSecret);
  const state = await runJob(architect, yaml);
  if (state.status !== 'Success') throw new Error(`publish failed: ${JSON.stringify(state.messages)}`);
}

/** A local port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
