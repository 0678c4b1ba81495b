import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The figures of the reliability suite (faults injected, retries, flows converged, edits preserved,
 * fuzz cases, crashes), collected from every test file and printed together once the run ends, so
 * they can be quoted.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'flowops-reliability-figures-'));
  process.env.FLOWOPS_RELIABILITY_FIGURES = dir;
  return () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const lines = files.map((f) => {
      const { name, figures } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        name: string;
        figures: Record<string, unknown>;
      };
      return `  ${name}: ${Object.entries(figures)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')}`;
    });
    process.stdout.write(`\nReliability figures:\n${lines.length ? lines.join('\n') : '  (none recorded)'}\n\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
