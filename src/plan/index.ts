export * from './types.js';
export { buildPlan, hasChanges, describeId, PlanError, type LiveFlow, type PlanInput } from './build-plan.js';
export { canonicalHash, canonicalize, hashDocument, AUDIT_NOTE } from './canonicalize.js';
export { diffDocuments } from './diff.js';
