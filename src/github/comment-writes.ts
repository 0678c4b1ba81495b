import { markerEnvironment, parsePlanMarker } from './markers.js';

export interface ExistingComment {
  id: number;
  body: string;
}

/** What to do to the pull request's comments so that they show `bodies`, part by part. */
export type CommentWrite =
  | { op: 'create'; part: number; body: string }
  | { op: 'update'; part: number; id: number; body: string }
  | { op: 'keep'; part: number; id: number }
  | { op: 'delete'; part: number; id: number };

/**
 * Decides the writes, given the comments already on the pull request. Pure.
 * - Part N is the oldest comment marked as part N of this environment: it is edited (or kept when
 *   its text is already right), so reviewers watch one place instead of a growing thread.
 * - A part that does not exist yet is created; parts beyond the new plan's count are deleted, and so
 *   are duplicates of a part (two runs that raced to create it).
 * Creates and updates come in part order, deletes last.
 */
export function planCommentWrites(
  existing: readonly ExistingComment[],
  bodies: readonly string[],
  environment: string,
): CommentWrite[] {
  const env = markerEnvironment(environment);
  const byPart = new Map<number, ExistingComment>();
  const deletes: CommentWrite[] = [];
  for (const comment of [...existing].sort((a, b) => a.id - b.id)) {
    const marker = parsePlanMarker(comment.body);
    if (!marker || marker.environment !== env) continue;
    if (byPart.has(marker.part) || marker.part > bodies.length)
      deletes.push({ op: 'delete', part: marker.part, id: comment.id });
    else byPart.set(marker.part, comment);
  }
  const writes: CommentWrite[] = bodies.map((body, i) => {
    const part = i + 1;
    const current = byPart.get(part);
    if (!current) return { op: 'create', part, body };
    return sameText(current.body, body)
      ? { op: 'keep', part, id: current.id }
      : { op: 'update', part, id: current.id, body };
  });
  return [...writes, ...deletes];
}

/** GitHub may hand a body back with CRLF line ends. */
function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}
