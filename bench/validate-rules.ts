/**
 * What the house rules cost `flowops validate` on the bench's generated repository (issue 17: at
 * most 20 % more on a cold run, nothing measurable on a warm one). No org is involved: validate reads
 * and checks the files only. The bench's flows (its generator, its sizes), with one common module
 * that every line calls first, the demo's scenario: a repository that keeps its rules has no problem
 * to print, so a warm run with rules differs from one without only by the rules. Two configurations
 * of the same files, measured in alternating order, the median of the rounds kept:
 *   rules off   every built-in set to `off`: the check alone
 *   rules on    calls-module configured (that module, first: true: the startup task of every line
 *               followed, its first action read) and every other built-in at its default
 * (With `--reporting`, calls-module wants a module most lines do not call, so that it reports on
 * nearly every line: the cost of placing a thousand problems and printing them.)
 * cold: `.flowops/cache` removed first; warm: right after a run with the same configuration. The
 * targets compare CPU time (user + system, GNU time) when there is GNU time, else the wall.
 *
 * Runs inside `npm run bench` (run.ts adds the rows and the targets), or alone:
 * `npx tsx bench/validate-rules.ts [--flows N] [--rounds R] [--reporting]` (the build in dist/).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILTIN_RULES } from '../src/rules/builtin/index.js';
import { generateOrg, moduleName } from './generate-org.js';
import { measure } from './measure.js';
import { formatMs, type ResultRow, type TargetCheck } from './report.js';

/** How far a warm run with rules may be from one without and still count as "nothing measurable". */
const WARM_NOISE = 0.05;
const COLD_BUDGET = 0.2;

export interface ValidateRulesResult {
  rows: ResultRow[];
  checks: TargetCheck[];
  /** Every round's walls, for the log. */
  rounds: Array<Record<string, number>>;
}

export async function measureValidateRules(
  cli: string,
  options: { flows: number; seed: number; rounds: number; reporting?: boolean; log?: (line: string) => void },
): Promise<ValidateRulesResult> {
  const org = generateOrg(options.flows, options.reporting ? Math.max(1, Math.round(options.flows / 20)) : 1, {
    seed: options.seed,
  });
  try {
    const config = join(org.dir, 'flowops.yaml');
    const base = `flows: flows/**/*.yaml\nenvironments:\n  bench:\n    region: mypurecloud.com\n`;
    const off = `${base}rules:\n${BUILTIN_RULES.map((r) => `  ${r.id}: off\n`).join('')}`;
    const on = `${base}rules:\n  calls-module: {severity: warn, module: ${moduleName(0, { seed: options.seed })}, flowTypes: [inboundcall], first: true}\n`;
    const runOnce = async (text: string, cold: boolean): Promise<{ wall: number; cpu: number | null }> => {
      writeFileSync(config, text);
      if (cold) rmSync(join(org.dir, '.flowops'), { recursive: true, force: true });
      const m = await measure(process.execPath, [cli, 'validate'], { cwd: org.dir, env: { NO_COLOR: '1' } });
      if (m.code !== 0)
        throw new Error(`flowops validate exited ${m.code}:\n${m.stdout.slice(-2000)}${m.stderr.slice(-2000)}`);
      return { wall: m.wallMs, cpu: m.cpuMs };
    };
    // One run first, not measured: the files into the page cache, the binary's modules compiled.
    await runOnce(off, true);
    const rounds: Array<Record<string, number>> = [];
    const cpuRounds: Array<Record<string, number>> = [];
    for (let r = 0; r < options.rounds; r++) {
      const walls: Record<string, number> = {};
      const cpus: Record<string, number> = {};
      // Alternating which goes first, so that neither always meets a warmer machine.
      for (const [name, text] of r % 2
        ? ([
            ['on', on],
            ['off', off],
          ] as const)
        : ([
            ['off', off],
            ['on', on],
          ] as const)) {
        for (const [phase, cold] of [
          ['cold', true],
          ['warm', false],
        ] as const) {
          const key = `validate-${phase}-rules-${name}`;
          const m = await runOnce(text, cold);
          walls[key] = m.wall;
          if (m.cpu !== null) cpus[key] = m.cpu;
        }
      }
      rounds.push(walls);
      cpuRounds.push(cpus);
      options.log?.(
        `  round ${r + 1}: ${Object.entries(walls)
          .map(([k, v]) => `${k} ${formatMs(v)}${cpus[k] === undefined ? '' : ` (CPU ${formatMs(cpus[k])})`}`)
          .join(', ')}`,
      );
    }
    const medianOf = (of: Array<Record<string, number>>, key: string): number => {
      const values = of.map((w) => w[key]!).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)]!;
    };
    const median = (key: string) => medianOf(rounds, key);
    // The targets compare CPU time when GNU time gives it: on a shared machine the wall says more
    // about the other processes than about flowops.
    const haveCpu = cpuRounds.every((c) => Object.keys(c).length === 4);
    const cost = (key: string) => (haveCpu ? medianOf(cpuRounds, key) : median(key));
    const measureName = haveCpu ? 'CPU' : 'wall';
    const scenarios = [
      'validate-cold-rules-off',
      'validate-cold-rules-on',
      'validate-warm-rules-off',
      'validate-warm-rules-on',
    ];
    const rows: ResultRow[] = scenarios.map((scenario) => ({
      scenario,
      tool: 'flowops',
      flows: options.flows,
      requests: 0,
      wallMs: median(scenario),
      peakRssMb: null,
    }));
    const [coldOff, coldOn, warmOff, warmOn] = scenarios.map(cost) as [number, number, number, number];
    const checks: TargetCheck[] = [
      {
        target: `validate cold, ${options.flows} flows: the house rules add at most ${COLD_BUDGET * 100} %`,
        measured: `${measureName} ${formatMs(coldOn)} vs ${formatMs(coldOff)} (${percent(coldOn, coldOff)})`,
        met: coldOn <= coldOff * (1 + COLD_BUDGET),
      },
      {
        target: `validate warm: the house rules add nothing measurable (within ${WARM_NOISE * 100} %, the runs' noise)`,
        measured: `${measureName} ${formatMs(warmOn)} vs ${formatMs(warmOff)} (${percent(warmOn, warmOff)})`,
        met: warmOn <= warmOff * (1 + WARM_NOISE),
      },
    ];
    return { rows, checks, rounds };
  } finally {
    rmSync(join(org.dir, '..'), { recursive: true, force: true });
  }
}

function percent(value: number, base: number): string {
  const p = ((value - base) / base) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      flows: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      reporting: { type: 'boolean', default: false },
    },
  });
  const flows = Number(values.flows);
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`flowops validate with and without the house rules: ${flows} flows, ${values.rounds} rounds`);
  const result = await measureValidateRules(cli, {
    flows,
    seed: Number(values.seed),
    reporting: values.reporting,
    rounds: Number(values.rounds),
    log,
  });
  for (const row of result.rows) log(`  ${row.scenario.padEnd(26)} ${formatMs(row.wallMs)} (median)`);
  for (const check of result.checks) log(`  ${check.met ? 'met' : 'NOT MET'}: ${check.target}: ${check.measured}`);
  if (result.checks.some((c) => !c.met)) process.exitCode = 1;
}
