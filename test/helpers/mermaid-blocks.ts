/** The mermaid blocks of a markdown document (a plan, a comment, a job summary), for the tests. */

/** The text of every ```mermaid block, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}
