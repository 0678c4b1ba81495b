/**
 * `--seed DIR`: at first start (no flows in the state), publish every `*.yaml` / `*.yml` file of DIR,
 * checked together by src/spec and published in its dependency order (modules before callers).
 * Any error in any file stops the start, listing each as `file:line:col: message`.
 */
import { UsageError } from '../errors.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkFlowSources } from '../check/index.js';
import { flowId } from '../identity/index.js';
import { publishDesired } from './publish-flow.js';
import { publishedFlowNames, publishedModuleNames } from './org.js';
import type { OrgCatalog } from './org-catalog.js';
import type { EmulatorState } from './state-store.js';

export const SEED_CLIENT = 'emulator-seed';

/** A seed folder that cannot be published: the user's to fix, one line (a UsageError). */
export class SeedError extends UsageError {
  override readonly name = 'SeedError';
}

export async function seedFromDirectory(
  state: EmulatorState,
  dir: string,
  now: number,
  catalog?: OrgCatalog,
): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (error) {
    throw new SeedError(`--seed ${dir}: ${(error as Error).message}`);
  }
  const sources = await Promise.all(
    names.map(async (name) => ({ path: join(dir, name), text: await readFile(join(dir, name), 'utf8') })),
  );
  const result = checkFlowSources(sources, {
    externalModules: publishedModuleNames(state),
    externalFlows: publishedFlowNames(state),
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new SeedError(
      `--seed ${dir}: ${errors.length} error(s)\n${errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n')}`,
    );
  }
  const byId = new Map(result.flows.map((f) => [flowId(f.type, f.name), f]));
  const ordered = result.graph.order.map((id) => byId.get(id)).filter((f) => f !== undefined);
  for (const flow of result.flows) if (!ordered.includes(flow)) ordered.push(flow);
  for (const flow of ordered) {
    const outcome = publishDesired(state, flow, SEED_CLIENT, now, catalog);
    if (!outcome.ok) {
      // Messages placed in the file (`line:col: ...`) name it as `file:line:col: ...`, one a line.
      const lines = outcome.messages.map((m) => (/^\d+:\d+: /.test(m) ? `${flow.path}:${m}` : `${flow.path}: ${m}`));
      throw new SeedError(lines.join('\n'));
    }
  }
  return ordered.length;
}
