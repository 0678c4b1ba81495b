/**
 * The hidden first line of every plan comment flowops writes: it is how a later run finds the
 * comment again (to edit it instead of adding another), one set of comments per environment.
 * `<!-- flowops-plan:prod -->` for the first part, `<!-- flowops-plan:prod part 2 -->` after it.
 * Only a comment that starts with the marker counts: a reply quoting it (`> <!-- ...`) does not.
 */

const PREFIX = 'flowops-plan:';
const MARKER = /^<!-- flowops-plan:([A-Za-z0-9_.-]+)(?: part (\d+))? -->/;

export interface PlanMarker {
  environment: string;
  /** 1-based. */
  part: number;
}

/** Environment names are already `[A-Za-z0-9_.-]` (config schema); anything else could end the HTML comment. */
export function markerEnvironment(environment: string): string {
  return environment.replace(/[^A-Za-z0-9_.-]/g, '_') || '_';
}

export function planMarker(environment: string, part = 1): string {
  return `<!-- ${PREFIX}${markerEnvironment(environment)}${part > 1 ? ` part ${part}` : ''} -->`;
}

export function parsePlanMarker(body: string): PlanMarker | undefined {
  const m = MARKER.exec(body);
  if (!m) return undefined;
  const part = m[2] === undefined ? 1 : Number(m[2]);
  return part >= 1 ? { environment: m[1]!, part } : undefined;
}
