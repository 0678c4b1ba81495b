/**
 * Where a rule's report lands in the file as written: the path (keys and indices into the
 * substituted document) is found in the substituted text's YAML Document, and the offset is mapped
 * back through the substitutions (check/source.ts), so a value that came from `{{placeholder}}` is
 * reported at the placeholder. A path the document does not have is reported at the flow's first
 * line (its top-level key) rather than failing. Pure.
 */
import { parseDocument, type Document } from 'yaml';
import { locate } from '../check/locate.js';
import { YAML_OPTIONS } from '../check/parse.js';
import type { SourceFile } from '../check/source.js';
import { isObject } from '../check/walk.js';
import type { DocumentPath } from './types.js';

export interface ReportLocator {
  /** The offset in the substituted text to hand to SourceFile.add. */
  offsetOf(path: DocumentPath): number;
}

/**
 * The Document is parsed on the first report only: most flows satisfy every rule, and parsing with
 * positions costs several times the check's fast read.
 */
export function reportLocator(source: SourceFile, document: Record<string, unknown>, flowKey: string): ReportLocator {
  let doc: Document.Parsed | undefined;
  const docOf = () => (doc ??= parseDocument(source.text, YAML_OPTIONS));
  return {
    offsetOf(path) {
      if (!isPath(path) || !hasPath(document, path)) return locate(docOf(), [flowKey], true);
      // A map key path (`commonModule`, `My Module`) points at the key's value; a rule that means the
      // key itself reports its parent's path plus the key, which is the value's start: close enough.
      return locate(docOf(), path);
    },
  };
}

function isPath(path: unknown): path is DocumentPath {
  return (
    Array.isArray(path) && path.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s)))
  );
}

/** Whether the plain document has a node at `path` (keys in mappings, indices in lists). */
export function hasPath(document: unknown, path: DocumentPath): boolean {
  let node = document;
  for (const seg of path) {
    if (Array.isArray(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.length) return false;
      node = node[seg];
    } else if (isObject(node)) {
      if (!Object.hasOwn(node, String(seg))) return false;
      node = node[String(seg)];
    } else return false;
  }
  return true;
}
