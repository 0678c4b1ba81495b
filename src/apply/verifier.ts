import type { LiveFlowState, OrgWriter } from './types.js';

interface Waiting {
  flowId: string;
  resolve: (flow: LiveFlowState | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads back flows right after their jobs, many at once: the flows that finish within `windowMs` of
 * each other share one listing (by id) instead of a read each. What is read is the flow's state
 * (published version, who created it, the description with flowops' note): identity, not content,
 * says whether the planned version was published. Each caller judges its own answer; a failed
 * listing fails each of its callers, who retry as after any transient error.
 */
export class Verifier {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: OrgWriter,
    private readonly windowMs = 50,
  ) {}

  read(flowId: string): Promise<LiveFlowState | undefined> {
    return new Promise<LiveFlowState | undefined>((resolve, reject) => {
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
      for (const w of batch) w.resolve(live.get(w.flowId));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
