import { describeConsumers, isRefusedDelete } from '../plan/consumers.js';
import type { Change, Plan, PlannedFlow, PlanAction } from '../plan/types.js';
import { formatValue } from './format-value.js';
import { referenceLines } from './references.js';

export interface Colors {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export const SYMBOL: Record<PlanAction, string> = {
  create: '+',
  rename: '~',
  update: '~',
  republish: '↻',
  delete: '-',
  unchanged: '=',
};
const VERB: Record<PlanAction, string> = {
  create: 'create',
  rename: 'rename',
  update: 'update',
  republish: 'republish',
  delete: 'delete',
  unchanged: 'unchanged',
};

/** The plan for a terminal, in the manner of Terraform: one block per flow that changes, then a summary. */
export function renderPlanText(plan: Plan, c: Colors, options: { maxChangesPerFlow?: number } = {}): string {
  const max = options.maxChangesPerFlow ?? 20;
  const lines: string[] = [];
  const changing = plan.flows.filter((f) => f.action !== 'unchanged');
  const head = `environment ${c.bold(plan.environment)}${plan.gitCommit ? `, commit ${shortCommit(plan.gitCommit)}` : ''}`;
  if (changing.length === 0) {
    lines.push(`${c.green('No changes.')} The live flows match the repository (${head}).`);
  } else {
    lines.push(`flowops will perform these actions (${head}), in this order:`, '');
    for (const flow of changing) lines.push(...renderFlow(flow, c, max), '');
  }
  if (plan.unmanaged.length) {
    lines.push(
      c.dim(
        `${plan.unmanaged.length} live flow(s) of these types are not in the repository and are left alone (use --prune to delete them): ${plan.unmanaged.slice(0, 5).join(', ')}${plan.unmanaged.length > 5 ? ', ...' : ''}`,
      ),
      '',
    );
  }
  lines.push(...referenceLines(plan.references, c));
  lines.push(summaryLine(plan, c));
  return lines.join('\n');
}

export function summaryLine(plan: Plan, c: Colors): string {
  const s = plan.summary;
  const refused = s.refused ? ` ${c.red(`(${s.refused} refused: in use)`)}` : '';
  return `${c.bold('Plan:')} ${s.create} to create, ${s.rename ? `${s.rename} to rename, ` : ''}${s.update} to update, ${s.republish} to republish, ${s.delete} to delete${refused}, ${s.unchanged} unchanged.`;
}

function renderFlow(flow: PlannedFlow, c: Colors, max: number): string[] {
  const paint =
    flow.action === 'create'
      ? c.green
      : flow.action === 'delete'
        ? c.red
        : flow.action === 'republish'
          ? c.cyan
          : c.yellow;
  const name =
    flow.renamedFrom !== undefined
      ? `${JSON.stringify(flow.renamedFrom)} -> ${c.bold(JSON.stringify(flow.name))}`
      : c.bold(JSON.stringify(flow.name));
  const head = `  ${paint(`${SYMBOL[flow.action]} ${VERB[flow.action]}`)} ${flow.type} ${name}`;
  if (isRefusedDelete(flow)) {
    return [
      `${head}  ${c.red(`(refused: ${describeConsumers(flow.consumers ?? [])})`)}`,
      `      ${c.dim('it is not deleted: it stays in the org until nothing points at it; then plan again')}`,
    ];
  }
  const where = [
    flow.path,
    flow.livePublishedVersion
      ? `live version ${flow.livePublishedVersion.id}${flow.livePublishedVersion.createdBy ? ` by ${flow.livePublishedVersion.createdBy}` : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [`${head}${where ? c.dim(`  (${where})`) : ''}`];
  if (flow.reason) lines.push(`      ${c.dim(`because ${flow.reason}`)}`);
  for (const change of flow.changes.slice(0, max)) lines.push(`      ${changeLine(change, c)}`);
  if (flow.changes.length > max)
    lines.push(
      `      ${c.dim(`... and ${flow.changes.length - max} more change(s); the full list is in the JSON plan (--out)`)}`,
    );
  if (flow.action === 'delete' && flow.dependsOn.length === 0)
    lines.push(`      ${c.dim('the flow is deleted from the org')}`);
  return lines;
}

/** One change in words: `~ where: "old" -> "new"`, `+ where: value`, `- where: value`. */
export function changeLine(change: Change, c: Colors): string {
  if (change.kind === 'add') return `${c.green('+')} ${change.where}: ${formatValue(change.to)}`;
  if (change.kind === 'remove') return `${c.red('-')} ${change.where}: ${formatValue(change.from)}`;
  return `${c.yellow('~')} ${change.where}: ${formatValue(change.from)} -> ${formatValue(change.to)}`;
}

/** `0123456789ab`, keeping a `+dirty` mark: a plan made from uncommitted files says so. */
export function shortCommit(commit: string): string {
  return commit.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1');
}
