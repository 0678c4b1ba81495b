/**
 * The demo's flows and the real blueprint files as the plan gets them (checked with their
 * substitutions, parsed), for the tests of the flow graph and its diff.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { checkFlowSources, desiredDocument, type FlowSource } from '../../src/check/index.js';
import type { GraphEdge } from '../../src/plan/flow-graph.js';
import { blueprintsDir, blueprintSubstitutions, readSource, repoRoot } from './fixtures.js';

type Doc = Record<string, unknown>;

const documentFiles = new WeakMap<Doc, string>();

/** The documents of checked sources, as the plan gets them (substituted, parsed). */
export function documentsOf(sources: FlowSource[], substitutions: Record<string, string>): Doc[] {
  const result = checkFlowSources(sources, {
    substitutions,
    externalModules: ['Shared Common Module - Tag and Greet'],
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.flows.map((flow) => {
    const doc = desiredDocument(flow);
    documentFiles.set(doc, flow.path);
    return doc;
  });
}

export const demoSubstitutions = (
  parse(readFileSync(`${repoRoot}flowops.yaml`, 'utf8')) as Doc & {
    environments: { local: { substitutions: Record<string, string> } };
  }
).environments.local.substitutions;

export const demoFiles = [
  'flows/inbound/billing-line.yaml',
  'flows/inbound/main-line.yaml',
  'flows/inbound/support-line.yaml',
  'flows/modules/tag-and-greet.yaml',
];
export const blueprintFiles = [
  'DR-Emergency-IVR.yaml',
  'DR-Fallback-Ivr.yaml',
  'SimpleFinancialIvr_v2-0.yaml',
  'merge-external-contact/MergeExternalContactBot.yaml',
  'merge-external-contact/MergeExternalContactMessageFlow.yaml',
  'merge-external-contact/ResolveContact.yaml',
];

const mergeSet = blueprintFiles.filter((f) => f.startsWith('merge-external-contact/'));
/** A blueprint's document; the three files that call each other are checked together. */
export function blueprintDocument(file: string): Doc {
  const files = mergeSet.includes(file) ? mergeSet : [file];
  return documentsOf(
    files.map((f) => readSource(blueprintsDir, f)),
    blueprintSubstitutions,
  ).find((doc) => documentFiles.get(doc) === file)!;
}

/** `from -kind:label-> to` for an edge (`?what` when it dangles), to compare edges as text. */
export const edgeText = (e: GraphEdge) =>
  `${e.from} -${e.kind}${e.label ? `:${e.label}` : ''}-> ${e.to ?? `?${e.missing}`}`;

/** A demo flow's document, with the local environment's substitutions. */
export const demoDocument = (file: string): Doc => documentsOf([readSource(repoRoot, file)], demoSubstitutions)[0]!;
