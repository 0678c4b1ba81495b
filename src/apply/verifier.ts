import type { LiveFlowState, OrgWriter } from './types.js';

/** Listings under way at once (Verifier). */
const LISTINGS_AT_ONCE = 2;

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
 * Batching without a window: a read asked while fewer than two listings are under way goes at once
 * (a flow alone waits for nothing but its own round trip; a second listing keeps one slow answer
 * from holding up every flow behind it); the reads asked while two are under way wait for one of
 * them and then share the next listing (by id, 50 to a request). Under load the batches grow by
 * themselves, and no read waits longer than one listing for company.
 */
export class Verifier {
  private queue: Waiting[] = [];
  private listings = 0;

  constructor(private readonly writer: OrgWriter) {}

  read(flowId: string): Promise<LiveFlowState | undefined> {
    return new Promise<LiveFlowState | undefined>((resolve, reject) => {
      this.queue.push({ flowId, resolve, reject });
      // The reads of one tick (jobs seen done by one answer) still go together.
      if (this.listings < LISTINGS_AT_ONCE && this.queue.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.listings >= LISTINGS_AT_ONCE || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.listings += 1;
    try {
      const live = await this.writer.getFlows([...new Set(batch.map((w) => w.flowId))]);
      for (const w of batch) w.resolve(live.get(w.flowId));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.listings -= 1;
      if (this.queue.length) void this.flush();
    }
  }
}
