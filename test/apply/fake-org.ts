import { onTestFinished } from 'vitest';
import { parse } from 'yaml';
import type { ApplyOptions, LiveFlowState, OrgWriter, RegisteredJob } from '../../src/apply/types.js';
import type { LiveFlow } from '../../src/plan/build-plan.js';
import type { Consumer } from '../../src/plan/types.js';
import { RemoteError } from '../../src/errors.js';
import { apiTypeForKey } from '../../src/check/index.js';
import { fingerprintKeyOf, flowKey, keyOf } from '../../src/identity/index.js';

/** The OAuth client apply runs as in these tests: what a job's version is created by. */
export const OWN_CLIENT = 'flowops-client';

/** flowops' identity in these tests: its client and a fingerprint key from a made-up secret. */
export const TEST_IDENTITY = { clientId: OWN_CLIENT, fingerprintKey: fingerprintKeyOf('secret') };

/** Apply's options in these tests: no real waits, fixed jitter, a few attempts. */
export const TEST_APPLY_OPTIONS: ApplyOptions = {
  concurrency: 4,
  lockPolicy: 'fail',
  forceUnlock: false,
  clientId: OWN_CLIENT,
  lockWaitMs: 50,
  maxAttempts: 3,
  backoffMs: 1,
  sleep: async () => {},
  random: () => 0.5,
};

interface FakeVersion {
  id: string;
  /** The uploaded file, as it was uploaded. */
  content: string;
  /** A person's name, or an OAuth client's (Genesys shows the client's name for a client). */
  by: string;
  /** The OAuth client that created the version; absent when a person did (in the Architect UI). */
  byClientId?: string;
}

interface FakeFlow {
  id: string;
  type: string;
  name: string;
  versions: FakeVersion[];
  /**
   * The flow entity's description: what the last published file's `description` said (a version has
   * none of its own; Genesys keeps it on the flow, as the emulator does). flowops' note travels in it.
   */
  description?: string;
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

/** Who publishes outside apply: a person in the Architect UI, or another OAuth client (another tool). */
export type Publisher = 'person' | 'client';

/** A method of the org's API (OrgWriter): what a test expects apply to ask of the org. */
export type OrgCall = keyof OrgWriter;

/** What apply asks of an org when it publishes (reads, locks, jobs): the calls a test expects unless it says otherwise. */
export const PUBLISH_CALLS: readonly OrgCall[] = [
  'getFlow',
  'getFlows',
  'findFlow',
  'registerJob',
  'publishFlow',
  'checkoutFlow',
  'unlockFlow',
  'flowsLockedBy',
];

/**
 * An in-memory org for apply's orchestration tests. Strict: a call of a method the test does not
 * expect (`expects`, by default PUBLISH_CALLS: a rename, a delete or a consumers question must be
 * expected by name), an id it does not know, or a call that makes no sense fails the test, even when
 * apply catches the error (as it does a failed flow's): the fake keeps what went wrong and the test
 * fails when it finishes. Every publish is logged, every call counted, failures are scripted per
 * flow name, and nothing it was not asked for happens. As far as identity goes it behaves like
 * Genesys: a job creates its version as the client that runs it (`jobClient`), and a publish sets the
 * flow's description from the file's (absent: none).
 */
export class FakeOrg implements OrgWriter {
  /** While set, every job waits for it after its upload (to watch what runs meanwhile). */
  jobGate: Promise<void> | undefined;
  /** The OAuth client apply's token is for: its jobs create their versions as it, its checkouts lock as it. */
  jobClient = OWN_CLIENT;
  /** Whether checkout answers with the flow (a real org's Flow); off: apply reads the flow after its lock. */
  checkoutAnswers = true;
  /**
   * How a job's last check goes with the work of the job: `none`, no check is told (onPoll);
   * `after-done`, the check that sees it done comes once the version is there (what a listing sent
   * beside it then shows); `before-done`, a check comes while the job still runs, and none after.
   */
  jobChecks: 'none' | 'after-done' | 'before-done' = 'none';
  readonly flows = new Map<string, FakeFlow>();
  readonly log: string[] = [];
  /** Names of the flows apply locked (checkout), in order. */
  readonly checkouts: string[] = [];
  /** Flows per getFlows call (one listing each in a real org). */
  readonly reads: number[] = [];
  /** Names of the flows a plan exported (publishedText), in order. */
  readonly planExports: string[] = [];
  /** Calls per method of the org's API (OrgWriter): whatever apply asked of the org. */
  readonly calls: Record<string, number> = {};
  /** What points at each flow, by flow name (an IVR, a queue...): what dependency tracking answers. */
  readonly consumers = new Map<string, Consumer[]>();
  private readonly failures = new Map<string, string[]>();
  private nextId = 1;
  private readonly expected: ReadonlySet<OrgCall>;
  /** What went wrong (an unexpected call...): the test fails with it once it finishes. */
  private readonly unexpected: string[] = [];

