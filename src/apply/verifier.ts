import type { LiveFlowState, OrgWriter } from './types.js';

/** A flow just published, as read back for verification: its state and its published YAML. */
export interface PublishedFlow {
  live: LiveFlowState | undefined;
  /** The published version's YAML; undefined when the export did not give it. */
  content: string | undefined;
  /** Why the content is missing, when the export said. */
  problem?: string;
}

interface Waiting {
  flowId: string;
  resolve: (flow: PublishedFlow) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads back flows right after their jobs, many at once: the flows that finish within `windowMs` of
 * each other share one listing (by id) and one export job, instead of a read and an export job each
 * (an export job costs its registration and its checks). Each caller still gets its own answer and
 * judges it itself; a failed batch fails each of its callers, who retry as after any transient error.
 */
export class Verifier {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: OrgWriter,
    private readonly windowMs = 150,
  ) {}

  read(flowId: string): Promise<PublishedFlow> {
    return new Promise<PublishedFlow>((resolve, reject) => {
      this.queue.push({ flowId, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.timer = undefined;
    try {
      const live = await this.writer.getFlows([...new Set(batch.map((w) => w.flowId))]);
      const refs = [...live.values()].flatMap((f) => (f.publishedVersion ? [{ id: f.id, version: f.publishedVersion.id, name: f.name }] : []));
      let contents = new Map<string, string>();
      let problems = new Map<string, string>();
      try {
        contents = refs.length ? await this.writer.exportFlows(refs) : contents;
      } catch (err) {
        // Some flows exported and some did not: each flow gets what there is, and why not.
        const partial = err as { exported?: Map<string, string>; failures?: Array<{ flowId: string; message: string }> };
        if (!(partial.exported instanceof Map)) throw err;
        contents = partial.exported;
        problems = new Map((partial.failures ?? []).map((f) => [f.flowId, f.message]));
      }
      for (const w of batch) {
        const flow: PublishedFlow = { live: live.get(w.flowId), content: contents.get(w.flowId) };
        const problem = problems.get(w.flowId);
        if (problem !== undefined) flow.problem = problem;
        w.resolve(flow);
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
