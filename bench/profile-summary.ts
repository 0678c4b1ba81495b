/**
 * `npm run bench -- --profile`: each flowops process runs with `--cpu-prof`; this reads the V8 CPU
 * profile and says where the time went: garbage collection, idle (waiting for the network or the
 * disk), and the flowops functions with the most time spent in them and below them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  gcMs: number;
  idleMs: number;
  /** Flowops functions (dist/) by inclusive time, largest first. */
  top: Array<{ name: string; ms: number }>;
}

function label(node: ProfileNode): string {
  const file = node.callFrame.url.replace(/^.*\/dist\//, '');
  return `${node.callFrame.functionName || '(anonymous)'} ${file}`;
}

export function summarizeProfile(path: string, topCount = 8): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  let gc = 0;
  let idle = 0;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    total += us;
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(garbage collector)') gc += us;
    if (name === '(idle)') idle += us;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      if (!/\/dist\/(spec|plan|workspace|genesys|apply|cli|render|git)\//.test(node.callFrame.url)) continue;
      const key = label(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const top = [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([name, us]) => ({ name, ms: us / 1000 }));
  return { totalMs: total / 1000, gcMs: gc / 1000, idleMs: idle / 1000, top };
}

/** The one profile a process wrote into `dir`. */
export function profileIn(dir: string): string | undefined {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return file ? join(dir, file) : undefined;
}
