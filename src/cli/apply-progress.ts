/** apply's progress as people see it: timestamped lines (CI logs); on a terminal, the live view of apply-live-progress.ts. */
import type { FlowOutcome } from '../apply/types.js';
import type { ApplyWatcher } from '../operations/apply.js';
import type { Output } from './output.js';

/** Not a terminal (CI logs): append-only, timestamped lines on stderr. */
export function plainProgress(out: Output, now: () => Date = () => new Date()): ApplyWatcher {
  const started = new Map<string, number>();
  const lastLine = new Map<string, { message: string; at: number }>();
  const stamp = () => now().toISOString().slice(11, 19);
  return {
    emit(event) {
      if (event.type === 'start') {
        started.set(event.id, Date.now());
        out.info(`${stamp()} ${label(event.id)}: ${event.action}`);
      } else if (event.type === 'progress') {
        const since = started.get(event.id);
        // A job polled every few hundred ms would flood a CI log: repeat a line at most every 10 s.
        const last = lastLine.get(event.id);
        if (last && last.message === event.message && Date.now() - last.at < 10_000) return;
        lastLine.set(event.id, { message: event.message, at: Date.now() });
        out.info(
          `${stamp()} ${label(event.id)}: ${event.message}${since ? ` [${Math.round((Date.now() - since) / 1000)}s]` : ''}`,
        );
      } else {
        const o = event.outcome;
        out.info(`${stamp()} ${label(o.id)}: ${ended(o)}${o.reason ? `: ${o.reason}` : ''}`);
      }
    },
    finish: async () => {},
  };
}

/** `type:name` as people read it: `type "name"`. */
export function label(id: string): string {
  const at = id.indexOf(':');
  return `${id.slice(0, at)} "${id.slice(at + 1)}"`;
}

/** How a flow ended, with the version apply published. */
export function ended(o: FlowOutcome): string {
  return `${o.status}${o.publishedVersion ? ` (version ${o.publishedVersion})` : ''}`;
}
