/** apply's progress on a terminal: one live line per flow in flight (listr2). */
import { Listr, type ListrTaskWrapper } from 'listr2';
import type { ApplyEvent, FlowOutcome } from '../apply/types.js';
import type { ApplyWatcher } from '../operations/apply.js';
import type { Plan } from '../plan/types.js';
import { ended, label } from './apply-progress.js';

/** A terminal: one live line per flow in flight (listr2), under a line counting done, failed and left. */
export function liveProgress(plan: Plan): ApplyWatcher {
  const waiting = new Map<string, { progress: (m: string) => void; end: (o: FlowOutcome) => void }>();
  const pending = new Map<string, ApplyEvent[]>();
  const writes = plan.flows.filter((f) => f.action !== 'unchanged');
  const counts = { done: 0, failed: 0 };
  let header: { title?: string | undefined } | undefined;
  const title = () =>
    `Applying ${writes.length} flow(s): ${counts.done} done, ${counts.failed} failed, ${writes.length - counts.done - counts.failed} left`;
  const flowTask = (flow: Plan['flows'][number]) => ({
    title: `${flow.action} ${label(flow.id)}`,
    task: (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) =>
      new Promise<void>((resolve, reject) => {
        waiting.set(flow.id, {
          progress: (message: string) => {
            task.output = message;
          },
          end: (outcome: FlowOutcome) => {
            const ok = ['applied', 'deleted', 'converged', 'unchanged'].includes(outcome.status);
            if (ok) counts.done++;
            else counts.failed++;
            if (header) header.title = title();
            task.title = `${flow.action} ${label(flow.id)}: ${ended(outcome)}`;
            if (ok) resolve();
            else if (outcome.status === 'skipped') {
              task.skip(`${label(flow.id)}: skipped (${outcome.reason ?? ''})`);
              resolve();
            } else reject(new Error(`${label(flow.id)}: ${outcome.status}: ${outcome.reason ?? ''}`));
          },
        });
        const early = pending.get(flow.id) ?? [];
        pending.delete(flow.id);
        for (const e of early) dispatch(e);
      }),
  });
  const list = new Listr(
    [
      {
        title: title(),
        task: (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
          header = task;
          return task.newListr(writes.map(flowTask), { concurrent: true, exitOnError: false });
        },
      },
    ],
    { exitOnError: false },
  );
  const dispatch = (event: ApplyEvent) => {
    const id = event.type === 'end' ? event.outcome.id : event.id;
    const h = waiting.get(id);
    if (!h) {
      pending.set(id, [...(pending.get(id) ?? []), event]);
      return;
    }
    if (event.type === 'progress') h.progress(event.message);
    else if (event.type === 'end') h.end(event.outcome);
  };
  const running: Promise<void> = list.run().then(
    () => undefined,
    () => undefined,
  );
  return { emit: dispatch, finish: () => running };
}
