/**
 * `genesys/`: the only code that talks to Genesys Cloud (through purecloud-platform-client-v2).
 * Everything it returns is plain data; every failure it raises is a RemoteError or a UsageError.
 */
export { connectGenesys, GenesysClient, type ConnectOptions } from './genesys-client.js';
export {
  gatewayConfiguration,
  hostLabel,
  isGenesysHost,
  parseEnvUrl,
  readConnectionEnv,
  type ConnectionSettings,
  type Credentials,
  type GatewayTarget,
  type GenesysTarget,
  type RegionTarget,
} from './connection.js';
export { ExportCache } from './export-cache.js';
export {
  DEFAULT_EXPORT_BATCH_SIZE,
  FlowExportError,
  type ExportFailure,
  type ExportFlowsOptions,
} from './export-flows.js';
export { toLiveFlowSummary } from './list-flows.js';
export {
  isListableKind,
  type ListableKind,
  type OrgObjectListing,
  type OrgObjectName,
} from './list-org-objects.js';
export {
  classifyJobFailure,
  FlowJobError,
  lockHolder,
  type FlowJobErrorReason,
  type JobFailureClass,
  type JobFailureReason,
  type JobStateLike,
} from './job-failure.js';
export { DEFAULT_PUBLISH_POLL, type PublishFlowOptions, type PublishResult } from './publish-flow.js';
export { classifyDeleteConflict, FlowDeleteError, type FlowDeleteReason } from './flow-actions.js';
export { DEFAULT_POLL, type PollOptions } from './poll.js';
export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limit.js';
export { DEFAULT_RETRY, shouldRetry, type RetryOptions } from './should-retry.js';
export { describeFailure, GenesysApiError, toRemoteError, type HttpFailure } from './errors.js';
export { consumerTypeName, dependencyTypeOfFlow } from './flow-consumers.js';
export type { FlowConsumer, FlowVersionRef, GenesysStats, LiveFlowSummary, LiveVersion } from './types.js';
