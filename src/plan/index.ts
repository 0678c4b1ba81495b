export * from './types.js';
export {
  buildPlan,
  hasChanges,
  describeId,
  orphansOf,
  PlanError,
  type LiveFlow,
  type PlanInput,
} from './build-plan.js';
export { describeConsumer, describeConsumers, isRefusedDelete } from './consumers.js';
export { diffDocuments } from './diff.js';