  /** Made inside a test (it registers the check that fails it when something unexpected was asked). */
  constructor(options: { expects?: readonly OrgCall[] } = {}) {
    this.expected = new Set(options.expects ?? PUBLISH_CALLS);
    onTestFinished(() => {
      if (this.unexpected.length > 0)
        throw new Error(`the strict fake org was asked what the test did not expect:\n${this.unexpected.join('\n')}`);
    });
  }

  /** A flow as it was before the test: one version, published by `by` (a person unless said). */
  seed(yaml: string, by = 'seed', as: Publisher = 'person'): FakeFlow {
    const { type, name, description } = identify(yaml);
    if (this.find(type, name)) this.fail(`${type} "${name}" is seeded twice`);
    const flow: FakeFlow = { id: `id-${this.nextId++}`, type, name, versions: [] };
    this.flows.set(flow.id, flow);
    addVersion(flow, yaml, description, by, as === 'client' ? by : undefined);
    return flow;
  }

  /** The next publishes of this flow fail with these reasons, in order. */
  failNext(name: string, ...reasons: string[]): void {
    this.failures.set(name, [...(this.failures.get(name) ?? []), ...reasons]);
  }

  byName(name: string): FakeFlow | undefined {
    return [...this.flows.values()].find((f) => f.name === name);
  }

  /**
   * Someone else publishes `yaml` as a new version of an existing flow: a person in the Architect UI
   * (`person`: no client id) or another OAuth client (`client`: created by the client `by`). The
   * flow's description becomes the file's, so a note copied into it is carried by their version.
   */
  publishAs(by: string, yaml: string, as: Publisher = 'person'): void {
    const { type, name, description } = identify(yaml);
    const flow = this.find(type, name);
    if (!flow) this.fail(`publishAs(${by}) of ${type} "${name}", which the org does not have`);
    if (flow.lockedBy) this.fail(`publishAs(${by}) of ${type} "${name}", locked by ${flow.lockedBy}`);
    addVersion(flow, yaml, description, by, as === 'client' ? by : undefined);
  }

  /**
   * The flows as a plan reads them (the listing: state, description, who created the published
   * version), not counted as apply's calls: plan is not what these tests watch.
   */
  listing(): LiveFlowState[] {
    return [...this.flows.values()].map(state);
  }

  /** The org as a plan reads it, every published flow's content included (as an org never applied reads). */
  liveFlows(): LiveFlow[] {
    return this.listing().map((s) => ({
      id: s.id,
      type: s.type,
      name: s.name,
      publishedVersion: s.publishedVersion!,
      description: s.description ?? '',
      content: this.publishedText(s.id),
    }));
  }

