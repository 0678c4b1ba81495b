/**
 * Why an Architect job failed, and the typed error apply branches on.
 *
 * The decision is pure (`classifyJobFailure`), apart from the error type, in the way octokit's
 * plugin-retry keeps `error-request.ts` apart from the code that acts on it (STYLE.md 5 and 11).
 *
 * A job's messages (`ArchitectJobStateResponse.messages`: `{dateTime, type, text, details}`, SDK
 * index.d.ts) carry no error codes, so structured fields come first and the texts are the fallback:
 * 1. `details[].statusCode` (SDK `ArchitectJobMessageDetail`) names the status of the inner request
 *    that failed; 429, 408 and 5xx are retryable statuses (should-retry.ts), so the job is transient.
 *    The emulator marks its injected failures this way (src/emulator/README.md, `jobFailure=P`).
 * 2. Texts, in this order, each pattern with its source:
 *    - locked: Archy's "... is locked by another entity. You can use the --forceUnlock ..." and
 *      Architect's "flow locked by user" (shared/reference/genesys-flow-api.md section 4). First,
 *      because a lock blocks whatever else is wrong, and only unlocking or waiting helps.
 *    - transient: Genesys reports some 429-caused job failures as "could not find the flow"
 *      (reference section 5); the 429 body's "Rate limit exceeded ... Retry the request"
 *      (section 5); the emulator's "Transient failure: ...".
 *    - missing-dependency: "cannot be published due to missing dependencies" (section 4). Before
 *      invalid: the unknown module is also reported as a line error, and the module is the fix.
 *    - conflict: "flow of type T named N already exists", "not locked by requesting user", "cannot
 *      publish: must be checked in first" (section 4), and the Terraform provider's version
 *      mismatch "does not match the current version" (section 4).
 *    - invalid: validation errors: `line:col: message` lines (the emulator's report of Archy's
 *      validation), "validation", "invalid", "not valid", parse errors, and a module whose
 *      compatibleFlowTypes exclude the caller (the emulator's org rule, README "How a job publishes").
 *    - unknown: anything else.
 */
import { RemoteError } from '../errors.js';
import { isRetryable } from './should-retry.js';

export type JobFailureReason = 'locked' | 'transient' | 'missing-dependency' | 'invalid' | 'conflict' | 'unknown';

/** What `classifyJobFailure` reads: a structural subset of the SDK's ArchitectJobStateResponse. */
export interface JobStateLike {
  status?: string;
  messages?: ReadonlyArray<{
    type?: string;
    text?: string;
    details?: ReadonlyArray<{ type?: string; statusCode?: number }>;
  }>;
}

export interface JobFailureClass {
  reason: JobFailureReason;
  /** Who holds the lock, when the message names them (reason 'locked' only). */
  holder?: string;
  /** The message text the decision rests on, when one did. */
  evidence?: string;
}

type TextRule = { reason: Exclude<JobFailureReason, 'unknown'>; patterns: readonly RegExp[] };

/** In order of precedence; see the file comment for the sources. */
const TEXT_RULES: readonly TextRule[] = [
  // "not locked by requesting user" is a conflict (our lock is gone), not someone else's lock.
  { reason: 'locked', patterns: [/locked by another entity/i, /(?<!\bnot\s)\blocked by\b/i] },
  {
    reason: 'transient',
    patterns: [
      /could not find the flow/i,
      /\btransient\b/i,
      /rate limit exceeded/i,
      /too many requests/i,
      /service (is )?unavailable/i,
    ],
  },
  { reason: 'missing-dependency', patterns: [/missing dependenc(y|ies)/i] },
  {
    reason: 'conflict',
    patterns: [
      /already exists/i,
      /not locked by (the )?requesting user/i,
      /must be checked in first/i,
      /does not match the current version/i,
    ],
  },
  {
    reason: 'invalid',
    patterns: [
      /^\s*\d+:\d+:/,
      /\bvalidation\b/i,
      /\binvalid\b/i,
      /\bnot valid\b/i,
      /\b(could not|failed to|unable to) parse\b/i,
      /compatibleFlowTypes/i,
    ],
  },
];

/** Retryable statuses of the inner request a job reports (429, 408, 5xx, as should-retry.ts). */
function transientStatus(statusCode: number | undefined): boolean {
  return statusCode !== undefined && isRetryable({ status: statusCode, headers: {} });
}

/**
 * The name in "locked by another entity: client "X"", "locked by user 'X'" or "locked by client X."
 * (the emulator's job and API texts). Only quoted names, or a single word after user/client, are
 * taken: real Architect texts are not documented, and a wrong name would mislead more than none.
 */
