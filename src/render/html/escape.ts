/** Text and attribute values for HTML and inline SVG: the five characters that can end or open markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A name inside a line of SVG text, isolated (U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL
 * ISOLATE): a right-to-left name keeps its own order without reordering the words around it. HTML
 * text uses `<bdi>` for the same.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
