/**
 * Which live flows the repository's flows rename. A rename keeps the flow's id, so phone numbers
 * (IVR configurations) and queues that reach the flow by id still do (shared/reference/org-references.md).
 *
 * - From history: a live flow that no file names any more, whose published version is flowops' own
 *   with a note naming commit C, is renamed by the file that described it at C: the file's path now
 *   is followed back to C through git's rename detection (`git diff -M C`), and its text at C must
 *   describe a flow of the same type under the live flow's name.
 * - Said: `--rename OLD=NEW` for flows flowops never applied (no note, or a commit git lacks).
 * Names that differ only in case need neither: they are one flow (identity/flow-key.ts).
 */
import { UsageError } from '../errors.js';
import { changedFilesSince } from '../git/changed-files.js';
import { fileAtCommit } from '../git/show-file.js';
import type { LiveFlow } from '../plan/build-plan.js';
import { noteCommit, ownNote, keyOf, type Identity } from '../identity/index.js';
import { guessFlowIdentity } from '../check/index.js';
import type { CheckResult, DesiredFlow, FileSubstitutions } from '../check/types.js';

export interface RenameSources {
  projectDir: string;
  identity: Identity;
  substitutions: Record<string, string | number | boolean>;
  /** Files with substitutions of their own, by path (Workspace.fileSubstitutions): those stand for them. */
  files?: Record<string, FileSubstitutions>;
  /** `--rename OLD=NEW`, as given. */
  said?: readonly string[];
}

/** Desired key -> id of the live flow it renames. */
export async function findRenames(
  check: CheckResult,
  live: readonly LiveFlow[],
  sources: RenameSources,
): Promise<Map<string, string>> {
  const desiredKeys = new Set(check.flows.map(keyOf));
  const gone = live.filter((l) => !desiredKeys.has(keyOf(l)));
  const renames = new Map<string, string>();
  for (const [key, id] of saidRenames(sources.said ?? [], check.flows, live)) renames.set(key, id);
  if (gone.length === 0) return renames;
  const byCommit = new Map<string, LiveFlow[]>();
  for (const flow of gone) {
    const commit = noteCommit(ownNote(flow, sources.identity.clientId));
    if (commit) byCommit.set(commit, [...(byCommit.get(commit) ?? []), flow]);
  }
  for (const [commit, flows] of byCommit) {
    for (const [key, id] of await renamesSince(
      commit,
      flows,
      check.flows.filter((d) => !renames.has(keyOf(d))),
      sources,
    ))
      renames.set(key, id);
  }
  return renames;
}

/**
 * The flows whose files changed since `commit` and, at `commit`, described one of `flows` (same type
 * and name): one `git diff` and a `git show` per changed file, never one per flow of the repository.
 * A file whose flow took a name another live flow has is found too (buildPlan then refuses it).
 */
async function renamesSince(
  commit: string,
  flows: readonly LiveFlow[],
  candidates: readonly DesiredFlow[],
  sources: RenameSources,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // Without the commit (a shallow clone, another repository) history cannot tell: --rename can.
  const changes = await changedFilesSince(commit, sources.projectDir).catch(() => undefined);
  if (!changes) return found;
  const before = new Map(changes.filter((c) => c.previousPath).map((c) => [c.path, c.previousPath!]));
  const changed = new Set(changes.filter((c) => c.status === 'modified' || c.status === 'renamed').map((c) => c.path));
  for (const desired of candidates) {
    const path = desired.path.replace(/^\.\//, '');
    if (!changed.has(path)) continue;
    const text = await fileAtCommit(sources.projectDir, commit, before.get(path) ?? path);
    const then =
      text === undefined
        ? undefined
        : guessFlowIdentity(text, sources.files?.[desired.path]?.values ?? sources.substitutions);
    const renamed = then && flows.find((f) => keyOf(f) === keyOf(then) && f.type === desired.type);
    if (renamed) found.set(keyOf(desired), renamed.id);
  }
  return found;
}

/** `--rename OLD=NEW`: NEW a flow of the files, OLD a live flow of its type. */
function saidRenames(
  said: readonly string[],
  desired: readonly DesiredFlow[],
  live: readonly LiveFlow[],
): Map<string, string> {
  const renames = new Map<string, string>();
  for (const pair of said) {
    const at = pair.indexOf('=');
    const [from, to] = at > 0 ? [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] : ['', ''];
    if (!from || !to)
      throw new UsageError(`--rename ${pair}: expected OLD=NEW (the live flow's name, then the name in the files)`);
    const targets = desired.filter((d) => d.name === to);
    if (targets.length !== 1)
      throw new UsageError(
        `--rename ${pair}: ${targets.length ? `several flows of the files are named "${to}"` : `no flow of the files is named "${to}"`}`,
      );
    const target = targets[0]!;
    const source = live.find((l) => keyOf(l) === keyOf({ type: target.type, name: from }));
    if (!source) throw new UsageError(`--rename ${pair}: the org has no ${target.type} flow named "${from}"`);
    renames.set(keyOf(target), source.id);
  }
  return renames;
}
