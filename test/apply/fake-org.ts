import { parse } from 'yaml';
import type { LiveFlowState, OrgWriter } from '../../src/apply/types.js';
import { RemoteError } from '../../src/errors.js';
import { apiTypeForKey } from '../../src/spec/index.js';

interface FakeFlow {
  id: string;
  type: string;
  name: string;
  versions: Array<{ id: string; content: string; by: string }>;
  lockedBy?: string;
}

export class JobError extends RemoteError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * An in-memory org for apply's orchestration tests. Strict: every publish is logged, failures are
 * scripted per flow name, and nothing it was not asked for happens.
 */
export class FakeOrg implements OrgWriter {
  /** While set, every job waits for it after its upload (to watch what runs meanwhile). */
  jobGate: Promise<void> | undefined;
  readonly flows = new Map<string, FakeFlow>();
  readonly log: string[] = [];
  /** Names of the flows apply locked (checkout), in order. */
  readonly checkouts: string[] = [];
  /** Flows per getFlows call and per exportFlows call (one export job each in a real org). */
  readonly reads: number[] = [];
  readonly exports: number[] = [];
  private readonly failures = new Map<string, string[]>();
  private nextId = 1;

  seed(yaml: string, by = 'seed'): FakeFlow {
    const { type, name } = identify(yaml);
    const flow: FakeFlow = { id: `id-${this.nextId++}`, type, name, versions: [{ id: '1.0', content: yaml, by }] };
    this.flows.set(flow.id, flow);
    return flow;
  }

  /** The next publishes of this flow fail with these reasons, in order. */
  failNext(name: string, ...reasons: string[]): void {
    this.failures.set(name, [...(this.failures.get(name) ?? []), ...reasons]);
  }

  byName(name: string): FakeFlow | undefined {
    return [...this.flows.values()].find((f) => f.name === name);
  }

  /** Someone else publishes in the UI. */
  publishAs(by: string, yaml: string): void {
    const { name } = identify(yaml);
    const flow = this.byName(name)!;
    flow.versions.push({ id: `${flow.versions.length + 1}.0`, content: yaml, by });
  }

  async getFlow(id: string): Promise<LiveFlowState | undefined> {
    const f = this.flows.get(id);
    return f ? state(f) : undefined;
  }

  async getFlows(ids: readonly string[]): Promise<Map<string, LiveFlowState>> {
    this.reads.push(ids.length);
    return new Map(ids.flatMap((id) => (this.flows.has(id) ? [[id, state(this.flows.get(id)!)] as const] : [])));
  }

  async findFlow(type: string, name: string): Promise<LiveFlowState | undefined> {
    const f = [...this.flows.values()].find((x) => x.type === type && x.name.toLowerCase() === name.toLowerCase());
    return f ? state(f) : undefined;
  }

  async exportFlows(refs: Array<{ id: string; version: string }>): Promise<Map<string, string>> {
    this.exports.push(refs.length);
    const out = new Map<string, string>();
    for (const r of refs) {
      const v = this.flows.get(r.id)?.versions.find((x) => x.id === r.version);
      if (v) out.set(r.id, v.content);
    }
    return out;
  }

  async publishFlow(yaml: string, options: { onUploaded?: () => void } = {}): Promise<{ flowId: string; jobId: string; messages: string[] }> {
    const { type, name } = identify(yaml);
    this.log.push(`publish ${name}`);
    options.onUploaded?.();
    await this.jobGate; // the job runs until the test opens the gate (none: at once)
    const scripted = this.failures.get(name)?.shift();
    if (scripted) throw new JobError(`job failed (${scripted})`, scripted);
    let flow = [...this.flows.values()].find((f) => f.type === type && f.name === name);
    if (flow?.lockedBy && flow.lockedBy !== 'flowops-client') throw new JobError(`${name} is locked by another entity (${flow.lockedBy})`, 'locked');
    if (!flow) {
      flow = { id: `id-${this.nextId++}`, type, name, versions: [] };
      this.flows.set(flow.id, flow);
    }
    flow.versions.push({ id: `${flow.versions.length + 1}.0`, content: yaml, by: 'flowops-client' });
    delete flow.lockedBy; // publishing checks the flow in
    return { flowId: flow.id, jobId: `job-${this.log.length}`, messages: [] };
  }

  async checkoutFlow(id: string): Promise<void> {
    const flow = this.flows.get(id)!;
    // A second checkout answers 409, even for the client that holds the lock (as the emulator does).
    if (flow.lockedBy) throw new RemoteError(`locked by ${flow.lockedBy}`, 409);
    this.checkouts.push(flow.name);
    flow.lockedBy = 'flowops-client';
  }

  async unlockFlow(id: string): Promise<void> {
    if (this.flows.get(id)?.lockedBy !== 'flowops-client') this.log.push(`unlock ${this.flows.get(id)?.name}`);
    delete this.flows.get(id)!.lockedBy;
  }

  async flowsLockedBy(clientId: string): Promise<LiveFlowState[]> {
    return [...this.flows.values()].filter((f) => f.lockedBy === clientId).map(state);
  }

  async deleteFlow(id: string): Promise<void> {
    this.log.push(`delete ${this.flows.get(id)?.name}`);
    this.flows.delete(id);
  }
}

function identify(yaml: string): { type: string; name: string } {
  const doc = parse(yaml) as Record<string, { name: string }>;
  const key = Object.keys(doc)[0]!;
  return { type: apiTypeForKey(key)!, name: String(doc[key]!.name) };
}

function state(f: FakeFlow): LiveFlowState {
  const latest = f.versions.at(-1);
  const s: LiveFlowState = { id: f.id, type: f.type, name: f.name };
  if (latest) s.publishedVersion = { id: latest.id, createdBy: latest.by, datePublished: '2026-11-24T12:00:00Z' };
  if (f.lockedBy) s.lockedBy = f.lockedBy;
  return s;
}
