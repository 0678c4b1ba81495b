/**
 * The objects file: a malformed one is one `file:line:col: error:` line and exit 1, from the built
 * binary (`flowops emulator --objects`) and from an embedded environment's `objects:`, whose org
 * then checks what apply publishes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseObjectsFile } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The one error of a parse, as the CLI prints it (`file:line:col: message`). */
function parseError(text: string): string {
  try {
    parseObjectsFile('objects.yaml', text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the objects file to be refused');
}

describe('a malformed objects file', () => {
  test.each([
    ['YAML that does not parse', 'queues: [Support\n', /^objects\.yaml:2:1: /],
    [
      'an unknown kind',
      'queues: [Support]\nqueue: [Sales]\n',
      /^objects\.yaml:2:1: the objects file: unknown key "queue" \(kinds: .*queues/,
    ],
    [
      'a data action without its integration',
      'dataActions:\n  - integration: Partner\n    name: Lookup\n  - name: Cancel\n',
      /^objects\.yaml:4:5: dataActions\.1: missing required key "integration"$/,
    ],
    [
      'a blank name',
      'skills:\n  - Billing\n  - "  "\n',
      /^objects\.yaml:3:5: skills\.1: a name cannot be empty or blank$/,
    ],
    [
      'an object of a kind with a key it does not have',
      'queues:\n  - {name: Support, skill: Billing}\n',
      /^objects\.yaml:2:21: queues\.0: unknown key "skill"$/,
    ],
    [
      'an object where a name goes, of a kind of names',
      'languages:\n  - [English]\n',
      /^objects\.yaml:2:5: languages\.0: a name, or \{name, description\?, division\?\}$/,
    ],
    ['a kind that is not a list', 'wrapupCodes: Resolved\n', /^objects\.yaml:1:14: wrapupCodes: must be array$/],
    [
      'a name listed twice (regardless of case)',
      'queues:\n  - Support\n  - Sales\n  - support\n',
      /^objects\.yaml:4:5: queues\.2: "support" is listed twice$/,
    ],
    [
      'an IVR flow without a name',
      'ivrs:\n  - name: Main\n    openHoursFlow: {type: inboundcall}\n',
      /^objects\.yaml:3:20: ivrs\.0\.openHoursFlow: missing required key "name"$/,
    ],
  ])('%s: file:line:col and what is wrong', (_, text, expected) => {
    expect(parseError(text)).toMatch(expected);
  });

  test('an empty file is an org with no objects', () => {
    expect(parseObjectsFile('objects.yaml', '')).toEqual({});
    expect(parseObjectsFile('objects.yaml', '# nothing yet\n')).toEqual({});
  });

  test('flowops emulator --objects bad.yaml: one line, exit 1, nothing listening', async () => {
    const dir = tempDir({ 'bad.yaml': 'queues:\n  - Support\ndataActions:\n  - Lookup Order\n' });
    const result = await runCli(['emulator', '--objects', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['bad.yaml:4:5: error: dataActions.0: must be object']);
    const missing = await runCli(['emulator', '--objects', 'nowhere.yaml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^nowhere\.yaml:1:1: error: cannot read the objects file: ENOENT/);
  });
});

describe('objects: of an embedded environment', () => {
  const flow = (queue: string) =>
    inboundCall('Order Line', {
      actions: `        - transferToAcd:
            name: To the queue
            targetQueue:
              lit:
                name: ${queue}
`,
    });
  const config = 'flows: flows/**/*.yaml\nenvironments:\n  local:\n    emulator: true\n    objects: org/objects.yaml\n';

  test("the embedded org has the file's objects: a flow naming a missing queue fails to publish", async () => {
    const dir = tempDir({
      // The plan's own check would refuse the apply before any publish: only warned of here, so that
      // the publish job itself meets the missing queue.
      'flowops.yaml': `${config}    references: warn\n`,
      'org/objects.yaml': 'queues: [Support]\n',
      'flows/order-line.yaml': flow('Support Tier 2'),
    });
    const failed = await runCli(['apply', '--auto-approve'], { cwd: dir, env: { GENESYS_ENV_URL: '' } });
    expect(failed.code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toContain(
      'missing dependency: The flow cannot be published due to missing dependencies: queue "Support Tier 2".',
    );
    // A person's edit of the repository between two applies.
    writeFileSync(join(dir, 'flows/order-line.yaml'), flow('Support'));
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir, env: { GENESYS_ENV_URL: '' } });
    expect(applied.code, `${applied.stdout}${applied.stderr}`).toBe(0);
  });

  test('a malformed objects file of the environment is one line naming it', async () => {
    const dir = tempDir({
      'flowops.yaml': config,
      'org/objects.yaml': 'queues: [Support]\nprompt: [Welcome]\n',
      'flows/order-line.yaml': flow('Support'),
    });
    const result = await runCli(['plan'], { cwd: dir, env: { GENESYS_ENV_URL: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/org\/objects\.yaml:2:1: error: the objects file: unknown key "prompt"/),
    ]);
  });
});
