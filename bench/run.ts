/**
 * `npm run bench` (N = 1000) and `npm run bench -- --quick` (N = 200): flowops and a replay of the
 * Terraform provider's request pattern (terraform-baseline.ts) against the same emulated org, at one
 * or more per-request latencies (`--latency-ms 0,50`: each on an org and an emulator of its own).
 *
 * Scenarios, in this order on one emulator (a process of its own, emulator-process.ts; its job and
 * export-job time is `jobMs`):
 *   plan-first-cold       the org as seeded, which flowops never published; no .flowops/cache: every
 *                         flow is exported once and compared in the normal form (all unchanged)
 *   apply-first-all       every file edited (one prompt), planned, applied (--concurrency 64): the
 *                         first apply, after which every published version is flowops' own, as in a
 *                         real org it applied
 *   plan-unchanged-cold   .flowops/cache removed: by identity, a login and the listing pages, no export
 *   plan-unchanged-warm   the cache from the run before
 *   plan-5pct-changed     5 % of the flows edited (callers only, spread over the org: no module, so
 *                         no republish; the module case is the scenario below), plan --out
 *   apply-5pct-callers    `flowops apply plan.json` of that plan (dependency depth 1)
 *   drift                 `flowops drift` right after
 *   apply-module-change   one module edited: it and its ~19 callers (republished), depth 2
 *   validate-*-rules-*    validate (no org) cold and warm, with the house rules off and on
 *                         (validate-rules.ts; at the first latency only)
 * The baseline refreshes every flow (twice: beside the unchanged and the changed plan) and, at the
 * end, deploys the same flows as flowops' two applies (after flowops did: the org then already holds
 * that content, which changes nothing in its requests). `--quick` makes jobs 5x shorter.
 *
 * Latency (`--latency-ms`, default 50, a choice: see README "Performance"): every request through
 * the counting proxy, flowops' and the baseline's alike, takes that much longer (count-proxy.ts).
 *
 * `--machinery`: after the scenarios, plans of the unchanged org (cold and warm) with builds that
 * have the early login or the worker threads switched off (variants.ts), `--machinery-rounds` times
 * (default 2) in rotating order, each round beside a baseline refresh.
 *
 * Options: --quick, --flows N, --modules M, --job-ms MS, --real-job-ms MS, --changed-pct P,
 * --latency-ms N[,N...], --rate-limit N (emulator, per token), --seed S, --profile (CPU profile of
 * each flowops run), --logs DIR (each flowops run's standard error, timed), --out FILE (default
 * bench/results.json), --keep (keep the generated org); to
 * find out why, not for the published figures: --flowops-rpm N (flowops' requestsPerMinute),
 * --apply-concurrency N. --flowops-tokens N (default 10, the size of the baseline's pool) is `tokens`
 * in flowops.yaml.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StatsSnapshot } from '../src/emulator/index.js';
import { LISTING_PATHS } from '../src/genesys/list-org-objects.js';
import { tokenBucketFor } from '../src/genesys/rate-limit.js';
import type { Plan } from '../src/plan/types.js';
import { startCountingProxy } from './count-proxy.js';
import { startEmulatorProcess } from './emulator-process.js';
import { BENCH_ENVIRONMENT, changeAll, changeCallers, changeModule, commitAll, generateOrg } from './generate-org.js';
import { flowSpans, lineAt, measure, phaseOf, type FlowSpan, type Measured } from './measure.js';
import { profileIn, summarizeProfile } from './profile-summary.js';
import {
  formatMs,
  renderCombinedMarkdown,
  renderTable,
  renderTargets,
  type LatencyResults,
  type MachineryRow,
  type ResultRow,
  type TargetCheck,
} from './report.js';
import type { BaselineResult, BaselineTask, BaselineWrite } from './terraform-baseline.js';
import { measureValidateRules } from './validate-rules.js';
import { variantBuild, type Switch } from './variants.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(benchDir, '..');
// The build measured is copied first, so a rebuild of dist/ while the bench runs cannot mix versions.
const build = mkdtempSync(join(tmpdir(), 'flowops-bench-build-'));
cpSync(join(repoRoot, 'dist'), join(build, 'dist'), { recursive: true });
cpSync(join(repoRoot, 'schemas'), join(build, 'schemas'), { recursive: true });
copyFileSync(join(repoRoot, 'package.json'), join(build, 'package.json'));
symlinkSync(join(repoRoot, 'node_modules'), join(build, 'node_modules'), 'dir');
const cli = join(build, 'dist', 'cli', 'main.js');
const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    flows: { type: 'string' },
    modules: { type: 'string' },
    'job-ms': { type: 'string' },
    'real-job-ms': { type: 'string', default: '1500' },
    'changed-pct': { type: 'string', default: '5' },
    'latency-ms': { type: 'string', default: '50' },
    'rate-limit': { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'flowops-rpm': { type: 'string' },
    'flowops-tokens': { type: 'string', default: '10' },
    'apply-concurrency': { type: 'string' },
    machinery: { type: 'boolean', default: false },
    'machinery-rounds': { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    logs: { type: 'string' },
    out: { type: 'string', default: join(benchDir, 'results.json') },
    keep: { type: 'boolean', default: false },
  },
});

const N = Number(args.flows ?? (args.quick ? 200 : 1000));
const MODULES = Number(args.modules ?? Math.max(1, Math.round(N / 20)));
const REAL_JOB_MS = Number(args['real-job-ms']);
// --quick shortens jobs five-fold to stay short; the baseline's 15 s poll shrinks alike.
const JOB_MS = Number(args['job-ms'] ?? (args.quick ? REAL_JOB_MS / 5 : REAL_JOB_MS));
const SCALE = JOB_MS / REAL_JOB_MS;
const POLL_MS = 15_000 * SCALE;
const CHANGED = Math.max(1, Math.round((N * Number(args['changed-pct'])) / 100));
const RATE_LIMIT = Number(args['rate-limit']);
const SEED = Number(args.seed);
const LATENCIES = args['latency-ms'].split(',').map((s) => Number(s.trim()));
if (LATENCIES.some((l) => !Number.isInteger(l) || l < 0 || l > 5_000))
  throw new Error(`--latency-ms ${args['latency-ms']}: expected whole milliseconds from 0 to 5000, comma-separated`);
// Diagnostics, not defaults: flowops' request budget (requestsPerMinute in flowops.yaml) and apply's --concurrency.
const FLOWOPS_RPM = args['flowops-rpm'] === undefined ? undefined : Number(args['flowops-rpm']);
// flowops gets as many tokens as the baseline's pool (10): `tokens` in flowops.yaml.
const FLOWOPS_TOKENS = Number(args['flowops-tokens']);
const APPLY_CONCURRENCY = args['apply-concurrency'] === undefined ? [] : ['--concurrency', args['apply-concurrency']];
/**
 * The first apply (a setup step) runs 64 flows at once: at the default 10, its 6 requests a flow go
 * at about 11 a second (10 requests in flight spread over the 10 tokens' budgets badly; see README
 * "Performance"), which made it 565 s of the bench's time for 1000 flows; at 64, about three minutes.
 */
