/**
 * `npm run bench` (N = 1000) and `npm run bench -- --quick` (N = 200): flowops and a replay of the
 * Terraform provider's request pattern (terraform-baseline.ts) against the same emulated org.
 *
 * Scenarios, in this order on one emulator (its job and export-job time is `jobMs`):
 *   plan-unchanged-cold   no .flowops/cache: every published flow is exported once
 *   plan-unchanged-warm   the cache from the run before
 *   plan-5pct-changed     5 % of the flows edited (callers only, spread over the org: no module, so
 *                         no republish; the module case is the scenario below), plan --out
 *   apply-5pct-callers    `flowops apply plan.json` of that plan (dependency depth 1)
 *   drift                 `flowops drift` right after (the audit notes read back from git)
 *   apply-module-change   one module edited: it and its ~19 callers (republished), depth 2
 * `--quick` (N = 200, jobs 5x shorter) leaves out the module change, to stay under a minute.
 * The baseline refreshes every flow for each plan and deploys the same flows as flowops' plans (after
 * flowops did: the org then already holds that content, which changes nothing in its requests).
 *
 * Options: --quick, --flows N, --modules M, --job-ms MS, --real-job-ms MS, --changed-pct P,
 * --rate-limit N (emulator, per token), --seed S, --profile (CPU profile of each flowops run),
 * --out FILE (default bench/results.json), --keep (keep the generated org); to find out why, not for
 * the published figures: --flowops-rpm N (flowops' requestsPerMinute), --apply-concurrency N.
 * --flowops-tokens N (default 10, the size of the baseline's pool) is `tokens` in flowops.yaml.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import type { StatsSnapshot } from '../src/emulator/index.js';
import { tokenBucketFor } from '../src/genesys/rate-limit.js';
import type { ApplyReport } from '../src/apply/types.js';
import type { Plan } from '../src/plan/types.js';
import { startCountingProxy } from './count-proxy.js';
import { changeCallers, changeModule, commitAll, generateOrg } from './generate-org.js';
import { lineAt, measure, type Measured } from './measure.js';
import { profileIn, summarizeProfile } from './profile-summary.js';
import { formatMs, renderMarkdownTable, renderTable, renderTargets, type ResultRow, type TargetCheck } from './report.js';
import type { BaselineResult, BaselineTask, BaselineWrite } from './terraform-baseline.js';

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
    'rate-limit': { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'flowops-rpm': { type: 'string' },
    'flowops-tokens': { type: 'string', default: '10' },
    'apply-concurrency': { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: join(benchDir, 'results.json') },
    keep: { type: 'boolean', default: false },
  },
});

const N = Number(args.flows ?? (args.quick ? 200 : 1000));
const MODULES = Number(args.modules ?? Math.max(1, Math.round(N / 20)));
const REAL_JOB_MS = Number(args['real-job-ms']);
// --quick shortens jobs five-fold to stay under a minute; the baseline's 15 s poll shrinks alike.
const JOB_MS = Number(args['job-ms'] ?? (args.quick ? REAL_JOB_MS / 5 : REAL_JOB_MS));
const SCALE = JOB_MS / REAL_JOB_MS;
const POLL_MS = 15_000 * SCALE;
const CHANGED = Math.max(1, Math.round((N * Number(args['changed-pct'])) / 100));
const RATE_LIMIT = Number(args['rate-limit']);
const SEED = Number(args.seed);
// Diagnostics, not defaults: flowops' request budget (requestsPerMinute in flowops.yaml) and apply's --concurrency.
const FLOWOPS_RPM = args['flowops-rpm'] === undefined ? undefined : Number(args['flowops-rpm']);
// flowops gets as many tokens as the baseline's pool (10): `tokens` in flowops.yaml.
const FLOWOPS_TOKENS = Number(args['flowops-tokens']);
const APPLY_CONCURRENCY = args['apply-concurrency'] === undefined ? [] : ['--concurrency', args['apply-concurrency']];

const FLOWOPS = { id: 'flowops-bench', secret: 'flowops-bench-secret' };
const BASELINE = { id: 'terraform-baseline', secret: 'terraform-baseline-secret' };
const SETUP = { id: 'bench-setup', secret: 'bench-setup-secret' };

const log = (m: string) => process.stdout.write(`${m}\n`);
const started = performance.now();

const git = (gitArgs: string[]) => execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8' }).trim();
const dirty = git(['status', '--porcelain', '--', 'src']) !== '';
log(`flowops ${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' with uncommitted changes in src/' : ''}, dist/ as of ${new Date().toISOString()}`);
log(`flowops bench: ${N} flows (${MODULES} common modules, ${N - MODULES} inbound flows calling them), ${CHANGED} changed (${args['changed-pct']} %), seed ${SEED}`);
log(`emulator: job and export-job time ${JOB_MS} ms, rate limit ${RATE_LIMIT || 'off'} requests/min per token`);
log(
  SCALE === 1
    ? `baseline: the provider's 15 s between job checks, unscaled (jobs take ${JOB_MS} ms)`
    : `baseline: job time scaled by ${SCALE} (${REAL_JOB_MS} ms -> ${JOB_MS} ms), so the provider's 15 s between job checks is scaled alike to ${formatMs(POLL_MS)}`,
);

const org = generateOrg(N, MODULES, SEED);
if (FLOWOPS_RPM !== undefined) {
  writeFileSync(join(org.dir, 'flowops.yaml'), `${readFileSync(join(org.dir, 'flowops.yaml'), 'utf8')}    requestsPerMinute: ${FLOWOPS_RPM}\n`);
  commitAll(org.dir, 'request budget');
  log(`flowops' request budget set to ${FLOWOPS_RPM} a minute (--flowops-rpm)`);
}
if (FLOWOPS_TOKENS !== 1) {
  writeFileSync(join(org.dir, 'flowops.yaml'), `${readFileSync(join(org.dir, 'flowops.yaml'), 'utf8')}    tokens: ${FLOWOPS_TOKENS}\n`);
  commitAll(org.dir, 'tokens');
  log(`flowops may use up to ${FLOWOPS_TOKENS} tokens, like the baseline's pool (tokens in flowops.yaml; --flowops-tokens)`);
}
if (APPLY_CONCURRENCY.length) log(`apply runs with --concurrency ${APPLY_CONCURRENCY[1]} (--apply-concurrency)`);
log(`generated ${(org.bytes / 1024 / 1024).toFixed(1)} MiB of flow YAML in ${org.dir}`);
const emulator = await startEmulator({
  seedDir: org.seedDir,
  clients: [FLOWOPS, BASELINE, SETUP],
  rateLimitPerMinute: RATE_LIMIT,
  faults: `jobMs=${JOB_MS}`,
  seedRandom: SEED,
});
// Both tools reach the emulator through a counting proxy: requests by endpoint, per run.
const proxy = await startCountingProxy(emulator.url);
log(`emulator seeded with ${emulator.seeded} flows at ${emulator.url} (${formatMs(performance.now() - started)})\n`);

const rows: ResultRow[] = [];
const endpoints = new Map<string, Map<string, number>>();
const notes: string[] = [];
const failures: string[] = [];
const profiles = args.profile ? mkdtempSync(join(tmpdir(), 'flowops-bench-prof-')) : undefined;

async function stats(): Promise<StatsSnapshot> {
  return (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as StatsSnapshot;
}

/** Runs the flowops binary and records a row (unless `scenario` is undefined: a setup step). */
async function flowops(scenario: string | undefined, flows: number, cliArgs: string[], expect: number[]): Promise<Measured> {
  const before = (await stats()).byClient[FLOWOPS.id] ?? 0;
  proxy.take();
  const profileDir = profiles && scenario ? join(profiles, scenario) : undefined;
  const m = await measure(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), cli, ...cliArgs], {
    cwd: org.dir,
    env: { GENESYS_ENV_URL: proxy.url, GENESYS_CLIENT_ID: FLOWOPS.id, GENESYS_CLIENT_SECRET: FLOWOPS.secret, NO_COLOR: '1', GITHUB_ACTIONS: '' },
  });
  const requests = ((await stats()).byClient[FLOWOPS.id] ?? 0) - before;
  if (!expect.includes(m.code ?? -1)) failures.push(`flowops ${cliArgs.join(' ')} exited ${m.code} (expected ${expect.join(' or ')}):\n${m.stderr.slice(-2000)}`);
  const byEndpoint = proxy.take();
  // Without the plan files and reports of the runs before, the rest means nothing: stop here.
  if (failures.length) throw new Error(failures.join('\n\n'));
  if (scenario) {
    endpoints.set(`${scenario} flowops`, byEndpoint);
    rows.push({ scenario, tool: 'flowops', flows, requests, wallMs: m.wallMs, peakRssMb: m.peakRssMb });
    log(`  ${scenario}: flowops ${requests} requests, ${formatMs(m.wallMs)}${m.peakRssMb ? `, ${Math.round(m.peakRssMb)} MB` : ''}`);
  }
  return m;
}

