/** What the route modules share: the state, its store, the fault settings, the clock and timers. */
import type { ExportRevision } from './export-defaults.js';
import type { FaultSpec } from './faults.js';
import type { JobFiles } from './job-files.js';
import type { OrgCatalog } from './org-catalog.js';
import type { EmulatorState, StateStore } from './state-store.js';

export interface App {
  state: EmulatorState;
  store: StateStore;
  faults: FaultSpec;
  /** Which Architect revision exports are written as (applied at export time, never stored). */
  exportRevision: ExportRevision;
  /** The org's objects (an objects file), or undefined: the emulator then models none and checks none. */
  objects?: OrgCatalog;
  /** Seeded random source for fault dice. */
  random: () => number;
  now: () => number;
  /** Runs `fn` after `ms`; pending timers are cancelled when the emulator closes. */
  schedule: (fn: () => void, ms: number) => void;
  /** Reads jobs' files off the thread that answers requests. */
  jobFiles: JobFiles;
}

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  schedule(fn: () => void, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      try {
        fn();
      } catch (error) {
        process.stderr.write(`emulator: background task failed: ${(error as Error).stack ?? String(error)}\n`);
      }
    }, ms);
    this.pending.add(timer);
  }

  cancelAll(): void {
    this.closed = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
