/** What points at a flow, in words (pure): why a delete is refused. */
import type { Consumer, PlannedFlow } from './types.js';

/** Consumers named in a sentence before "and N more". */
const NAMED = 3;

const VERBS: Record<string, string> = {
  IVR: 'routes to it',
  queue: 'uses it as its in-queue flow',
  flow: 'calls it',
};

/** `IVR "Main number" routes to it` */
export function describeConsumer(consumer: Consumer): string {
  return `${consumer.type} ${JSON.stringify(consumer.name)} ${VERBS[consumer.type] ?? 'uses it'}`;
}

/** `IVR "Main number" routes to it, queue "Support" uses it as its in-queue flow and 2 more` */
export function describeConsumers(consumers: readonly Consumer[]): string {
  const named = consumers.slice(0, NAMED).map(describeConsumer).join(', ');
  const rest = consumers.length - NAMED;
  return rest > 0 ? `${named} and ${rest} more` : named;
}

/** A delete the plan refuses: something still points at the flow. */
export function isRefusedDelete(flow: PlannedFlow): boolean {
  return flow.action === 'delete' && (flow.consumers?.length ?? 0) > 0;
}
