import { markerEnvironment, planMarker } from './markers.js';
import { markdownBlocks, packBlocks } from './split-markdown.js';

/** GitHub refuses a longer comment body ("Body is too long (maximum is 65536 characters)"). */
export const COMMENT_MAX_LENGTH = 65_536;

/**
 * At most this many comments per environment. A plan longer than that (some 600 KB of markdown)
 * ends with a pointer to the job summary instead of flooding the conversation.
 */
export const COMMENT_MAX_PARTS = 10;

export interface PlanCommentOptions {
  environment: string;
  /** The workflow run's page, whose summary holds the whole plan. */
  runUrl?: string;
  maxLength?: number;
  maxParts?: number;
}

/**
 * The bodies of the plan's comments, in order. One comment when the plan fits; otherwise the plan
 * is split between top-level blocks (the summary table, one block per flow, the module graph) into
 * several comments, each marked with its part number and at most `maxLength` long. Pure.
 */
export function planCommentBodies(markdown: string, options: PlanCommentOptions): string[] {
  const maxLength = options.maxLength ?? COMMENT_MAX_LENGTH;
  const maxParts = Math.max(1, options.maxParts ?? COMMENT_MAX_PARTS);
  const blocks = markdownBlocks(markdown);
  // Room for the marker and notes of the most decorated part, so that no body can exceed the limit.
  const reserve = decorate('', options, maxParts, maxParts + 1, blocks.length, true).length;
  if (reserve >= maxLength) throw new RangeError(`a comment of ${maxLength} characters cannot hold the plan's notes`);
  const { parts, omitted } = packBlocks(blocks, maxLength - reserve, maxParts);
  if (parts.length === 0) parts.push([]);
  return parts.map((p, i) =>
    decorate(p.join('\n\n'), options, i + 1, parts.length, i === parts.length - 1 ? omitted : 0, false),
  );
}

function decorate(
  content: string,
  options: PlanCommentOptions,
  part: number,
  total: number,
  omitted: number,
  worstCase: boolean,
): string {
  const env = markerEnvironment(options.environment);
  const lines = [planMarker(options.environment, part)];
  if (part > 1 || worstCase) lines.push(`_flowops plan for \`${env}\`, continued: part ${part} of ${total}._`, '');
  lines.push(content);
  if (part < total || worstCase) lines.push('', `_Part ${part} of ${total}: the plan continues in part ${part + 1}._`);
  if (omitted > 0 || worstCase) {
    const where = options.runUrl ? `the job summary of [this run](${options.runUrl})` : 'the job summary of this run';
    lines.push(
      '',
      `_${omitted} more section(s) of the plan did not fit in ${total} comment(s): the whole plan is in ${where}._`,
    );
  }
  return lines.join('\n');
}
