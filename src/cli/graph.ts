/**
 * `flowops graph FILE`: one flow drawn from its file, no org needed: a text outline of its graph,
 * or with --mermaid the whole flow as a mermaid flowchart (for documentation, for reviewing a new
 * flow); with --json, the graph itself. An invalid file gives validate's problems (file:line:col)
 * and exit 1.
 */
import type { Command } from 'commander';
import { graphFile, type GraphResult } from '../operations/graph.js';
import { renderFlowOutline } from '../render/flow-outline.js';
import { flowMermaid, MERMAID_LIMITS } from '../render/mermaid-flow.js';
import { operationContext } from './context.js';
import { globalOptions, type GlobalOptions } from './global-options.js';
import { Output } from './output.js';
import { writeAtomically } from './write-file.js';

export interface GraphOptions {
  env?: string;
  mermaid?: boolean;
  html?: string;
}

export function registerGraphCommand(program: Command): Command {
  // Returned so that more ways of drawing (an HTML page) are added as options of the same command.
  return program
    .command('graph')
    .description('draw one flow from its file, no org needed: an outline of its graph, or a mermaid flowchart')
    .argument('<file>', 'the flow file')
    .option('--env <name>', 'environment whose substitutions to apply (default: defaultEnvironment)')
    .option('--mermaid', 'print the whole flow as a mermaid flowchart (a ```mermaid block in markdown draws it)')
    .option('--html <file>', 'write the flow as one self-contained HTML page (zoom and pan), for documentation')
    .action(async (file: string, options: GraphOptions, command: Command) => {
      process.exitCode = await runGraph(file, options, globalOptions(command));
    });
}

export async function runGraph(file: string, options: GraphOptions, global: GlobalOptions): Promise<number> {
  const out = new Output({ color: global.color });
  const result = await graphFile(
    { configPath: global.config, environment: options.env, path: file },
    operationContext(out, global),
  );
  if (options.html) {
    // Loaded only when asked for: elkjs is 1.6 MB of JavaScript.
    const { renderFlowHtml } = await import('../render/html/flow-page.js');
    const page = await renderFlowHtml(result.graph, { source: result.flow.path });
    await writeAtomically(options.html, out.redact(page));
    const { flowType, name, nodes } = result.graph;
    out.info(`Wrote the drawing of ${flowType} "${name}" (${nodes.length} nodes) to ${options.html}.`);
    // The page is what was asked for: the outline is printed only with nothing else to print.
    if (!global.json && !options.mermaid) return 0;
  }
  if (global.json) out.json(result.graph);
  else out.line(await drawGraph(result, options, out));
  return 0;
}

/** What graph prints for the options given (another way of drawing adds its case here). */
async function drawGraph(result: GraphResult, options: GraphOptions, out: Output): Promise<string> {
  if (options.mermaid) {
    const text = flowMermaid(result.graph);
    const edges = result.graph.edges.length;
    if (text.length > MERMAID_LIMITS.chars || edges > MERMAID_LIMITS.edges)
      out.info(
        `note: ${text.length} characters and ${edges} edges: mermaid draws at most ${MERMAID_LIMITS.chars} characters and ${MERMAID_LIMITS.edges} edges unless its maxTextSize and maxEdges are raised (GitHub does not)`,
      );
    return text;
  }
  return renderFlowOutline(result.graph);
}
