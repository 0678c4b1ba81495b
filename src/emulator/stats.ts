/**
 * Request counts for tests and benchmarks: `GET /__emulator/stats`. Counts every request outside
 * `/__emulator/` (logins and API calls), by client; `throttled` counts the rate limiter's 429s.
 */

export interface StatsSnapshot {
  requests: number;
  byClient: Record<string, number>;
  throttled: number;
  /** Faults injected by `--faults`, by kind. */
  faults: { status429: number; status500: number; status503: number; reset: number };
  /** Answers by HTTP status (dropped connections are not answers). */
  byStatus: Record<string, number>;
  logins: number;
}

export const ANONYMOUS = 'anonymous';

export class Stats {
  private data: StatsSnapshot = Stats.empty();

  private static empty(): StatsSnapshot {
    return {
      requests: 0,
      byClient: {},
      throttled: 0,
      faults: { status429: 0, status500: 0, status503: 0, reset: 0 },
      byStatus: {},
      logins: 0,
    };
  }

  request(clientId: string | undefined): void {
    const key = clientId ?? ANONYMOUS;
    this.data.requests += 1;
    this.data.byClient[key] = (this.data.byClient[key] ?? 0) + 1;
  }

  login(): void {
    this.data.logins += 1;
  }

  throttled(): void {
    this.data.throttled += 1;
  }

  fault(kind: keyof StatsSnapshot['faults']): void {
    this.data.faults[kind] += 1;
  }

  answered(status: number): void {
    const key = String(status);
    this.data.byStatus[key] = (this.data.byStatus[key] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = Stats.empty();
  }
}