  /**
   * The published version's text, as a plan's export reads it (the uploaded file: this fake does not
   * regenerate it as Architect does). Counted in `planExports`, not as apply's calls.
   */
  publishedText(id: string): string {
    const flow = this.known(id, 'publishedText');
    const latest = flow.versions.at(-1);
    if (!latest) return this.fail(`the export of ${flow.name}, which has no published version`);
    this.planExports.push(flow.name);
    return latest.content;
  }

  async getFlow(id: string): Promise<LiveFlowState | undefined> {
    this.count('getFlow');
    const f = this.flows.get(id);
    return f ? state(f) : undefined;
  }

  async getFlows(ids: readonly string[]): Promise<Map<string, LiveFlowState>> {
    this.count('getFlows');
    this.reads.push(ids.length);
    return new Map(ids.flatMap((id) => (this.flows.has(id) ? [[id, state(this.flows.get(id)!)] as const] : [])));
  }

  async findFlow(type: string, name: string): Promise<LiveFlowState | undefined> {
    this.count('findFlow');
    const f = [...this.flows.values()].find((x) => keyOf(x) === flowKey(type, name));
    return f ? state(f) : undefined;
  }

  async publishFlow(
    yaml: string,
    options: { onUploaded?: () => void; onPoll?: (elapsedMs: number) => void } = {},
  ): Promise<{ flowId: string; jobId: string; messages: string[] }> {
    this.count('publishFlow');
    const { type, name, description } = identify(yaml);
    this.log.push(`publish ${name}`);
    options.onUploaded?.();
    await this.jobGate; // the job runs until the test opens the gate (none: at once)
    if (this.jobChecks === 'before-done') {
      options.onPoll?.(0);
      await new Promise((resolve) => setImmediate(resolve)); // what the check set off is done before the job ends
    }
    const scripted = this.failures.get(name)?.shift();
    if (scripted) throw new JobError(`job failed (${scripted})`, scripted);
    let flow = this.find(type, name);
    if (flow?.lockedBy && flow.lockedBy !== this.jobClient)
      throw new JobError(`${name} is locked by another entity (${flow.lockedBy})`, 'locked');
    if (!flow) {
      flow = { id: `id-${this.nextId++}`, type, name, versions: [] };
      this.flows.set(flow.id, flow);
    }
    addVersion(flow, yaml, description, this.jobClient, this.jobClient);
    delete flow.lockedBy; // publishing checks the flow in
    if (this.jobChecks === 'after-done') options.onPoll?.(0);
    return { flowId: flow.id, jobId: `job-${this.log.length}`, messages: [] };
  }

  /** Takes the lock and answers with the flow (as checkout's Flow does), unless `checkoutAnswers` is off. */
  async checkoutFlow(id: string): Promise<LiveFlowState | undefined> {
    this.count('checkoutFlow');
    const flow = this.known(id, 'checkoutFlow');
    // A second checkout answers 409, even for the client that holds the lock (as the emulator does).
    if (flow.lockedBy) throw new RemoteError(`locked by ${flow.lockedBy}`, 409);
    this.checkouts.push(flow.name);
    flow.lockedBy = this.jobClient;
    return this.checkoutAnswers ? state(flow) : undefined;
  }

  /** Registers a job ahead of its upload; the fake's publishFlow needs none. */
  async registerJob(): Promise<RegisteredJob> {
    this.count('registerJob');
    return { id: `registered-${this.nextId++}`, presignedUrl: 'https://uploads.invalid/', headers: {} };
  }

  /** `PUT /api/v2/flows/{id}` with a new name: the id stays; a name another flow of the type has is a 409. */
  async renameFlow(id: string, type: string, name: string): Promise<void> {
    this.count('renameFlow');
    const flow = this.known(id, 'renameFlow');
    if (flow.type !== type) this.fail(`renameFlow(${id}) with type ${type}, the flow is ${flow.type}`);
    if (flow.lockedBy && flow.lockedBy !== this.jobClient) throw new RemoteError(`locked by ${flow.lockedBy}`, 409);
    const other = [...this.flows.values()].find((f) => f.id !== id && keyOf(f) === flowKey(type, name));
    if (other) throw new RemoteError(`a flow of type ${type} named ${name} already exists`, 409);
    this.log.push(`rename ${flow.name} -> ${name}`);
    flow.name = name;
  }

