import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

describe('schemas/flow.schema.json', () => {
  it('is exactly what schemas/build-flow-schema.mjs generates (edit the generator, not the JSON)', () => {
    const generated = execFileSync(process.execPath, [`${repoRoot}schemas/build-flow-schema.mjs`], {
      encoding: 'utf8',
    });
    expect(readFileSync(`${repoRoot}schemas/flow.schema.json`, 'utf8')).toBe(generated);
  });

  it('the demo files point editors at the schemas', () => {
    expect(readFileSync(`${repoRoot}flows/modules/tag-and-greet.yaml`, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=..\/..\/schemas\/flow.schema.json/,
    );
    expect(readFileSync(`${repoRoot}flowops.yaml`, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=.\/schemas\/config.schema.json/,
    );
  });
});
