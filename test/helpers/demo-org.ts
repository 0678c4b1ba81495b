/**
 * The demo flows (flows/) as a user's repository and as a live org's seed, with the substitutions
 * of its environment, and a small in-place edit that fails when the text is not there.
 */
import { cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, runCli } from './cli.js';
import { repoRoot } from './fixtures.js';
import { tempDir } from './temp-dir.js';

/** The substitutions of the demo's `prod` environment, as tests write them into flowops.yaml. */
export const demoSubstitutions: Record<string, string> = {
  division: 'Home',
  greeting: 'Welcome to Acme.',
  support_queue: 'Support',
  billing_queue: 'Billing',
  sales_queue: 'Sales',
  business_hours: 'Acme Business Hours',
};

/** The org objects the demo flows name (queues, a schedule group): a demo org has them. */
export const demoObjectsFile = join(repoRoot, 'test/fixtures/demo-objects.yaml');

export function substituteDemo(text: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => demoSubstitutions[key] ?? `{{${key}}}`);
}

/**
 * A flows repository like a user's: the demo flows and a flowops.yaml whose `test` environment is
 * reached through GENESYS_ENV_URL. Also a folder of the same flows, substituted, to seed an org.
 */
export function makeDemoRepo(): { dir: string; seedDir: string } {
  const dir = tempDir({}, 'flowops-repo-');
  cpSync(join(repoRoot, 'flows'), join(dir, 'flows'), { recursive: true });
  const subs = Object.entries(demoSubstitutions)
    .map(([k, v]) => `      ${k}: "${v}"`)
    .join('\n');
  writeFileSync(
    join(dir, 'flowops.yaml'),
    `flows: flows/**/*.yaml\ndefaultEnvironment: test\nenvironments:\n  test:\n    region: mypurecloud.com\n    substitutions:\n${subs}\n`,
  );
  const seedDir = tempDir({}, 'flowops-seed-');
  for (const sub of ['modules', 'inbound']) {
    for (const f of readdirSync(join(dir, 'flows', sub)))
      writeFileSync(join(seedDir, f), substituteDemo(readFileSync(join(dir, 'flows', sub, f), 'utf8')));
  }
  return { dir, seedDir };
}

export function editFile(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * `npm start`'s plan, with `args` added, in a fresh copy of this repository's demo (its flows,
 * flowops.yaml and the `before` seed of the embedded emulator): the copy's folder and the run.
 */
export async function planDemoCopy(args: string[]): Promise<{ dir: string; result: CliResult }> {
  const dir = tempDir({}, 'flowops-demo-');
  for (const p of ['flowops.yaml', 'flows', 'test/fixtures/demo-before', 'test/fixtures/demo-objects.yaml'])
    cpSync(join(repoRoot, p), join(dir, p), { recursive: true });
  const result = await runCli(['plan', ...args], {
    cwd: dir,
    env: { GENESYS_ENV_URL: '', GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' },
  });
  return { dir, result };
}