async function baseline(scenario: string, flows: number, task: Omit<BaselineTask, 'url' | 'clientId' | 'clientSecret' | 'pollMs'>): Promise<void> {
  const file = join(org.dir, '..', `baseline-${scenario}.json`);
  writeFileSync(file, JSON.stringify({ ...task, url: proxy.url, clientId: BASELINE.id, clientSecret: BASELINE.secret, pollMs: POLL_MS } satisfies BaselineTask));
  const before = (await stats()).byClient[BASELINE.id] ?? 0;
  proxy.take();
  const m = await measure(process.execPath, [tsx, join(benchDir, 'terraform-baseline.ts'), file], { cwd: repoRoot });
  const requests = ((await stats()).byClient[BASELINE.id] ?? 0) - before;
  endpoints.set(`${scenario} terraform-baseline`, proxy.take());
  if (m.code !== 0) failures.push(`baseline ${scenario} exited ${m.code}:\n${m.stderr.slice(-2000)}`);
  const own = m.code === 0 ? (JSON.parse(m.stdout.trim().split('\n').pop()!) as BaselineResult) : undefined;
  if (own && own.requests !== requests) notes.push(`baseline ${scenario}: it counted ${own.requests} requests, the emulator ${requests}`);
  rows.push({ scenario, tool: 'terraform-baseline', flows, requests, wallMs: m.wallMs, peakRssMb: m.peakRssMb });
  log(`  ${scenario}: baseline ${requests} requests, ${formatMs(m.wallMs)}${own ? ` (${own.jobChecks} job checks, ${own.retries} retries)` : ''}`);
}

