import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { LiveFlow } from '../plan/build-plan.js';
import { liveSecretPlaces } from '../plan/live-secrets.js';
import { withSecretPlaceholders } from '../render/export-file.js';
import { keyForApiType } from '../check/index.js';
import { loadWorkspace } from '../workspace/load-workspace.js';
import { openOrg } from '../workspace/open-org.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { cannotWrite, checkWorkspace, projectDirOf, writeAtomically } from './shared.js';
import { keyOf, withoutAuditNote } from '../identity/index.js';

interface ExportedFile {
  path: string;
  content: string;
  /** Values that look like credentials (render/export-file.ts). */
  credentials: Array<{ line: number; key: string }>;
}

interface ExportOptions {
  env?: string;
  out: string;
  type?: string[];
  force?: boolean;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write the live flows as Archy files, ready to commit (onboarding an existing org), secrets as their {{placeholders}}')
    .option('--env <name>', 'environment to read (default: defaultEnvironment)')
    .requiredOption('--out <dir>', 'folder to write the files into (one sub-folder per flow type)')
    .option('--type <type...>', 'only these flow types (e.g. inboundcall commonmodule); default: all')
    .option('--force', 'overwrite files that exist with other content')
    .action(async (options: ExportOptions, command: Command) => {
      process.exitCode = await runExport(options, globalOptions(command));
    });
}

export async function runExport(options: ExportOptions, global: GlobalOptions): Promise<number> {
  const workspace = await loadWorkspace({ configPath: global.config, environment: options.env, outside: false });
  const out = new Output({ color: global.color, secrets: workspace.environment.secrets });
  const types = (options.type ?? []).map((t) => t.toLowerCase());
  for (const t of types) if (!keyForApiType(t)) throw new UsageError(`unknown flow type "${t}"`);
  // The repository's flows (those that read), for where their secret substitutions stand: the org
  // may still hold a rotated secret's old value there.
  // Only an environment with secret substitutions needs them (the check records secret places only then).
  const desired = new Map((workspace.config && workspace.environment.secretKeys.length > 0 ? checkWorkspace(workspace).flows : []).map((f) => [keyOf(f), f]));
  const org = await openOrg(workspace.environment, projectDirOf(workspace), process.env, { cache: true, debug: global.debug });
  let files: ExportedFile[];
  let unpublished: string[];
  try {
    out.info(`Exporting from ${org.description}...`);
    const listed = await org.client.listFlows(types);
    const published = listed.filter((f) => f.publishedVersion);
    unpublished = listed.filter((f) => !f.publishedVersion).map((f) => `${f.type} "${f.name}"`);
    const holdsSecrets = (f: (typeof published)[number]) => (desired.get(keyOf(f))?.secretPlaces?.length ?? 0) > 0;
    const refs = published.map((f) => ({ id: f.id, version: f.publishedVersion!.id, name: f.name, ...(holdsSecrets(f) ? { holdsSecrets: true } : {}) }));
    const contents = refs.length ? await org.client.exportFlows(refs) : new Map<string, string>();
    const known = workspace.environment.knownSecrets;
    files = layoutFiles(published.map((f) => ({ type: f.type, name: f.name, content: contents.get(f.id) ?? '' })), options.out).map((file) => {
      const flow = desired.get(keyOf(file));
      const live: LiveFlow = { id: '', type: file.type.toLowerCase(), name: file.name, content: file.content };
      const places = flow ? liveSecretPlaces(flow, live, workspace.environment.values) : [];
      return { path: file.path, ...withSecretPlaceholders(file.content, { known, places }) };
    });
  } finally {
    await org.close();
  }
  for (const f of files) {
    const shown = relative(process.cwd(), f.path);
    for (const c of f.credentials) out.info(`${shown}:${c.line}: warning: "${c.key}" holds a value that looks like a credential and is no secret substitution of flowops.yaml: written as exported (use {{placeholder}} with secret: true)`);
  }
  // Nothing lost: refuse before writing anything if a file would be replaced by other content.
  const conflicts: string[] = [];
  for (const f of files) {
    const existing = await readFile(f.path, 'utf8').catch(() => undefined);
    if (existing !== undefined && existing !== f.content && !options.force) conflicts.push(relative(process.cwd(), f.path));
  }
  if (conflicts.length) throw new UsageError(`${conflicts.length} file(s) exist with other content (${conflicts.slice(0, 3).join(', ')}${conflicts.length > 3 ? ', ...' : ''}): nothing written; use --force to overwrite`);
  for (const f of files) {
    await mkdir(dirname(f.path), { recursive: true }).catch((err: unknown) => {
      throw cannotWrite(relative(process.cwd(), dirname(f.path)), err);
    });
    await writeAtomically(f.path, f.content);
  }
  if (global.json) out.json({ written: files.map((f) => relative(process.cwd(), f.path)), unpublished });
  else {
    out.line(`Exported ${files.length} flow(s) to ${options.out}.`);
    if (unpublished.length) out.line(`Skipped ${unpublished.length} flow(s) never published: ${unpublished.slice(0, 5).join(', ')}${unpublished.length > 5 ? ', ...' : ''}`);
  }
  return 0;
}

/**
 * `<out>/<flowKey>/<slug>.yaml`, slugs from names made unique per folder, audit notes removed so
 * the files read as authored. Pure.
 */
export function layoutFiles(flows: Array<{ type: string; name: string; content: string }>, outDir: string): Array<{ path: string; type: string; name: string; content: string }> {
  const used = new Set<string>();
  return [...flows]
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
    .map((f) => {
      const folder = keyForApiType(f.type) ?? f.type;
      const base = f.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'flow';
      let slug = base;
      for (let i = 2; used.has(`${folder}/${slug}`); i++) slug = `${base}-${i}`;
      used.add(`${folder}/${slug}`);
      const content = withoutAuditNote(f.content);
      return { path: resolve(join(outDir, folder, `${slug}.yaml`)), type: f.type, name: f.name, content };
    });
}

