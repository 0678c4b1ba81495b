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
export {
  checkOrgReferences,
  closestName,
  flowTypesNamed,
  hasReferenceErrors,
  kindLabel,
  kindsNamed,
  referenceDiagnostics,
  uncheckedNotes,
  type KindListing,
  type OrgObject,
  type PlanReferences,
  type ReferenceMode,
  type ReferenceProblem,
  type UncheckedKind,
} from './org-references.js';
export {
  flowGraph,
  type EdgeKind,
  type FlowGraph,
  type GraphEdge,
  type GraphNode,
  type NodeKind,
} from './flow-graph.js';
export { diffGraphs, type EdgeChange, type GraphDiff, type GraphStatus, type NodeChange } from './graph-diff.js';