function planOf(file: string): Plan {
  return JSON.parse(readFileSync(join(org.dir, file), 'utf8')) as Plan;
}

/** The flows a plan writes, for the baseline: same YAML, same dependencies. */
function writesOf(plan: Plan): BaselineWrite[] {
  const written = plan.flows.filter((f) => f.action === 'create' || f.action === 'update' || f.action === 'republish');
  const ids = new Set(written.map((f) => f.id));
  return written.map((f) => ({ id: f.id, yaml: readFileSync(join(org.dir, f.path!), 'utf8'), dependsOn: f.dependsOn.filter((d) => ids.has(d)) }));
}

/** Longest chain of dependencies among the flows a plan writes (1 = all independent). */
function depthOf(plan: Plan): number {
  const writes = new Map(writesOf(plan).map((w) => [w.id, w]));
  const memo = new Map<string, number>();
  const depth = (id: string): number => memo.get(id) ?? (memo.set(id, 1 + Math.max(0, ...writes.get(id)!.dependsOn.map(depth))), memo.get(id)!);
  return Math.max(0, ...[...writes.keys()].map(depth));
}

// --- flowops -----------------------------------------------------------------------------------
log('flowops:');
const cold = await flowops('plan-unchanged-cold', N, ['plan', '--detailed-exitcode'], [0]);
const warm = await flowops('plan-unchanged-warm', N, ['plan', '--detailed-exitcode'], [0]);
const changedNames = changeCallers(org, CHANGED, '(changed by the bench)');
commitAll(org.dir, `change ${changedNames.length} inbound flows`);
const changedPlan = await flowops('plan-5pct-changed', N, ['plan', '--detailed-exitcode', '--out', 'plan-callers.json'], [2]);
const callersPlan = planOf('plan-callers.json');
const applyCallers = await flowops('apply-5pct-callers', callersPlan.flows.filter((f) => f.action !== 'unchanged').length, ['apply', 'plan-callers.json', '--json', ...APPLY_CONCURRENCY], [0]);
await flowops('drift', N, ['drift'], [0]);
let modulePlan: Plan | undefined;
let applyModule: Measured | undefined;
if (!args.quick) {
  const callers = changeModule(org, 0, '(module changed by the bench)');
  commitAll(org.dir, 'change a module');
  await flowops(undefined, N, ['plan', '--detailed-exitcode', '--out', 'plan-module.json'], [2]);
  modulePlan = planOf('plan-module.json');
  const moduleWrites = modulePlan.flows.filter((f) => f.action !== 'unchanged').length;
  if (moduleWrites !== callers + 1) notes.push(`the module plan writes ${moduleWrites} flows; the module has ${callers} callers`);
  applyModule = await flowops('apply-module-change', moduleWrites, ['apply', 'plan-module.json', '--json', ...APPLY_CONCURRENCY], [0]);
}