const SETUP_CONCURRENCY = args['apply-concurrency'] === undefined ? ['--concurrency', '64'] : APPLY_CONCURRENCY;
const MACHINERY_ROUNDS = Number(args['machinery-rounds']);
/** Per applied flow, on average (issue 12). */
const MAX_REQUESTS_PER_FLOW = 7;
/** Of depth x job time (issue 12). */
const PHASE_FACTOR = 1.25;

const FLOWOPS = { id: 'flowops-bench', secret: 'flowops-bench-secret' };
const BASELINE = { id: 'terraform-baseline', secret: 'terraform-baseline-secret' };
const SETUP = { id: 'bench-setup', secret: 'bench-setup-secret' };
/** Issue 15's budget for the reference check of a plan of 50 changed flows (500 queues, 200 data actions). */
const MAX_REFERENCE_REQUESTS = 10;
const EXPORT_JOB = 'POST /api/v2/flows/export/jobs';

const log = (m: string) => process.stdout.write(`${m}\n`);
const started = performance.now();

const git = (gitArgs: string[]) => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' }).trim();
const dirty = git(['status', '--porcelain', '--', 'src']) !== '';
const commit = git(['rev-parse', '--short', 'HEAD']);
log(`flowops ${commit}${dirty ? ' with uncommitted changes in src/' : ''}, dist/ as of ${new Date().toISOString()}`);
log(
  `flowops bench: ${N} flows (${MODULES} common modules, ${N - MODULES} inbound flows calling them), ${CHANGED} changed (${args['changed-pct']} %), seed ${SEED}`,
);
log(
  `emulator: job and export-job time ${JOB_MS} ms, rate limit ${RATE_LIMIT || 'off'} requests/min per token; latency per request: ${LATENCIES.map((l) => `${l} ms`).join(', then ')}`,
);
log(
  SCALE === 1
    ? `baseline: the provider's 15 s between job checks, unscaled (jobs take ${JOB_MS} ms)`
    : `baseline: job time scaled by ${SCALE} (${REAL_JOB_MS} ms -> ${JOB_MS} ms), so the provider's 15 s between job checks is scaled alike to ${formatMs(POLL_MS)}`,
);
if (APPLY_CONCURRENCY.length) log(`apply runs with --concurrency ${APPLY_CONCURRENCY[1]} (--apply-concurrency)`);

