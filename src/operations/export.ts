/**
 * The export operation: the org's published flows as Archy files, laid out one folder per flow
 * type, with secrets as their {{placeholders}}, and with --substitute the names of the kinds asked
 * for too (operations/export-names.ts), their values for flowops.yaml. It writes nothing: it returns
 * the files, having refused (without --force) when one would replace a file with other content.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { keyOf, withoutAuditNote } from '../identity/index.js';
import { keyForApiType } from '../check/index.js';
import { UsageError } from '../errors.js';
import type { LiveFlow } from '../plan/build-plan.js';
import { liveSecretPlaces } from '../plan/live-secrets.js';
import { withSecretPlaceholders } from '../render/export-file.js';
import type { OperationContext } from './context.js';
import { configWithValues, kindsToSubstitute, planNames } from './export-names.js';
import { checkProject, openProject, withOrg } from './project.js';

export interface ExportArgs {
  configPath?: string;
  environment?: string;
  /** The folder the files go into. */
  out: string;
  /** Only these flow types (API names, any case); all when empty. */
  types: readonly string[];
  /** Replace files that hold other content. */
  force: boolean;
  /** Kinds of org object whose names are written as {{placeholders}} (`queue`, `dataAction,division`). */
  substitute?: readonly string[];
}

export interface ExportedFile {
  /** Absolute. */
  path: string;
  /** Relative to the working folder, as messages show it. */
  shown: string;
  content: string;
}

export interface ExportResult {
  files: ExportedFile[];
  /** Flows never published (nothing to export), as `type "name"`. */
  unpublished: string[];
  /** With --substitute: the placeholders written and their values, in the environment's substitutions. */
  substituted?: {
    environment: string;
    values: Record<string, string>;
    /** flowops.yaml with the values added; absent when it holds them all already. Written first. */
    config?: ExportedFile;
  };
}

export async function exportLiveFlows(args: ExportArgs, ctx: OperationContext): Promise<ExportResult> {
  const project = await openProject(
    { configPath: args.configPath, environment: args.environment, outside: false },
    ctx,
  );
  const { environment } = project.workspace;
  const types = args.types.map((t) => t.toLowerCase());
  for (const t of types) if (!keyForApiType(t)) throw new UsageError(`unknown flow type "${t}"`);
  const kinds = kindsToSubstitute(args.substitute ?? []);
  // The repository's flows (those that read), for where their secret substitutions stand: the org
  // may still hold a rotated secret's old value there.
  // Only an environment with secret substitutions needs them (the check records secret places only then).
  const { fileSubstitutions } = project.workspace;
  const secretSubstitutions =
    environment.secretKeys.length > 0 || Object.values(fileSubstitutions).some((f) => f.secretKeys.length > 0);
  const desired = new Map(
    (project.workspace.config && secretSubstitutions ? checkProject(project).flows : []).map((f) => [keyOf(f), f]),
  );
  const { files, unpublished } = await withOrg(project, { cache: true }, ctx, async (org) => {
    ctx.info(`Exporting from ${org.description}...`);
    const listed = await org.client.listFlows(types);
    const published = listed.filter((f) => f.publishedVersion);
    const holdsSecrets = (f: (typeof published)[number]) => (desired.get(keyOf(f))?.secretPlaces?.length ?? 0) > 0;
    const refs = published.map((f) => ({
      id: f.id,
      version: f.publishedVersion!.id,
      name: f.name,
      ...(holdsSecrets(f) ? { holdsSecrets: true } : {}),
    }));
    const contents = refs.length ? await org.client.exportFlows(refs) : new Map<string, string>();
    const exported = layoutFiles(
      published.map((f) => ({ type: f.type, name: f.name, content: contents.get(f.id) ?? '' })),
      resolve(ctx.cwd, args.out),
    );
    const names = kinds.length ? planNames(exported, kinds, project, ctx) : undefined;
    const laidOut = exported.map((file) => {
      const flow = desired.get(keyOf(file));
      const live: LiveFlow = { id: '', type: file.type.toLowerCase(), name: file.name, content: file.content };
      const values = flow ? (fileSubstitutions[flow.path]?.values ?? environment.values) : {};
      const places = flow ? liveSecretPlaces(flow, live, values) : [];
      return {
        path: file.path,
        shown: relative(ctx.cwd, file.path),
        ...withSecretPlaceholders(
          file.content,
          { known: environment.knownSecrets, places },
          names?.choiceFor(file.path),
        ),
      };
    });
    return {
      files: laidOut,
      unpublished: listed.filter((f) => !f.publishedVersion).map((f) => `${f.type} "${f.name}"`),
    };
  });
  const used = new Map<string, string>();
  for (const f of files) {
    for (const c of f.credentials)
      ctx.info(
        `${f.shown}:${c.line}: warning: "${c.key}" holds a value that looks like a credential and is no secret substitution of flowops.yaml: written as exported (use {{placeholder}} with secret: true)`,
      );
    for (const left of f.names?.left ?? [])
      ctx.info(
        `${f.shown}:${left.line}:${left.column}: warning: ${left.kind} ${JSON.stringify(left.name)} written as exported, not as a placeholder: ${left.why}`,
      );
    for (const [key, value] of f.names?.used ?? []) used.set(key, value);
  }
  // Nothing lost: refuse before anything is written if a file would be replaced by other content.
  const conflicts: string[] = [];
  for (const f of files) {
    const existing = await readFile(f.path, 'utf8').catch(() => undefined);
    if (existing !== undefined && existing !== f.content && !args.force) conflicts.push(f.shown);
  }
  if (conflicts.length)
    throw new UsageError(
      `${conflicts.length} file(s) exist with other content (${conflicts.slice(0, 3).join(', ')}${conflicts.length > 3 ? ', ...' : ''}): nothing written; use --force to overwrite`,
    );
  const result: ExportResult = {
    files: files.map(({ path, shown, content }) => ({ path, shown, content })),
    unpublished,
  };
  if (kinds.length) {
    const values = new Map([...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const config = await configWithValues(project, values, ctx);
    result.substituted = {
      environment: environment.name,
      values: Object.fromEntries(values),
      ...(config ? { config } : {}),
    };
  }
  return result;
}

/**
 * `<out>/<flowKey>/<slug>.yaml`, slugs from names made unique per folder, audit notes removed so
 * the files read as authored. Pure.
 */
export function layoutFiles(
  flows: Array<{ type: string; name: string; content: string }>,
  outDir: string,
): Array<{ path: string; type: string; name: string; content: string }> {
  const used = new Set<string>();
  return [...flows]
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
    .map((f) => {
      const folder = keyForApiType(f.type) ?? f.type;
      const base =
        f.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'flow';
      let slug = base;
      for (let i = 2; used.has(`${folder}/${slug}`); i++) slug = `${base}-${i}`;
      used.add(`${folder}/${slug}`);
      const content = withoutAuditNote(f.content);
      return { path: resolve(join(outDir, folder, `${slug}.yaml`)), type: f.type, name: f.name, content };
    });
}