// --- baseline ----------------------------------------------------------------------------------
log('terraform-baseline:');
const setup = await fetch(`${emulator.url}/login/oauth/token`, {
  method: 'POST',
  headers: { Authorization: `Basic ${Buffer.from(`${SETUP.id}:${SETUP.secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
});
const token = ((await setup.json()) as { access_token: string }).access_token;
const flowIds: string[] = [];
for (let page = 1; ; page++) {
  const listing = (await (await fetch(`${emulator.url}/api/v2/flows?pageSize=500&pageNumber=${page}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { entities: Array<{ id: string }>; pageCount: number };
  flowIds.push(...listing.entities.map((f) => f.id));
  if (page >= listing.pageCount) break;
}
await baseline('plan-unchanged-cold', N, { mode: 'refresh', flowIds });
await baseline('plan-5pct-changed', N, { mode: 'refresh', flowIds });
await baseline('apply-5pct-callers', writesOf(callersPlan).length, { mode: 'apply', writes: writesOf(callersPlan) });
if (modulePlan) await baseline('apply-module-change', writesOf(modulePlan).length, { mode: 'apply', writes: writesOf(modulePlan) });
await proxy.close();
await emulator.close();

// --- results -----------------------------------------------------------------------------------
const order = ['plan-unchanged-cold', 'plan-unchanged-warm', 'plan-5pct-changed', 'apply-5pct-callers', 'apply-module-change', 'drift'];
rows.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario) || a.tool.localeCompare(b.tool));
writeFileSync(args.out, `${JSON.stringify(rows, null, 2)}\n`);
log(`\n${renderTable(rows)}\n`);

const row = (scenario: string, tool: ResultRow['tool']) => rows.find((r) => r.scenario === scenario && r.tool === tool);
const checks: TargetCheck[] = [];
for (const scenario of ['plan-unchanged-cold', 'plan-unchanged-warm']) {
  const r = row(scenario, 'flowops');
  if (!r) continue;
  checks.push({ target: `${scenario}: at most 30 API requests (${N} flows)`, measured: `${r.requests}`, met: r.requests <= 30 });
  checks.push({ target: `${scenario}: under 10 s (${N} flows)`, measured: formatMs(r.wallMs), met: r.wallMs < 10_000 });
}
for (const scenario of ['plan-unchanged-cold', 'plan-5pct-changed']) {
  const ours = row(scenario, 'flowops')!;
  const theirs = row(scenario, 'terraform-baseline')!;
  const ratio = theirs.requests / Math.max(1, ours.requests);
  checks.push({ target: `${scenario}: at least 10x fewer requests than the baseline`, measured: `${theirs.requests} / ${ours.requests} = ${ratio.toFixed(1)}x`, met: ratio >= 10 });
}
const applies = [['apply-5pct-callers', callersPlan, applyCallers], ['apply-module-change', modulePlan, applyModule]] as const;
for (const [scenario, plan, m] of applies) {
  const r = row(scenario, 'flowops');
  if (!r || !plan || !m) continue;
  const depth = depthOf(plan);
  const critical = depth * JOB_MS;
  const report = m.code === 0 ? (JSON.parse(m.stdout) as ApplyReport) : undefined;
  const phase = report ? Date.parse(report.finishedAt) - Date.parse(report.startedAt) : NaN;
  // Each flow's new version is read back by an export job once its publish job is done (issue #5's
  // verification), and a caller is republished only once its module's new content is confirmed: each
  // level of the dependency graph costs a publish job and a read-back job.
  const withReadBack = 2 * depth * JOB_MS;
  checks.push({
    target: `${scenario}: wall within 1.5x the critical path (${r.flows} flows, depth ${depth} x ${JOB_MS} ms = ${formatMs(critical)})`,
    measured: `${formatMs(r.wallMs)} = ${(r.wallMs / critical).toFixed(1)}x (the apply phase alone: ${formatMs(phase)} = ${(phase / critical).toFixed(1)}x; against 2 x depth jobs with the read-back, ${formatMs(withReadBack)}: ${(r.wallMs / withReadBack).toFixed(1)}x, the phase ${(phase / withReadBack).toFixed(1)}x)`,
    met: r.wallMs <= 1.5 * critical,
  });
}
log(`Targets:\n${renderTargets(checks)}\n`);

// Where the time and the requests went, from flowops' own progress lines (stderr) and counters.
const bucket = tokenBucketFor(FLOWOPS_RPM ?? 300);
const sustained = 60_000 / bucket.refillEveryMs;
log('Where the time went (flowops, from its progress lines):');
for (const [scenario, m] of [['plan-unchanged-cold', cold], ['plan-unchanged-warm', warm], ['plan-5pct-changed', changedPlan]] as const) {
  const ready = lineAt(m, /^Planning environment/);
  const listed = lineAt(m, /^Found \d+ live flow/);
  const read = lineAt(m, /API request\(s\)\.$/);
  if (ready === undefined || listed === undefined || read === undefined) continue;
  log(`  ${scenario}: read and validate ${N} files + log in ${formatMs(ready)}; list the org ${formatMs(listed - ready)}; export or cache, parse live content, diff ${formatMs(read - listed)}; print ${formatMs(m.wallMs - read)}`);
}
for (const [scenario, , m] of applies) {
  const r = row(scenario, 'flowops');
  if (!r || !m) continue;
  const ready = lineAt(m, /^Applying \d+ flow/);
  const done = lineAt(m, /API request\(s\), \d+ retried/);
  if (ready === undefined || done === undefined) continue;
  const floor = Math.max(0, r.requests - bucket.burst * FLOWOPS_TOKENS) / (sustained * FLOWOPS_TOKENS) * 60_000;
  log(`  ${scenario}: read and validate ${N} files, check the plan, log in ${formatMs(ready)}; apply ${formatMs(done - ready)} for ${r.flows} flows (${(r.requests / r.flows).toFixed(1)} requests a flow; at flowops' client budget of ${bucket.burst} at once then ${sustained}/min per token, ${FLOWOPS_TOKENS} token(s), ${r.requests} requests need at least ${formatMs(floor)})`);
}
if (profiles) {
  log('\nCPU profiles (--profile):');
  for (const scenario of order) {
    const file = (() => {
      try {
        return profileIn(join(profiles, scenario));
      } catch {
        return undefined;
      }
    })();
    if (!file) continue;
    const s = summarizeProfile(file);
    log(`  ${scenario}: ${formatMs(s.totalMs)} profiled, garbage collection ${formatMs(s.gcMs)}, idle ${formatMs(s.idleMs)}; inclusive: ${s.top.map((t) => `${t.name} ${formatMs(t.ms)}`).join('; ')}`);
  }
}
log('\nRequests by endpoint (uploads and downloads go to presigned URLs: not API requests):');
for (const [run, tally] of endpoints) {
  const parts = [...tally].sort((a, b) => b[1] - a[1]).map(([endpoint, count]) => `${count} ${endpoint}`);
  log(`  ${run}: ${parts.join(', ')}`);
}
for (const n of notes) log(`note: ${n}`);
log(`\nREADME table:\n${renderMarkdownTable(rows)}`);
log(`\nWrote ${args.out}. Total ${formatMs(performance.now() - started)}.`);
if (!args.keep) rmSync(join(org.dir, '..'), { recursive: true, force: true });
if (profiles && !args.keep) rmSync(profiles, { recursive: true, force: true });
rmSync(build, { recursive: true, force: true });
if (failures.length) {
  process.stderr.write(`\n${failures.length} run(s) did not end as expected:\n${failures.join('\n\n')}\n`);
  process.exitCode = 1;
}