const variants: Array<{ name: string; switches: Switch[]; cli: string }> = args.machinery
  ? [
      { name: 'as built', switches: [] as Switch[] },
      { name: 'no worker threads', switches: ['no-workers'] as Switch[] },
    ].map((v) => ({ ...v, cli: v.switches.length ? variantBuild(build, repoRoot, v.switches) : cli }))
  : [];

const results: LatencyResults[] = [];
const allFailures: string[] = [];
/** What a latency's run must close or remove when it stops half-way (its emulator, proxy and org). */
const cleanups: Array<() => Promise<void> | void> = [];
for (const latency of LATENCIES) {
  try {
    results.push(await runAt(latency));
  } catch (err) {
    allFailures.push(`latency ${latency} ms: ${err instanceof Error ? err.message : String(err)}`);
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    break;
  }
}

// --- results -----------------------------------------------------------------------------------
writeFileSync(args.out, `${JSON.stringify({ commit, dirty, flows: N, jobMs: JOB_MS, results }, null, 2)}\n`);
for (const r of results) {
  log(`\n=== latency ${r.latencyMs} ms ===\n${renderTable(r.rows)}\n`);
  log(`Targets (latency ${r.latencyMs} ms):\n${renderTargets(r.checks)}\n`);
  log(
    `Where the time went (latency ${r.latencyMs} ms; flowops, from its progress lines):\n${r.details.map((d) => `  ${d}`).join('\n')}`,
  );
  if (r.machinery.length) {
    log(
      `\nPlan machinery (latency ${r.latencyMs} ms; walls of each round, in the order run; .flowops/cache removed before each cold plan):`,
    );
    for (const m of r.machinery)
      log(
        `  ${m.variant.padEnd(24)} cold ${m.coldMs.map(formatMs).join(' / ')} (${m.coldRequests.join('/')} requests)   warm ${m.warmMs.map(formatMs).join(' / ')} (${m.warmRequests.join('/')} requests)`,
      );
    log(`  ${'baseline refresh'.padEnd(24)} ${r.machineryRefreshMs.map(formatMs).join(' / ')}`);
  }
  log(
    `\nRequests by endpoint (latency ${r.latencyMs} ms; uploads and downloads go to presigned URLs: not API requests):`,
  );
  for (const [run, tally] of Object.entries(r.endpoints))
    log(
      `  ${run}: ${Object.entries(tally)
        .sort((a, b) => b[1] - a[1])
        .map(([e, c]) => `${c} ${e}`)
        .join(', ')}`,
    );
  for (const n of r.notes) log(`note: ${n}`);
}
log(`\nREADME table:\n${renderCombinedMarkdown(results)}`);
log(`\nWrote ${args.out}. Total ${formatMs(performance.now() - started)}.`);
rmSync(build, { recursive: true, force: true });
for (const v of variants) if (v.cli !== cli) rmSync(join(dirname(v.cli), '..', '..'), { recursive: true, force: true });
if (allFailures.length) {
  process.stderr.write(`\n${allFailures.length} run(s) did not end as expected:\n${allFailures.join('\n\n')}\n`);
  process.exitCode = 1;
}