export function lockHolder(text: string): string | undefined {
  const lead = String.raw`locked by (?:another entity\s*[:,-]?\s*)?(?:(?:the\s+)?(?:user|client)\s+)?`;
  const quoted = new RegExp(`${lead}(?:"([^"]+)"|'([^']+)'|\u201c([^\u201d]+)\u201d)`, 'i').exec(text);
  const name = quoted ? (quoted[1] ?? quoted[2] ?? quoted[3]) : undefined;
  if (name?.trim()) return name.trim();
  const bare =
    /locked by (?:another entity\s*[:,-]?\s*)?(?:the\s+)?(?:user|client)\s+([^\s"',;]+?)[.,;]?(?:\s|$)/i.exec(text);
  return bare?.[1] || undefined;
}

/** Error messages decide; when a job typed none as Error, every message counts. */
function decisiveMessages(state: JobStateLike): NonNullable<JobStateLike['messages']> {
  const messages = state.messages ?? [];
  const errors = messages.filter((m) => (m.type ?? '').toLowerCase() === 'error');
  return errors.length > 0 ? errors : messages;
}

/** Why a failed job failed (pure). */
export function classifyJobFailure(state: JobStateLike): JobFailureClass {
  const messages = decisiveMessages(state);
  const throttled = messages.find((m) => (m.details ?? []).some((d) => transientStatus(d.statusCode)));
  if (throttled) return withEvidence({ reason: 'transient' }, throttled.text);
  for (const rule of TEXT_RULES) {
    const hit = messages.find((m) => m.text !== undefined && rule.patterns.some((p) => p.test(m.text ?? '')));
    if (!hit?.text) continue;
    const found: JobFailureClass = { reason: rule.reason, evidence: hit.text };
    if (rule.reason === 'locked') {
      const holder = lockHolder(hit.text);
      if (holder) found.holder = holder;
    }
    return found;
  }
  return withEvidence({ reason: 'unknown' }, messages.find((m) => m.text)?.text);
}

function withEvidence(found: JobFailureClass, text: string | undefined): JobFailureClass {
  if (text) found.evidence = text;
  return found;
}

export type FlowJobErrorReason = JobFailureReason | 'timeout';

export interface FlowJobErrorInit {
  jobId: string;
  reason: FlowJobErrorReason;
  /** Architect's message texts, in the job's order. */
  messages: string[];
  holder?: string;
  /** The flow the job named, when it named one. */
  flowId?: string;
  /** For 'timeout': how long publishFlow waited for the job. */
  waitedMs?: number;
  /** The job's last status (`Failure`, or `Started` for a timeout). */
  status?: string;
  /** The message the reason rests on (classifyJobFailure's evidence); shown first. */
  evidence?: string;
  /** The one-line summary; built from the reason and the messages when absent. */
  summary?: string;
}

const LABELS: Record<FlowJobErrorReason, string> = {
  locked: 'locked',
  transient: 'transient failure',
  'missing-dependency': 'missing dependency',
  invalid: 'invalid flow',
  conflict: 'conflict',
  unknown: 'failed',
  timeout: 'timed out',
};

/**
 * An Architect job that ended in Failure, or that did not finish in time. The job itself is never
 * retried inside genesys/: apply decides, after re-reading the flow (ARCHITECTURE.md "Apply, safely").
 */
export class FlowJobError extends RemoteError {
  override readonly name = 'FlowJobError';
  readonly jobId: string;
  readonly reason: FlowJobErrorReason;
  readonly messages: string[];
  readonly holder?: string;
  readonly flowId?: string;
  readonly waitedMs?: number;
  readonly jobStatus?: string;

  constructor(init: FlowJobErrorInit) {
    super(init.summary ?? summarize(init), undefined, init.messages.length > 0 ? init.messages.join(' | ') : undefined);
    this.jobId = init.jobId;
    this.reason = init.reason;
    this.messages = init.messages;
    if (init.holder !== undefined) this.holder = init.holder;
    if (init.flowId !== undefined) this.flowId = init.flowId;
    if (init.waitedMs !== undefined) this.waitedMs = init.waitedMs;
    if (init.status !== undefined) this.jobStatus = init.status;
  }
}

/** One line (the CLI prints errors one a line): the reason, the decisive text, how many more. */
function summarize(init: FlowJobErrorInit): string {
  const label = init.reason === 'locked' && init.holder ? `locked by ${init.holder}` : LABELS[init.reason];
  const first = init.evidence ?? init.messages[0];
  const others = init.messages.length - (first !== undefined && init.messages.includes(first) ? 1 : 0);
  const more = others > 0 ? ` (and ${others} more message${others > 1 ? 's' : ''})` : '';
  const said = first ? `: ${first.replace(/\s+/g, ' ').trim()}${more}` : ': the job gave no message';
  return `Architect job ${init.jobId} ${label}${said}`;
}
