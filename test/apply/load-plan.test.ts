import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../src/apply/load-plan.js';
import { ConfigError } from '../../src/errors.js';

const plan = { formatVersion: 1, environment: 'prod', createdAt: '2026-11-24T12:00:00.000Z', flows: [], summary: { create: 0, update: 0, republish: 0, delete: 0, unchanged: 0 }, unmanaged: [] };

function messageOf(text: string, env = 'prod'): string {
  try {
    parsePlanFile('plan.json', text, env);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).diagnostics[0]!.message;
  }
}

describe('a saved plan is checked before anything is done with it', () => {
  it('accepts a valid plan for this environment', () => {
    expect(messageOf(JSON.stringify(plan))).toBe('accepted');
  });

  it('refuses another environment, another format, broken JSON and a plan that is not one', () => {
    expect(messageOf(JSON.stringify(plan), 'staging')).toBe('this plan is for environment "prod", not "staging": refusing to apply it here');
    expect(messageOf(JSON.stringify({ ...plan, formatVersion: 2 }))).toBe('plan format 2 is not one this flowops reads (1): make the plan again with this version');
    expect(messageOf('{"formatVersion": 1,')).toMatch(/^not a plan file: /);
    expect(messageOf(JSON.stringify({ ...plan, flows: [{ id: 'x' }] }))).toMatch(/^not a valid plan: \/flows\/0 /);
  });
});
