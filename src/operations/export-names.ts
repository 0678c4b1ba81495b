/**
 * `export --substitute KIND,...`: which names of the exported flows become `{{placeholders}}`, under
 * which keys, and flowops.yaml with their values added to the environment's `substitutions`. The
 * promotion recipe pipelines do with sed on exported files, done on the YAML: only references
 * (check/object-references.ts), each kind where Archy writes it. Reads flowops.yaml; writes nothing.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { checkFile, OBJECT_REFERENCE_TABLE, type ObjectReference, type OrgObjectKind } from '../check/index.js';
import { addSubstitutions, environmentsLacking, substitutionKeysOf } from '../config/add-substitutions.js';
import { UsageError } from '../errors.js';
import type { NameChoice } from '../render/export-references.js';
import { assignPlaceholders, nameId, type NamedObject, type PlaceholderKind } from '../render/placeholder-keys.js';
import type { OperationContext } from './context.js';
import type { Project } from './project.js';

/** The kinds `--substitute` takes: every kind of object a flow names. */
export const SUBSTITUTABLE_KINDS: readonly OrgObjectKind[] = [...new Set(OBJECT_REFERENCE_TABLE.map((r) => r.kind))];

/** `queue,dataAction` (any case; the flag may be given more than once) as kinds, or a usage error. */
export function kindsToSubstitute(values: readonly string[]): OrgObjectKind[] {
  const byLower = new Map(SUBSTITUTABLE_KINDS.map((k) => [k.toLowerCase(), k]));
  const kinds = new Set<OrgObjectKind>();
  for (const word of values.flatMap((v) => v.split(',')).map((w) => w.trim())) {
    if (word === '') continue;
    const kind = byLower.get(word.toLowerCase());
    if (!kind) throw new UsageError(`--substitute: unknown kind "${word}" (kinds: ${SUBSTITUTABLE_KINDS.join(', ')})`);
    kinds.add(kind);
  }
  if (values.length && kinds.size === 0)
    throw new UsageError('--substitute: name at least one kind, e.g. queue,dataAction');
  return [...kinds];
}

export interface NamePlan {
  /** What to write as placeholders in the file at `path` (its references, the keys). */
  choiceFor(path: string): NameChoice | undefined;
}

/**
 * Keys for the names of `kinds` the files name (a data action's integration with it), given the
 * environment's substitutions, each told of where a key was taken. Names holding a secret value are
 * left alone: their value would land in flowops.yaml.
 */
export function planNames(
  files: ReadonlyArray<{ path: string; content: string }>,
  kinds: readonly OrgObjectKind[],
  project: Project,
  ctx: OperationContext,
): NamePlan {
  const { config, environment } = project.workspace;
  const wanted = new Set<string>(kinds);
  const secrets = environment.knownSecrets.map((s) => s.value);
  const holdsSecret = (name: string) => secrets.some((s) => name.includes(s));
  const references = new Map<string, ObjectReference[]>();
  const names: NamedObject[] = [];
  for (const file of files) {
    const refs = (checkFile({ path: file.path, text: file.content }).flow?.references ?? []).filter(
      (r) => wanted.has(r.kind) && r.name !== undefined && r.name !== '' && !holdsSecret(r.name),
    );
    references.set(file.path, refs);
    for (const r of refs) {
      names.push({ kind: r.kind, name: r.name! });
      if (r.kind === 'dataAction' && r.integration && !holdsSecret(r.integration))
        names.push({ kind: 'integration', name: r.integration });
    }
  }
  const existing = config ? substitutionKeysOf(config, environment.name) : new Map<string, string | undefined>();
  const { keys, moved } = assignPlaceholders(names, existing);
  for (const m of moved)
    ctx.info(
      `note: {{${m.taken}}} holds another value in environment ${environment.name}: ${m.kind} "${m.name}" is written as {{${m.key}}}`,
    );
  const keyOf = (kind: PlaceholderKind, name: string) => keys.get(nameId(kind, name));
  return {
    choiceFor: (path) => {
      const refs = references.get(path);
      return refs?.length ? { references: refs, keyOf } : undefined;
    },
  };
}

/**
 * flowops.yaml with `values` in the environment's substitutions, or undefined when it holds them
 * all already (a second export changes nothing). Fails, before anything is written, when they cannot
 * be added without touching the rest of the file.
 */
export async function configWithValues(
  project: Project,
  values: ReadonlyMap<string, string>,
  ctx: OperationContext,
): Promise<{ path: string; shown: string; content: string } | undefined> {
  const { config, environment } = project.workspace;
  if (!config || values.size === 0) return undefined;
  const path = resolve(ctx.cwd, config.path);
  const text = await readFile(path, 'utf8');
  const added = addSubstitutions(text, environment.name, Object.fromEntries(values));
  if ('problem' in added) throw new UsageError(`${config.path}: ${added.problem}: nothing written`);
  for (const { environment: other, missing } of environmentsLacking(config, environment.name, [...values.keys()]))
    ctx.info(
      `note: environment ${other} has no value for ${missing.length} placeholder(s) written (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}): add its names to its substitutions before planning it`,
    );
  return added.text === text ? undefined : { path, shown: relative(ctx.cwd, path), content: added.text };
}
