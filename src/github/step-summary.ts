import { appendFile, stat } from 'node:fs/promises';
import { markdownBlocks, packBlocks, utf8Bytes } from './split-markdown.js';

/** GitHub drops a step summary larger than this ("supports content up to a size of 1024k"). */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

const OMITTED = (n: number) =>
  `_${n} more section(s) of the plan are not shown: a job summary holds at most 1 MiB. The whole plan is in the file \`flowops plan --out\` writes (the plan artifact)._`;

/** The markdown, cut between blocks to fit in `roomBytes` with a note saying so. Pure. */
export function stepSummaryText(markdown: string, roomBytes: number): string {
  const whole = `${markdown.trimEnd()}\n\n`;
  if (utf8Bytes(whole) <= roomBytes) return whole;
  const blocks = markdownBlocks(markdown);
  const reserve = utf8Bytes(OMITTED(blocks.length)) + 4;
  if (roomBytes <= reserve) return '';
  const { parts, omitted } = packBlocks(blocks, roomBytes - reserve, 1, utf8Bytes);
  return `${(parts[0] ?? []).join('\n\n')}\n\n${OMITTED(omitted)}\n\n`;
}

/** Appends the plan to `GITHUB_STEP_SUMMARY`, within what is left of the step's 1 MiB. */
export async function appendStepSummary(path: string, markdown: string): Promise<{ bytes: number; complete: boolean }> {
  const used = (await stat(path).catch(() => undefined))?.size ?? 0;
  const text = stepSummaryText(markdown, STEP_SUMMARY_MAX_BYTES - used);
  if (text) await appendFile(path, text);
  return { bytes: utf8Bytes(text), complete: text === `${markdown.trimEnd()}\n\n` };
}