  async unlockFlow(id: string): Promise<void> {
    this.count('unlockFlow');
    const flow = this.known(id, 'unlockFlow');
    if (flow.lockedBy !== this.jobClient) this.log.push(`unlock ${flow.name}`);
    delete flow.lockedBy;
  }

  async flowsLockedBy(clientId: string): Promise<LiveFlowState[]> {
    this.count('flowsLockedBy');
    return [...this.flows.values()].filter((f) => f.lockedBy === clientId).map(state);
  }

  async deleteFlow(id: string): Promise<void> {
    this.count('deleteFlow');
    this.log.push(`delete ${this.known(id, 'deleteFlow').name}`);
    this.flows.delete(id);
  }

  async flowConsumers(id: string, type: string): Promise<Consumer[]> {
    this.count('flowConsumers');
    const flow = this.known(id, 'flowConsumers');
    if (flow.type !== type) this.fail(`flowConsumers(${id}, ${type}) of a ${flow.type} flow`);
    // A consumer that is a flow of this org counts while that flow exists (a deleted caller calls nothing).
    return (this.consumers.get(flow.name) ?? []).filter((c) => !(c.id?.startsWith('id-') && !this.flows.has(c.id)));
  }

  private find(type: string, name: string): FakeFlow | undefined {
    return [...this.flows.values()].find((f) => f.type === type && f.name === name);
  }

  private known(id: string, call: string): FakeFlow {
    const flow = this.flows.get(id);
    if (!flow) return this.fail(`${call}(${id}), a flow it does not have`);
    return flow;
  }

  private count(call: OrgCall): void {
    if (!this.expected.has(call)) this.fail(`${call}, which this test does not expect`);
    this.calls[call] = (this.calls[call] ?? 0) + 1;
  }

  /** Keeps what went wrong for the end of the test (apply may catch the error), and throws it. */
  private fail(message: string): never {
    this.unexpected.push(message);
    throw new Error(`fake org: ${message}`);
  }
}

function addVersion(
  flow: FakeFlow,
  content: string,
  description: string | undefined,
  by: string,
  byClientId: string | undefined,
): void {
  const version: FakeVersion = { id: `${flow.versions.length + 1}.0`, content, by };
  if (byClientId !== undefined) version.byClientId = byClientId;
  flow.versions.push(version);
  if (description !== undefined) flow.description = description;
  else delete flow.description;
}

/** The flow a file describes: its type, name and description (as the emulator reads them). */
function identify(yaml: string): { type: string; name: string; description?: string } {
  const doc = parse(yaml) as Record<string, { name: string; description?: unknown }>;
  const key = Object.keys(doc)[0]!;
  const type = apiTypeForKey(key);
  if (!type) throw new Error(`fake org: a file of an unknown flow type (${key})`); // the test's own file: thrown in the test
  const body = doc[key]!;
  const found: { type: string; name: string; description?: string } = { type, name: String(body.name) };
  if (typeof body.description === 'string' && body.description !== '') found.description = body.description;
  return found;
}

function state(f: FakeFlow): LiveFlowState {
  const latest = f.versions.at(-1);
  const s: LiveFlowState = { id: f.id, type: f.type, name: f.name };
  if (latest) {
    s.publishedVersion = { id: latest.id, createdBy: latest.by, datePublished: '2026-11-24T12:00:00Z' };
    if (latest.byClientId !== undefined) s.publishedVersion.createdByClientId = latest.byClientId;
  }
  if (f.description !== undefined) s.description = f.description;
  if (f.lockedBy) s.lockedBy = f.lockedBy;
  return s;
}
