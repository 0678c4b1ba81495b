/**
 * The validate operation: the flow files checked like a compiler, and the YAML files that read like
 * flows but that no `flows` glob takes named (the first few) as warnings. It returns the report
 * (`--json` prints it as it is); nothing is asked of the org.
 */
import { idOf } from '../identity/index.js';
import type { Diagnostic, ObjectReference } from '../check/types.js';
import type { OutsideFile } from '../workspace/outside-files.js';
import type { OperationContext } from './context.js';
import { checkProject, openProject } from './project.js';

export interface ValidateArgs {
  configPath?: string;
  environment?: string;
  /** Files or folders instead of the config's `flows` globs. */
  paths: string[];
}

export interface ValidateReport {
  valid: boolean;
  environment: string;
  /** Files read, whether or not they could be. */
  files: number;
  errors: number;
  warnings: number;
  /** `references`: the org objects each flow names, where (offline this is a listing: nothing is checked). */
  flows: Array<{ type: string; name: string; path: string; dependsOn: string[]; references: ObjectReference[] }>;
  order: string[];
  diagnostics: Diagnostic[];
  /** The house rules that ran, with their configured severity (SARIF names each; `--json` lists them). */
  rules: Array<{ id: string; description: string; help?: string; severity: 'error' | 'warn'; plugin?: string }>;
  notFlowFiles: { count: number; files: Array<{ path: string; type: string; name?: string }> };
}

/** How many YAML files outside the `flows` globs validate names; the rest are counted. */
export const MAX_OUTSIDE_LISTED = 20;

export async function validateFiles(args: ValidateArgs, ctx: OperationContext): Promise<ValidateReport> {
  const project = await openProject(
    { configPath: args.configPath, environment: args.environment, paths: args.paths },
    ctx,
  );
  const { workspace } = project;
  const result = checkProject(project);
  const listed = workspace.outside.slice(0, MAX_OUTSIDE_LISTED);
  const diagnostics = [
    ...workspace.configWarnings,
    ...workspace.diagnostics,
    ...result.diagnostics,
    ...listed.map((f) => notAFlowFile(f, workspace.config?.path ?? 'flowops.yaml')),
  ];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    valid: errors === 0,
    environment: workspace.environment.name,
    files: workspace.sources.length + workspace.diagnostics.length,
    errors,
    warnings: diagnostics.length - errors,
    flows: result.flows.map((f) => ({
      type: f.type,
      name: f.name,
      path: f.path,
      dependsOn: result.graph.dependsOn[idOf(f)] ?? [],
      references: f.references,
    })),
    order: result.graph.order,
    diagnostics,
    rules: workspace.rules.rules.active.map(({ rule, severity, plugin }) => ({
      id: rule.id,
      description: rule.description,
      ...(rule.help ? { help: rule.help } : {}),
      severity,
      ...(plugin !== undefined ? { plugin } : {}),
    })),
    notFlowFiles: {
      count: workspace.outside.length,
      files: listed.map(({ path, type, name }) => ({ path, type, ...(name !== undefined ? { name } : {}) })),
    },
  };
}

/** A file that reads like a flow but that no `flows` glob takes: a warning at its flow type's key. */
function notAFlowFile(file: OutsideFile, configPath: string): Diagnostic {
  const flow = file.name === undefined ? `a ${file.type} flow` : `${file.type} "${file.name}"`;
  return {
    severity: 'warning',
    code: 'not-a-flow-file',
    message: `not a flow file of this project (no 'flows' glob takes it), though it reads like ${flow}: add it to flows or to ignore in ${configPath}`,
    file: file.path,
    line: file.line,
    col: 1,
  };
}