// --- one latency ---------------------------------------------------------------------------------
async function runAt(latencyMs: number): Promise<LatencyResults> {
  log(`\n=== latency ${latencyMs} ms ===`);
  const org = generateOrg(N, MODULES, { seed: SEED, git: true, environment: BENCH_ENVIRONMENT });
  if (!args.keep) cleanups.push(() => rmSync(join(org.dir, '..'), { recursive: true, force: true }));
  if (FLOWOPS_RPM !== undefined) {
    writeFileSync(
      join(org.dir, 'flowops.yaml'),
      `${readFileSync(join(org.dir, 'flowops.yaml'), 'utf8')}    requestsPerMinute: ${FLOWOPS_RPM}\n`,
    );
    commitAll(org.dir, 'request budget');
    log(`flowops' request budget set to ${FLOWOPS_RPM} a minute (--flowops-rpm)`);
  }
  if (FLOWOPS_TOKENS !== 1) {
    writeFileSync(
      join(org.dir, 'flowops.yaml'),
      `${readFileSync(join(org.dir, 'flowops.yaml'), 'utf8')}    tokens: ${FLOWOPS_TOKENS}\n`,
    );
    commitAll(org.dir, 'tokens');
    log(
      `flowops may use up to ${FLOWOPS_TOKENS} tokens, like the baseline's pool (tokens in flowops.yaml; --flowops-tokens)`,
    );
  }
  log(`generated ${(org.bytes / 1024 / 1024).toFixed(1)} MiB of flow YAML in ${org.dir}`);
  const emulator = await startEmulatorProcess(cli, {
    seedDir: org.seedDir,
    objectsFile: org.objectsFile,
    clients: [FLOWOPS, BASELINE, SETUP],
    rateLimitPerMinute: RATE_LIMIT,
    faults: `jobMs=${JOB_MS}`,
    seedRandom: SEED,
  });
  // Both tools reach the emulator through a counting proxy, which adds the latency: requests by endpoint, per run.
  cleanups.push(() => emulator.close());
  const proxy = await startCountingProxy(emulator.url, { latencyMs });
  cleanups.push(() => proxy.close());
  log(
    `emulator (its own process) seeded with ${N} flows at ${emulator.url}, proxy adding ${latencyMs} ms a request at ${proxy.url} (${formatMs(performance.now() - started)})`,
  );

  const rows: ResultRow[] = [];
  const endpoints: Record<string, Record<string, number>> = {};
  const notes: string[] = [];
  const details: string[] = [];
  const profiles = args.profile ? mkdtempSync(join(tmpdir(), 'flowops-bench-prof-')) : undefined;
  const cache = join(org.dir, '.flowops', 'cache');
  let runs = 0;

  const stats = async (): Promise<StatsSnapshot> =>
    (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as StatsSnapshot;

  /** Runs a flowops binary; fails the bench when it ends otherwise than expected. */
  const run = async (cliArgs: string[], expect: number[], cliPath = cli, profileDir?: string) => {
    const before = (await stats()).byClient[FLOWOPS.id] ?? 0;
    proxy.take();
    const m = await measure(
      process.execPath,
      [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), cliPath, ...cliArgs],
      {
        cwd: org.dir,
        env: {
          GENESYS_ENV_URL: proxy.url,
          GENESYS_CLIENT_ID: FLOWOPS.id,
          GENESYS_CLIENT_SECRET: FLOWOPS.secret,
          NO_COLOR: '1',
          GITHUB_ACTIONS: '',
        },
      },
    );
    const requests = ((await stats()).byClient[FLOWOPS.id] ?? 0) - before;
    const byEndpoint = Object.fromEntries(proxy.take());
    if (args.logs) {
      mkdirSync(args.logs, { recursive: true });
      const name = `${latencyMs}ms-${String(++runs).padStart(2, '0')}-${cliArgs
        .filter((a) => /^[a-z]/.test(a))
        .slice(0, 2)
        .join('-')}${cliPath === cli ? '' : `-${variants.find((v) => v.cli === cliPath)?.switches.join('+')}`}.txt`;
      writeFileSync(
        join(args.logs, name),
        m.stderrLines.map((l) => `${formatMs(l.atMs).padStart(8)}  ${l.text}`).join('\n') + '\n',
      );
    }
    // Without the plan files and reports of the runs before, the rest means nothing: stop here.
    if (!expect.includes(m.code ?? -1))
      throw new Error(
        `flowops ${cliArgs.join(' ')} exited ${m.code} (expected ${expect.join(' or ')}):\n${m.stderr.slice(-2000)}`,
      );
    return { m, requests, byEndpoint };
  };

  /** Runs flowops and records a row (unless `scenario` is undefined: a setup step). */
  const flowops = async (
    scenario: string | undefined,
    flows: number,
    cliArgs: string[],
    expect: number[],
  ): Promise<Measured> => {
    const { m, requests, byEndpoint } = await run(
      cliArgs,
      expect,
      cli,
      profiles && scenario ? join(profiles, scenario) : undefined,
    );
    if (scenario) {
      endpoints[`${scenario} flowops`] = byEndpoint;
      rows.push({ scenario, tool: 'flowops', flows, requests, wallMs: m.wallMs, peakRssMb: m.peakRssMb });
      log(
        `  ${scenario}: flowops ${requests} requests, ${formatMs(m.wallMs)}${m.peakRssMb ? `, ${Math.round(m.peakRssMb)} MB` : ''}`,
      );
    } else log(`  (setup) flowops ${cliArgs.join(' ')}: ${requests} requests, ${formatMs(m.wallMs)}`);
    return m;
  };

  const baselineRun = async (
    label: string,
    task: Omit<BaselineTask, 'url' | 'clientId' | 'clientSecret' | 'pollMs'>,
  ) => {
    const file = join(org.dir, '..', `baseline-${label}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        ...task,
        url: proxy.url,
        clientId: BASELINE.id,
        clientSecret: BASELINE.secret,
        pollMs: POLL_MS,
      } satisfies BaselineTask),
    );
    const before = (await stats()).byClient[BASELINE.id] ?? 0;
    proxy.take();
    const m = await measure(process.execPath, [tsx, join(benchDir, 'terraform-baseline.ts'), file], { cwd: repoRoot });
    const requests = ((await stats()).byClient[BASELINE.id] ?? 0) - before;
    const byEndpoint = Object.fromEntries(proxy.take());
    if (m.code !== 0) throw new Error(`baseline ${label} exited ${m.code}:\n${m.stderr.slice(-2000)}`);
    const own = JSON.parse(m.stdout.trim().split('\n').pop()!) as BaselineResult;
    if (own.requests !== requests)
      notes.push(`baseline ${label}: it counted ${own.requests} requests, the emulator ${requests}`);
    return { m, requests, byEndpoint, own };
  };

  const baseline = async (
    scenario: string,
    flows: number,
    task: Omit<BaselineTask, 'url' | 'clientId' | 'clientSecret' | 'pollMs'>,
  ): Promise<void> => {
    const { m, requests, byEndpoint, own } = await baselineRun(scenario, task);
    endpoints[`${scenario} terraform-baseline`] = byEndpoint;
    rows.push({ scenario, tool: 'terraform-baseline', flows, requests, wallMs: m.wallMs, peakRssMb: m.peakRssMb });
    log(
      `  ${scenario}: baseline ${requests} requests, ${formatMs(m.wallMs)} (${own.jobChecks} job checks, ${own.retries} retries)`,
    );
  };

  const planOf = (file: string): Plan => JSON.parse(readFileSync(join(org.dir, file), 'utf8')) as Plan;
  const writesIn = (plan: Plan) => plan.flows.filter((f) => f.action !== 'unchanged').length;
  /** The flows a plan writes, for the baseline: same YAML, same dependencies (read now: the files change later). */
  const writesOf = (plan: Plan): BaselineWrite[] => {
    const written = plan.flows.filter(
      (f) => f.action === 'create' || f.action === 'update' || f.action === 'republish',
    );
    const ids = new Set(written.map((f) => f.id));
    return written.map((f) => ({
      id: f.id,
      yaml: readFileSync(join(org.dir, f.path!), 'utf8'),
      dependsOn: f.dependsOn.filter((d) => ids.has(d)),
    }));
  };

  const setup = await fetch(`${emulator.url}/login/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${SETUP.id}:${SETUP.secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const token = ((await setup.json()) as { access_token: string }).access_token;
  const flowIds: string[] = [];
  for (let page = 1; ; page++) {
    const listing = (await (
      await fetch(`${emulator.url}/api/v2/flows?pageSize=500&pageNumber=${page}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { entities: Array<{ id: string }>; pageCount: number };
    flowIds.push(...listing.entities.map((f) => f.id));
    if (page >= listing.pageCount) break;
  }

  // The files Terraform's configuration hashes at every plan (filesha256: terraform-baseline.ts).
  const flowFiles = readdirSync(join(org.dir, 'flows'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(org.dir, 'flows', f));

  // An org flowops never published: everything is exported once.
  log('flowops, the org as seeded (published by someone else):');
  await flowops('plan-first-cold', N, ['plan', '--detailed-exitcode'], [0]);
  // The first apply: every flow changed, so every published version becomes flowops' own.
  changeAll(org, '(first apply)');
  commitAll(org.dir, 'every flow edited: the first apply');
  await flowops(undefined, N, ['plan', '--detailed-exitcode', '--out', 'plan-first.json'], [2]);
  const firstPlan = planOf('plan-first.json');
  const firstApply = await flowops(
    'apply-first-all',
    writesIn(firstPlan),
    ['apply', 'plan-first.json', '--json', ...SETUP_CONCURRENCY],
    [0],
  );

  log('flowops, the org it applied:');
  rmSync(cache, { recursive: true, force: true });
  const cold = await flowops('plan-unchanged-cold', N, ['plan', '--detailed-exitcode'], [0]);
  await baseline('plan-unchanged-cold', N, { mode: 'refresh', flowIds, files: flowFiles });
  const warm = await flowops('plan-unchanged-warm', N, ['plan', '--detailed-exitcode'], [0]);
  changeCallers(org, CHANGED, '(changed by the bench)');
  commitAll(org.dir, `change ${CHANGED} inbound flows`);
  const changedPlan = await flowops(
    'plan-5pct-changed',
    N,
    ['plan', '--detailed-exitcode', '--out', 'plan-callers.json'],
    [2],
  );
  await baseline('plan-5pct-changed', N, { mode: 'refresh', flowIds, files: flowFiles });
  const callersPlan = planOf('plan-callers.json');
  const callersWrites = writesOf(callersPlan);
  const applyCallers = await flowops(
    'apply-5pct-callers',
    writesIn(callersPlan),
    ['apply', 'plan-callers.json', '--json', ...APPLY_CONCURRENCY],
    [0],
  );
  await flowops('drift', N, ['drift'], [0]);
  const callers = changeModule(org, 0, '(module changed by the bench)');
  commitAll(org.dir, 'change a module');
  await flowops(undefined, N, ['plan', '--detailed-exitcode', '--out', 'plan-module.json'], [2]);
  const modulePlan = planOf('plan-module.json');
  const moduleWrites = writesOf(modulePlan);
  if (writesIn(modulePlan) !== callers + 1)
    notes.push(`the module plan writes ${writesIn(modulePlan)} flows; the module has ${callers} callers`);
  const applyModule = await flowops(
    'apply-module-change',
    writesIn(modulePlan),
    ['apply', 'plan-module.json', '--json', ...APPLY_CONCURRENCY],
    [0],
  );

  // Every published version is flowops' own again here: the machinery's plans see the org of plan-unchanged-*.
  const machinery: MachineryRow[] = variants.map((v) => ({
    variant: v.name,
    coldMs: [],
    coldRequests: [],
    warmMs: [],
    warmRequests: [],
  }));
  const machineryRefreshMs: number[] = [];
  if (variants.length) {
    log(`plan machinery, ${MACHINERY_ROUNDS} round(s):`);
    for (let round = 0; round < MACHINERY_ROUNDS; round++) {
      const order = variants.map((_, i) => (i + round) % variants.length);
      for (const i of order) {
        const v = variants[i]!;
        rmSync(cache, { recursive: true, force: true });
        const c = await run(['plan', '--detailed-exitcode'], [0], v.cli);
        const w = await run(['plan', '--detailed-exitcode'], [0], v.cli);
        const row = machinery[i]!;
        row.coldMs.push(c.m.wallMs);
        row.coldRequests.push(c.requests);
        row.warmMs.push(w.m.wallMs);
        row.warmRequests.push(w.requests);
        log(
          `  round ${round + 1}, ${v.name}: cold ${formatMs(c.m.wallMs)} (${c.requests} requests), warm ${formatMs(w.m.wallMs)} (${w.requests} requests)`,
        );
      }
      const r = await baselineRun(`refresh-round-${round + 1}`, { mode: 'refresh', flowIds, files: flowFiles });
      machineryRefreshMs.push(r.m.wallMs);
      log(`  round ${round + 1}, baseline refresh: ${formatMs(r.m.wallMs)}`);
    }
  }

  log('terraform-baseline, deploying what flowops applied:');
  await baseline('apply-5pct-callers', callersWrites.length, { mode: 'apply', writes: callersWrites });
  await baseline('apply-module-change', moduleWrites.length, { mode: 'apply', writes: moduleWrites });
  await proxy.close();
  await emulator.close();
  cleanups.length = 0;

  // Issue 17: what the house rules cost validate (no org: once, at the first latency, after the emulator stopped).
  const validateRules =
    latencyMs === LATENCIES[0] ? await measureValidateRules(cli, { flows: N, seed: SEED, rounds: 3, log }) : undefined;
  if (validateRules) rows.push(...validateRules.rows);

  // --- targets -----------------------------------------------------------------------------------
  const order = [
    'plan-first-cold',
    'apply-first-all',
    'plan-unchanged-cold',
    'plan-unchanged-warm',
    'plan-5pct-changed',
    'apply-5pct-callers',
    'apply-module-change',
    'drift',
    'validate-cold-rules-off',
    'validate-cold-rules-on',
    'validate-warm-rules-off',
    'validate-warm-rules-on',
  ];
  rows.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario) || a.tool.localeCompare(b.tool));
  const row = (scenario: string, tool: ResultRow['tool']) =>
    rows.find((r) => r.scenario === scenario && r.tool === tool)!;
  const exports = (scenario: string) => endpoints[`${scenario} flowops`]?.[EXPORT_JOB] ?? 0;
  const checks: TargetCheck[] = [...(validateRules?.checks ?? [])];
  const refresh = row('plan-unchanged-cold', 'terraform-baseline');
  const coldRow = row('plan-unchanged-cold', 'flowops');
  const warmRow = row('plan-unchanged-warm', 'flowops');
  checks.push({
    target: `plan-unchanged-cold (${N} flows flowops applied, empty cache): at most 4 requests, no export job`,
    measured: `${coldRow.requests} requests, ${exports('plan-unchanged-cold')} export job(s)`,
    met: coldRow.requests <= 4 && exports('plan-unchanged-cold') === 0,
  });
  checks.push({
    target: `plan-unchanged-cold: wall no more than the baseline's refresh`,
    measured: `${formatMs(coldRow.wallMs)} vs ${formatMs(refresh.wallMs)} (${(coldRow.wallMs / refresh.wallMs).toFixed(2)}x)`,
    met: coldRow.wallMs <= refresh.wallMs,
  });
  checks.push({
    target: `plan-unchanged-warm: wall at most a third of the baseline's refresh (${formatMs(refresh.wallMs / 3)})`,
    measured: `${formatMs(warmRow.wallMs)} (${(warmRow.wallMs / refresh.wallMs).toFixed(2)}x the refresh), ${warmRow.requests} requests, ${exports('plan-unchanged-warm')} export job(s)`,
    met: warmRow.wallMs <= refresh.wallMs / 3,
  });
  for (const scenario of ['plan-unchanged-cold', 'plan-5pct-changed']) {
    const ours = row(scenario, 'flowops');
    const theirs = row(scenario, 'terraform-baseline');
    const ratio = theirs.requests / Math.max(1, ours.requests);
    checks.push({
      target: `${scenario}: at least 10x fewer requests than the baseline (issue 7)`,
      measured: `${theirs.requests} / ${ours.requests} = ${ratio.toFixed(1)}x`,
      met: ratio >= 10,
    });
  }
  const applies = [
    ['apply-5pct-callers', callersPlan, applyCallers],
    ['apply-module-change', modulePlan, applyModule],
  ] as const;
  for (const [scenario, plan, m] of applies) {
    const r = row(scenario, 'flowops');
    const depth = depthOf(plan);
    const critical = depth * JOB_MS;
    const phase = phaseOf(flowSpans(m));
    checks.push({
      target: `${scenario}: the apply phase within ${PHASE_FACTOR}x depth x job time (${r.flows} flows, depth ${depth} x ${JOB_MS} ms = ${formatMs(critical)}; at most ${formatMs(PHASE_FACTOR * critical)})`,
      measured: `${formatMs(phase.ms)} = ${(phase.ms / critical).toFixed(2)}x (the whole run ${formatMs(r.wallMs)})`,
      met: phase.ms <= PHASE_FACTOR * critical,
    });
    checks.push({
      target: `${scenario}: at most ${MAX_REQUESTS_PER_FLOW} requests per applied flow on average`,
      measured: `${r.requests} / ${r.flows} = ${(r.requests / r.flows).toFixed(2)}`,
      met: r.requests / r.flows <= MAX_REQUESTS_PER_FLOW,
    });
  }
  // Issue 15: the org objects the changed flows name cost one listing per kind named plus its extra
  // pages (500 queues and 200 data actions: at most 10 requests more); unchanged flows cost none.
  const listings = (scenario: string): Record<string, number> =>
    Object.fromEntries(
      LISTING_PATHS.flatMap((path) => {
        const n = endpoints[`${scenario} flowops`]?.[`GET ${path}`] ?? 0;
        return n > 0 ? [[path, n]] : [];
      }),
    );
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const changedListings = listings('plan-5pct-changed');
  checks.push({
    target: `plan-5pct-changed: the org objects the ${CHANGED} changed flows name, one listing per kind plus its extra pages: at most ${MAX_REFERENCE_REQUESTS} requests`,
    measured: `${total(changedListings)} (${
      Object.entries(changedListings)
        .map(([path, n]) => `${path} ${n}`)
        .join(', ') || 'none named'
    })`,
    met: total(changedListings) <= MAX_REFERENCE_REQUESTS,
  });
  const unchangedListings = total(listings('plan-unchanged-cold')) + total(listings('plan-unchanged-warm'));
  checks.push({
    target: 'plans of unchanged flows list no org objects',
    measured: `${unchangedListings} listing request(s)`,
    met: unchangedListings === 0,
  });
  const driftRow = row('drift', 'flowops');
  checks.push({
    target: 'drift right after an apply: no export',
    measured: `${exports('drift')} export job(s), ${driftRow.requests} requests, ${formatMs(driftRow.wallMs)}`,
    met: exports('drift') === 0,
  });

  // --- where the time went -----------------------------------------------------------------------
  const bucket = tokenBucketFor(FLOWOPS_RPM ?? 300);
  const sustained = 60_000 / bucket.refillEveryMs;
  for (const [scenario, m] of [
    ['plan-unchanged-cold', cold],
    ['plan-unchanged-warm', warm],
    ['plan-5pct-changed', changedPlan],
  ] as const) {
    const ready = lineAt(m, /^Planning environment/);
    const listed = lineAt(m, /^Found \d+ live flow/);
    const read = lineAt(m, /API request\(s\)\.$/);
    if (ready === undefined || listed === undefined || read === undefined) continue;
    details.push(
      `${scenario}: read and check ${N} files (the login and listing under way) ${formatMs(ready)}; the listing's rest ${formatMs(listed - ready)}; export or cache, parse live content, diff ${formatMs(read - listed)}; print ${formatMs(m.wallMs - read)}`,
    );
  }
  for (const [scenario, plan, m] of [['apply-first-all', firstPlan, firstApply], ...applies] as const) {
    const r = row(scenario, 'flowops');
    const spans = flowSpans(m);
    const phase = phaseOf(spans);
    const ready = lineAt(m, /^Applying \d+ flow/);
    const floor = (Math.max(0, r.requests - bucket.burst * FLOWOPS_TOKENS) / (sustained * FLOWOPS_TOKENS)) * 60_000;
    const byDepth = levels(plan, spans);
    details.push(
      `${scenario}: ${ready === undefined ? '' : `files, plan check and login ${formatMs(ready)}; `}apply phase ${formatMs(phase.ms)} for ${r.flows} flows ` +
        `(${byDepth.map((l) => `depth ${l.depth}: ${l.flows} flows, first start +${formatMs(l.firstStartMs - phase.startMs)}, last start +${formatMs(l.lastStartMs - phase.startMs)}, last end +${formatMs(l.lastEndMs - phase.startMs)}, a flow's start to end ${formatMs(l.minSpanMs)} to ${formatMs(l.maxSpanMs)}`).join('; ')}); ` +
        `after it ${formatMs(m.wallMs - phase.endMs)}; ${(r.requests / r.flows).toFixed(1)} requests a flow (at flowops' client budget of ${bucket.burst} at once then ${sustained}/min per token, ${FLOWOPS_TOKENS} token(s), ${r.requests} requests need at least ${formatMs(floor)})`,
    );
  }
  if (profiles) {
    for (const scenario of order) {
      let file: string | undefined;
      try {
        file = profileIn(join(profiles, scenario));
      } catch {
        file = undefined;
      }
      if (!file) continue;
      const s = summarizeProfile(file);
      details.push(
        `CPU profile ${scenario}: ${formatMs(s.totalMs)} profiled, garbage collection ${formatMs(s.gcMs)}, idle ${formatMs(s.idleMs)}; inclusive: ${s.top.map((t) => `${t.name} ${formatMs(t.ms)}`).join('; ')}`,
      );
    }
  }
  if (!args.keep) rmSync(join(org.dir, '..'), { recursive: true, force: true });
  else log(`kept ${org.dir}`);
  if (profiles && !args.keep) rmSync(profiles, { recursive: true, force: true });
  return { latencyMs, rows, checks, details, endpoints, notes, machinery, machineryRefreshMs };
}

/** Longest chain of dependencies among the flows a plan writes (1 = all independent). */
function depthOf(plan: Plan): number {
  return Math.max(0, ...depths(plan).values());
}

function depths(plan: Plan): Map<string, number> {
  const writes = new Map(
    plan.flows.filter((f) => f.action !== 'unchanged' && f.action !== 'delete').map((f) => [f.id, f]),
  );
  const memo = new Map<string, number>();
  const depth = (id: string): number =>
    memo.get(id) ??
    (memo.set(
      id,
      1 +
        Math.max(
          0,
          ...writes
            .get(id)!
            .dependsOn.filter((d) => writes.has(d))
            .map(depth),
        ),
    ),
    memo.get(id)!);
  for (const id of writes.keys()) depth(id);
  return memo;
}

/** The spans of each dependency level of an apply. */
function levels(plan: Plan, spans: readonly FlowSpan[]) {
  const depthOfId = depths(plan);
  const labelOf = (id: string) => `${id.slice(0, id.indexOf(':'))} "${id.slice(id.indexOf(':') + 1)}"`;
  const depthByLabel = new Map([...depthOfId].map(([id, d]) => [labelOf(id), d]));
  const out: Array<{
    depth: number;
    flows: number;
    firstStartMs: number;
    lastStartMs: number;
    lastEndMs: number;
    minSpanMs: number;
    maxSpanMs: number;
  }> = [];
  for (const d of [...new Set(depthOfId.values())].sort((a, b) => a - b)) {
    const at = spans.filter((s) => depthByLabel.get(s.label) === d);
    if (!at.length) continue;
    out.push({
      depth: d,
      flows: at.length,
      firstStartMs: Math.min(...at.map((s) => s.startMs)),
      lastStartMs: Math.max(...at.map((s) => s.startMs)),
      lastEndMs: Math.max(...at.map((s) => s.endMs)),
      minSpanMs: Math.min(...at.map((s) => s.endMs - s.startMs)),
      maxSpanMs: Math.max(...at.map((s) => s.endMs - s.startMs)),
    });
  }
  return out;
}
