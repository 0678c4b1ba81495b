import { describe, expect, test } from 'vitest';
import { createRandom, FaultSpecError, parseFaultSpec, pickRequestFault } from '../../src/emulator/faults.js';

describe('parseFaultSpec', () => {
  test('reads every key, and an empty spec means no faults', () => {
    expect(
      parseFaultSpec('status429=0.1, status500=0.05,status503=1,reset=0,latencyMs=20,jobMs=150,jobFailure=.5'),
    ).toEqual({
      status429: 0.1,
      status500: 0.05,
      status503: 1,
      reset: 0,
      latencyMs: 20,
      jobMs: 150,
      jobFailure: 0.5,
    });
    expect(parseFaultSpec('')).toEqual({
      status429: 0,
      status500: 0,
      status503: 0,
      reset: 0,
      latencyMs: 0,
      jobMs: 0,
      jobFailure: 0,
    });
  });

  test.each([
    ['status404=0.1', /unknown fault "status404" \(expected one of status429, /],
    ['status500=1.5', /status500="1.5": expected a probability between 0 and 1/],
    ['status500=-0.1', /status500="-0.1": expected a probability/],
    ['status500=abc', /expected a probability/],
    ['latencyMs=2.5', /latencyMs="2.5": expected a whole number of milliseconds/],
    ['jobMs=', /jobMs="": expected a whole number/],
    ['reset', /fault "reset": expected key=value/],
    ['reset=0.1,reset=0.2', /fault "reset" is given twice/],
  ])('rejects %s with a message naming the bad part', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('fault dice', () => {
  test('one seed replays one sequence; another seed differs', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const n of draw(7)) expect(n >= 0 && n < 1).toBe(true);
  });

  test('probabilities of 0 never fire, of 1 always fire, and in between roughly as asked', () => {
    const spec = parseFaultSpec('status500=0.25');
    const random = createRandom(1);
    const outcomes = Array.from({ length: 4000 }, () => pickRequestFault(spec, random));
    const fired = outcomes.filter((o) => o !== null).length;
    expect(fired).toBeGreaterThan(850);
    expect(fired).toBeLessThan(1150);
    expect(outcomes.every((o) => o === null || (o.kind === 'status' && o.status === 500))).toBe(true);
    expect(pickRequestFault(parseFaultSpec(''), random)).toBeNull();
    expect(pickRequestFault(parseFaultSpec('reset=1,status503=1'), random)).toEqual({ kind: 'reset' });
    expect(pickRequestFault(parseFaultSpec('status503=1,status429=1'), random)).toEqual({
      kind: 'status',
      status: 503,
    });
  });
});
