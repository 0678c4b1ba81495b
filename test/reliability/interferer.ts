/**
 * A second OAuth client ("someone in the Architect UI") that keeps editing and locking random flows
 * while flowops applies: an edit publishes the flow with other words (an Architect job, as the UI
 * does); a lock checks the flow out and holds it for a while, or to the end. It goes through the same
 * faulty emulator as flowops, so every call is retried until it gets an answer or gives up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { login, type Session } from '../helpers/emulator.js';

export interface InterfererOptions {
  emulator: RunningEmulator;
  clientId: string;
  secret: string;
  /** Flows it may touch: id, name and the YAML it edits from. */
  flows: Array<{ id: string; name: string; yaml: string }>;
  random: () => number;
  /** Pause between two actions, in ms. */
  pauseMs: [number, number];
  /** Share of actions that are edits (the rest are locks). */
  editShare: number;
  /** Share of locks kept until the end instead of released after a while. */
  keepLockShare: number;
}

export interface Interference {
  /** Edits whose job succeeded (their versions are read back from the state file). */
  edits: number;
  /** Edits whose job failed or whose calls kept failing. */
  failedEdits: number;
  locks: number;
  released: number;
  /** Flow ids still locked by this client when it stopped. */
  held: string[];
  /** Calls that failed at least once (faults) and were retried. */
  retries: number;
}

async function persist<T>(state: { retries: number }, call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      state.retries++;
      await sleep(50 * attempt);
    }
  }
}

export function startInterferer(options: InterfererOptions): { stop(): Promise<Interference> } {
  const result: Interference = { edits: 0, failedEdits: 0, locks: 0, released: 0, held: [], retries: 0 };
  const held = new Map<string, { keep: boolean; releaseAt: number }>();
  let stopping = false;
  const pick = <T>(items: T[]): T => items[Math.floor(options.random() * items.length)]!;

  const edit = async (session: Session, flow: InterfererOptions['flows'][number], n: number) => {
    const yaml = flow.yaml.replace(
      /tts: "([^"]*)"/,
      (_all, words: string) => `tts: "${words} (edited in Architect ${n})"`,
    );
    try {
      const job = await persist(result, () => session.architect.postFlowsJobs());
      const put = await persist(result, async () => {
        const r = await fetch(job.presignedUrl!, { method: 'PUT', headers: job.headers ?? {}, body: yaml });
        if (r.status >= 500) throw new Error(`upload ${r.status}`);
        return r;
      });
      if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
      for (;;) {
        const state = await persist(result, () => session.architect.getFlowsJob(job.id!, { expand: ['messages'] }));
        if (state.status === 'Success') {
          result.edits++;
          // Publishing checks the flow in: a lock this client held on it is gone.
          held.delete(flow.id);
          return;
        }
        if (state.status === 'Failure') throw new Error('job failed');
        await sleep(20);
      }
    } catch {
      result.failedEdits++;
    }
  };

  const lock = async (session: Session, flow: InterfererOptions['flows'][number]) => {
    if (held.has(flow.id)) return;
    try {
      await persist(result, () => session.architect.postFlowsActionsCheckout(flow.id), 4);
      result.locks++;
      held.set(flow.id, {
        keep: options.random() < options.keepLockShare,
        releaseAt: Date.now() + 300 + options.random() * 2_000,
      });
    } catch {
      // Locked by someone else already (409), or the faults won: nothing held.
    }
  };

  const release = async (session: Session, id: string) => {
    try {
      await persist(result, () => session.architect.postFlowsActionsUnlock(id));
      held.delete(id);
      result.released++;
    } catch {
      // Still held; reported as held.
    }
  };

  const running = (async () => {
    const session = await login(options.emulator, options.clientId, options.secret);
    for (let n = 1; !stopping; n++) {
      const due = [...held].filter(([, h]) => !h.keep && h.releaseAt <= Date.now()).map(([id]) => id);
      for (const id of due) await release(session, id);
      const flow = pick(options.flows);
      if (options.random() < options.editShare) await edit(session, flow, n);
      else await lock(session, flow);
      await sleep(options.pauseMs[0] + options.random() * (options.pauseMs[1] - options.pauseMs[0]));
    }
    for (const [id, h] of [...held]) if (!h.keep) await release(session, id);
    result.held = [...held.keys()];
    return result;
  })();

  return {
    stop: async () => {
      stopping = true;
      return running;
    },
  };
}
