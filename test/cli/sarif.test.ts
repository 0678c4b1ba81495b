/**
 * `flowops validate --sarif FILE` through the binary: the file is SARIF 2.1.0 by the official
 * schema (test/fixtures/sarif/), names every rule that appears (flowops' own codes, built-in and
 * plugin house rules), and puts each result where the printed diagnostic is, relative to the
 * repository's top. It is written when validation fails, when flowops.yaml is wrong, and never
 * holds a secret.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturesDir, repoRoot } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

// The official schema is JSON Schema draft-04 (ajv-draft-04), its formats (uri, uri-reference) checked too.
const schema = JSON.parse(readFileSync(`${fixturesDir}sarif/sarif-schema-2.1.0.json`, 'utf8'));
const ajv = new Ajv04.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

// A test queue, so that the plugin's message names it.
const SECRET = 'Test Secret Queue 0042';
const moduleFlow = readFileSync(`${repoRoot}flows/modules/tag-and-greet.yaml`, 'utf8');
const house = (name: string) => readFileSync(`${fixturesDir}house-rules/${name}`, 'utf8');
const plugin = `export default {
  rules: [{
    id: 'no-test-queues',
    description: 'A transfer to a queue whose name starts with Test.',
    help: 'Test queues have no agents in production.',
    check(flow, ctx) {
      for (const ref of ctx.references)
        if (ref.kind === 'queue' && ref.name && ref.name.startsWith('Test')) ctx.report(ref.path, 'queue "' + ref.name + '" is a test queue');
    },
  }],
};
`;
// A flow naming a test queue, for the plugin's rule.
const testQueueFlow = house('failure-paths-pass.yaml').replace('name: Support', 'name: Test Queue');
const secretFlow = house('no-hardcoded-ids-pass.yaml').replace('name: Support', 'name: {{secret_queue}}');
const unknownModule = readFileSync(`${fixturesDir}invalid/unknown-module.yaml`, 'utf8');

/** A git repository whose flowops project is in `ivr/`: SARIF paths start at the repository's top. */
function repository(config: string): string {
  const dir = tempDir({
    'ivr/flowops.yaml': config,
    'ivr/rules/no-test-queues.mjs': plugin,
    'ivr/flows/module.yaml': moduleFlow,
    'ivr/flows/hardcoded.yaml': house('no-hardcoded-ids-fail.yaml'),
    'ivr/flows/silent-failure.yaml': house('failure-paths-fail.yaml'),
    'ivr/flows/test queue.yaml': testQueueFlow,
    'ivr/flows/secret.yaml': secretFlow,
    'ivr/flows/unknown-module.yaml': unknownModule,
  });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

const CONFIG = `flows: flows/**/*.yaml
rules:
  plugins: [./rules/no-test-queues.mjs]
  no-test-queues: warn
  no-hardcoded-ids: error
  failure-paths: warn
environments:
  test:
    substitutions:
      division: Home
      secret_queue: {value: "${SECRET}", secret: true}
`;

/** The diagnostics printed, as [file, line, col, level, message-with-rule]. */
function printed(stdout: string): string[][] {
  return stdout
    .split('\n')
    .map((l) => /^(.+?):(\d+):(\d+): (error|warning): (.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => m.slice(1));
}

describe('flowops validate --sarif', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  let log: Log;
  beforeAll(async () => {
    dir = repository(CONFIG);
    // Run from inside the project; the file goes to a folder that does not exist yet.
    result = await runCli(['validate', '--sarif', '../out/flowops.sarif'], { cwd: `${dir}/ivr` });
    log = JSON.parse(readFileSync(`${dir}/out/flowops.sarif`, 'utf8')) as Log;
  });

  it('is written when validation fails (exit 1), and is valid SARIF 2.1.0 by the official schema', () => {
    expect(result.code).toBe(1);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe('2.1.0');
    // The validator does refuse what SARIF does not allow: a level of `warn`, a result without a message.
    const broken = structuredClone(log);
    broken.runs[0]!.results![0]!.level = 'warn' as never;
    expect(validateSarif(broken)).toBe(false);
    delete (broken.runs[0]!.results![1] as { message?: unknown }).message;
    expect(validateSarif({ ...log, runs: [{ ...log.runs[0], results: [broken.runs[0]!.results![1]] }] })).toBe(false);
  });

  it('names the tool and its version', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8'));
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('flowops');
    expect(driver.version).toBe(pkg.version);
    expect(driver.informationUri).toBe(pkg.homepage);
  });

  it('has one result per printed problem, at the same line and column, relative to the repository top', () => {
    const lines = printed(result.stdout);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const { results, tool } = log.runs[0]!;
    expect(
      results!.map((r) => {
        const loc = r.locations![0]!.physicalLocation!;
        expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
        // A house rule's message is printed with its id after it.
        const tags = tool.driver.rules![r.ruleIndex!]!.properties!.tags!;
        const message = `${r.message.text}${tags.includes('house-rule') ? ` (${r.ruleId})` : ''}`;
        const { startLine, startColumn } = loc.region!;
        return [
          decodeURIComponent(loc.artifactLocation!.uri!),
          String(startLine),
          String(startColumn),
          r.level,
          message,
        ];
      }),
    ).toEqual(lines.map(([file, ...rest]) => [`ivr/${file}`, ...rest]));
  });

  it('places each kind of problem where it is: a check error, a built-in rule at error and at warn, a plugin rule', () => {
    const results = log.runs[0]!.results!;
    const at = (ruleId: string) =>
      results
        .filter((r) => r.ruleId === ruleId)
        .map((r) => {
          const loc = r.locations![0]!.physicalLocation!;
          return `${r.level} ${loc.artifactLocation!.uri}:${loc.region!.startLine}:${loc.region!.startColumn}`;
        });
    expect(at('unknown-module')).toEqual(['error ivr/flows/unknown-module.yaml:13:17']);
    expect(at('no-hardcoded-ids')).toEqual(['error ivr/flows/hardcoded.yaml:14:25']);
    expect(at('failure-paths')).toContain('warning ivr/flows/silent-failure.yaml:10:13');
    // A space in a path is percent-encoded, as a URI reference must be.
    expect(at('no-test-queues')).toEqual([
      'warning ivr/flows/secret.yaml:14:25',
      'warning ivr/flows/test%20queue.yaml:14:25',
    ]);
  });

  it('describes every rule that appears and every house rule that ran, each result pointing at its rule', () => {
    const { rules } = log.runs[0]!.tool.driver;
    const ids = rules!.map((r) => r.id);
    for (const r of log.runs[0]!.results!) expect(rules![r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining(['unknown-module', 'no-hardcoded-ids', 'failure-paths', 'no-test-queues']),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const rule = (id: string) => rules!.find((r) => r.id === id)!;
    expect(rule('no-hardcoded-ids').defaultConfiguration!.level).toBe('error');
    expect(rule('failure-paths').defaultConfiguration!.level).toBe('warning');
    expect(rule('failure-paths').help!.text).toMatch(/failure output/);
    expect(rule('no-test-queues')).toMatchObject({
      shortDescription: { text: 'A transfer to a queue whose name starts with Test.' },
      help: { text: 'Test queues have no agents in production.' },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['flowops', 'house-rule', 'plugin:./rules/no-test-queues.mjs'] },
    });
    expect(rule('unknown-module').shortDescription!.text).toMatch(/names a common module neither the repository/);
    expect(rule('unknown-module').defaultConfiguration!.level).toBe('error');
  });

  it('never holds a secret, even where a message names the secret value', () => {
    const text = readFileSync(`${dir}/out/flowops.sarif`, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(result.stdout).not.toContain(SECRET);
  });

  it('is written for a mistake in flowops.yaml too, at its place there', async () => {
    const bad = repository(CONFIG.replace('failure-paths: warn', 'failure-path: warn'));
    const r = await runCli(['validate', '--config', 'ivr/flowops.yaml', '--sarif', 'bad.sarif'], { cwd: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ivr\/flowops.yaml:6:3: error: rules.failure-path: unknown rule \(did you mean "failure-paths"\?\)/,
    );
    const sarif = JSON.parse(readFileSync(`${bad}/bad.sarif`, 'utf8')) as Log;
    expect(validateSarif(sarif)).toBe(true);
    expect(sarif.runs[0]!.results).toEqual([
      expect.objectContaining({
        ruleId: 'config',
        level: 'error',
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'ivr/flowops.yaml', uriBaseId: '%SRCROOT%' },
              region: { startLine: 6, startColumn: 3 },
            },
          },
        ],
      }),
    ]);
  });

  it('a clean project gives a file with no results, exit 0; a path that cannot be written is a one-line error', async () => {
    const clean = tempDir({
      'flowops.yaml': 'flows: flows/*.yaml\nenvironments:\n  test:\n    substitutions: {division: Home}\n',
      'flows/line.yaml': house('failure-paths-pass.yaml'),
    });
    const ok = await runCli(['validate', '--sarif', 'clean.sarif'], { cwd: clean });
    expect(ok.code).toBe(0);
    const sarif = JSON.parse(readFileSync(`${clean}/clean.sarif`, 'utf8')) as Log;
    expect(validateSarif(sarif)).toBe(true);
    expect(sarif.runs[0]!.results).toEqual([]);
    // Outside a git repository, paths are relative to the working folder.
    expect(sarif.runs[0]!.tool.driver.rules!.map((r) => r.id)).toContain('failure-paths');
    // --json lists the house rules that ran, as the SARIF file's rules do.
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd: clean })).stdout);
    expect(json.rules).toContainEqual(expect.objectContaining({ id: 'failure-paths', severity: 'warn' }));
    expect(json.rules.map((r: { id: string }) => r.id)).not.toContain('calls-module');
    const blocked = await runCli(['validate', '--sarif', 'flows/line.yaml/x.sarif'], { cwd: clean });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr.trim()).toBe('error: cannot write flows/line.yaml: a file is in the way');
    expect(existsSync(`${clean}/flows/line.yaml/x.sarif`)).toBe(false);
  });
});
