/**
 * The graph operation (`flowops graph FILE`): one flow file read through validate's check, with the
 * project's substitutions, and its graph (plan/flow-graph.ts) with the labels that hold a secret
 * substitution's value masked, as the plan masks them. Nothing is asked of the org.
 *
 * A file among the project's flows (its `flows` globs) is checked with the others, as validate
 * checks it, so a call to a module in another file is known; only the file's own problems stop the
 * drawing (another file's mistake is not this one's). A file outside the project, or without a
 * flowops.yaml, is checked alone, as `validate FILE` checks it.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { desiredDocument } from '../check/index.js';
import type { DesiredFlow } from '../check/types.js';
import { ConfigError, UsageError } from '../errors.js';
import { normalForm } from '../identity/index.js';
import type { FlowGraph } from '../plan/flow-graph.js';
import { planGraph } from '../plan/plan-graphs.js';
import { secretMaskOf } from '../plan/secrets.js';
import type { OperationContext } from './context.js';
import { checkProject, openProject, type Project } from './project.js';

export interface GraphArgs {
  configPath?: string;
  environment?: string;
  /** The flow file, as given. */
  path: string;
}

export interface GraphResult {
  flow: Pick<DesiredFlow, 'path' | 'type' | 'name' | 'key'>;
  graph: FlowGraph;
}

export async function graphFile(args: GraphArgs, ctx: OperationContext): Promise<GraphResult> {
  const file = resolve(ctx.cwd, args.path);
  if (!existsSync(file)) throw new UsageError(`${args.path}: no such file`);
  if (!statSync(file).isFile()) throw new UsageError(`${args.path}: not a file (graph draws one flow file)`);
  const shown = relative(ctx.cwd, file).split(sep).join('/');
  const options = { configPath: args.configPath, environment: args.environment, outside: false };
  const hasConfig = existsSync(resolve(ctx.cwd, args.configPath ?? 'flowops.yaml'));
  let project: Project | undefined;
  if (hasConfig) {
    project = await openProject(options, ctx);
    if (!project.workspace.sources.some((s) => s.path === shown)) project = undefined;
  }
  project ??= await openProject({ ...options, paths: [args.path] }, ctx);
  const result = checkProject(project);
  const errors = [...project.workspace.diagnostics, ...result.diagnostics].filter(
    (d) => d.severity === 'error' && d.file === shown,
  );
  if (errors.length) throw new ConfigError(errors);
  const flow = result.flows.find((f) => f.path === shown);
  if (!flow) throw new UsageError(`${shown}: no flow in this file`);
  const document = desiredDocument(flow);
  // The plan's drawing of a created flow is the flow's whole graph, its labels masked.
  const diff = planGraph(
    { action: 'create' },
    { desired: normalForm(document), secrets: secretMaskOf(document, flow.secretPlaces) },
  );
  const graph = flowGraphOf(
    diff.nodes.map((c) => c.after!),
    diff.edges.map((c) => c.after!),
    document,
  );
  return { flow: { path: flow.path, type: flow.type, name: flow.name, key: flow.key }, graph };
}

function flowGraphOf(
  nodes: FlowGraph['nodes'],
  edges: FlowGraph['edges'],
  document: Record<string, unknown>,
): FlowGraph {
  const flowType = Object.keys(document)[0] ?? '';
  const body = document[flowType] as { name?: unknown } | undefined;
  return { flowType, name: typeof body?.name === 'string' ? body.name : '', nodes, edges };
}
