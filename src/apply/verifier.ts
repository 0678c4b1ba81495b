import type { LiveFlowState, OrgWriter } from './types.js';

interface Waiting {
  flowId: string;
  resolve: (flow: LiveFlowState | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads back flows right after their jobs, many at once: what is read is the flow's state (published
 * version, who created it, the description with flowops' note): identity, not content, says whether
 * the planned version was published. Each caller judges its own answer; a failed listing fails each
 * of its callers, who retry as after any transient error.
 *
 * Batching without a window: a read asked while no listing is under way goes at once (a flow alone
 * waits for nothing but its own round trip); the reads asked while one is under way wait for it and
 * then share the next listing (by id, 50 to a request). Under load the batches grow by themselves,
 * and no read waits longer than one listing for company.
 */
export class Verifier {
  private queue: Waiting[] = [];
  private listing = false;

  constructor(private readonly writer: OrgWriter) {}

  read(flowId: string): Promise<LiveFlowState | undefined> {
    return new Promise<LiveFlowState | undefined>((resolve, reject) => {
      this.queue.push({ flowId, resolve, reject });
      // The reads of one tick (jobs seen done by one answer) still go together.
      if (!this.listing && this.queue.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.listing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.listing = true;
    try {
      const live = await this.writer.getFlows([...new Set(batch.map((w) => w.flowId))]);
      for (const w of batch) w.resolve(live.get(w.flowId));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.listing = false;
      if (this.queue.length) void this.flush();
    }
  }
}
