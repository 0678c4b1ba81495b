/**
 * Fault injection for tests: `--faults status429=0.1,status500=0.05,latencyMs=20,jobMs=200`.
 * Parsing is pure; the random source is seeded (`--seed-random N`) so a failing run can be replayed.
 */

export interface FaultSpec {
  /** Probability (0..1) that an API request answers 429 with Retry-After. */
  status429: number;
  /** Probability that an API request answers 500. */
  status500: number;
  /** Probability that an API request answers 503. */
  status503: number;
  /** Probability that the connection is dropped without an answer. */
  reset: number;
  /** Added to every API request, in milliseconds. */
  latencyMs: number;
  /** How long an Architect or export job runs before it finishes, in milliseconds. */
  jobMs: number;
  /** Probability that an Architect job fails with a transient error. */
  jobFailure: number;
}

export const NO_FAULTS: Readonly<FaultSpec> = Object.freeze({
  status429: 0,
  status500: 0,
  status503: 0,
  reset: 0,
  latencyMs: 0,
  jobMs: 0,
  jobFailure: 0,
});

const PROBABILITIES = ['status429', 'status500', 'status503', 'reset', 'jobFailure'] as const;
const DURATIONS = ['latencyMs', 'jobMs'] as const;
type FaultKey = (typeof PROBABILITIES)[number] | (typeof DURATIONS)[number];
const KEYS: readonly FaultKey[] = [...PROBABILITIES, ...DURATIONS];
/** An hour: anything longer is a typo, and would hang a test run. */
const MAX_DURATION_MS = 3_600_000;

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

function isKey(key: string): key is FaultKey {
  return (KEYS as readonly string[]).includes(key);
}

/** Parses `key=value,key=value`. Throws FaultSpecError naming the bad part. Empty text = no faults. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { ...NO_FAULTS };
  const seen = new Set<string>();
  for (const rawPart of text.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new FaultSpecError(`fault "${part}": expected key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!isKey(key)) {
      throw new FaultSpecError(`unknown fault "${key}" (expected one of ${KEYS.join(', ')})`);
    }
    if (seen.has(key)) throw new FaultSpecError(`fault "${key}" is given twice`);
    seen.add(key);
    spec[key] = (PROBABILITIES as readonly string[]).includes(key)
      ? parseProbability(key, value)
      : parseDuration(key, value);
  }
  return spec;
}

function parseProbability(key: string, value: string): number {
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 1)) {
    throw new FaultSpecError(`fault ${key}="${value}": expected a probability between 0 and 1`);
  }
  return n;
}

function parseDuration(key: string, value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= MAX_DURATION_MS)) {
    throw new FaultSpecError(
      `fault ${key}="${value}": expected a whole number of milliseconds from 0 to ${MAX_DURATION_MS}`,
    );
  }
  return n;
}

export function hasRequestFaults(spec: FaultSpec): boolean {
  return spec.status429 > 0 || spec.status500 > 0 || spec.status503 > 0 || spec.reset > 0;
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG; good enough for fault dice, and replayable. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type RequestFault = { kind: 'reset' } | { kind: 'status'; status: 429 | 500 | 503 } | null;

/**
 * Rolls the dice for one request, always in the same order (reset, 503, 500, 429) and only for the
 * faults that are on, so one seed gives one sequence of outcomes for one sequence of requests.
 */
export function pickRequestFault(spec: FaultSpec, random: () => number): RequestFault {
  if (spec.reset > 0 && random() < spec.reset) return { kind: 'reset' };
  if (spec.status503 > 0 && random() < spec.status503) return { kind: 'status', status: 503 };
  if (spec.status500 > 0 && random() < spec.status500) return { kind: 'status', status: 500 };
  if (spec.status429 > 0 && random() < spec.status429) return { kind: 'status', status: 429 };
  return null;
}
