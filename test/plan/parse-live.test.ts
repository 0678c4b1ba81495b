import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { callerYaml, moduleYaml } from '../../bench/generate-org.js';
import { parseLiveYaml } from '../../src/plan/parse-live.js';
import { substitute } from '../../src/check/substitute.js';
import { blueprintsDir, blueprintSubstitutions, fixturesDir, listYaml, repoRoot } from '../helpers/fixtures.js';

/** What the `yaml` package makes of the text (the desired side's parser), or its error. */
function reference(text: string): unknown {
  try {
    return JSON.parse(JSON.stringify(parse(text, { maxAliasCount: 100 })) ?? 'null');
  } catch (err) {
    return `error: ${(err as Error).name}`;
  }
}

/** As JSON, the form content is hashed in (`-0` and `0` are one number there). */
function fast(text: string): unknown {
  try {
    return JSON.parse(JSON.stringify(parseLiveYaml(text)) ?? 'null');
  } catch (err) {
    return `error: ${(err as Error).name}`;
  }
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
}

describe('parseLiveYaml: the same data as the yaml package, faster', () => {
  it('on every blueprint (substituted), demo flow, fixture and generated flow', () => {
    const texts: string[] = [];
    for (const name of listYaml(blueprintsDir))
      texts.push(substitute(readFileSync(join(blueprintsDir, name), 'utf8'), blueprintSubstitutions).text);
    for (const file of [...yamlFilesUnder(join(repoRoot, 'flows')), ...yamlFilesUnder(fixturesDir)])
      texts.push(readFileSync(file, 'utf8'));
    for (let i = 0; i < 20; i++) texts.push(moduleYaml(i, { seed: 7 }), callerYaml(i, i % 3, { seed: 7 }));
    expect(texts.length).toBeGreaterThan(60);
    for (const text of texts) expect(fast(text), text.slice(0, 200)).toEqual(reference(text));
  });

  it('on scalars where YAML 1.1 and 1.2 disagree, and on odd layouts', () => {
    const scalars = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      'True',
      'FALSE',
      '~',
      'null',
      '',
      '017',
      '0o17',
      '0x1F',
      '1_000',
      '+12',
      '-0',
      '.5',
      '1e3',
      '.inf',
      '-.Inf',
      '.NaN',
      '2026-11-24',
      '2026-11-24T10:00:00Z',
      '12:30',
      '1:20:30',
      "'quoted'",
      '"a\\tb"',
      '<<',
      '=',
      '!!str 5',
      '0b101',
      '123456789012345678901234',
      '-0x1',
      '+0o7',
      '-.5e-3',
      '1.',
      '0.',
      'NULL',
      'TRUE',
      '+.inf',
      '0B1',
      '0777',
    ];
    for (const s of scalars) {
      const text = `inboundCall:\n  name: X\n  value: ${s}\n  list: [${s || 'x'}]\n`;
      expect(fast(text), s).toEqual(reference(text));
    }
    for (const text of [
      '',
      '# only a comment\n',
      'a: |\n  line\n  two\n',
      'a: >-\n  folded\n  text\n',
      '? complex\n: key\n',
      'a: {b: [1, {c: d}]}\n',
      '"k": v\n',
    ]) {
      expect(fast(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('a text with anchors and aliases goes to the bounded parser: an alias bomb is refused, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(() => parseLiveYaml(bomb)).toThrow(/alias/i);
    expect(parseLiveYaml('a: &x {b: 1}\nc: *x\n')).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });
});
